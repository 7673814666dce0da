"""The toy protocols of Chapter 3: Figure 3.1a (value surfaces), Figure 3.1b (gradient norms
and weights under clipping vs penalty), and the objective comparison table."""

import pathlib

import numpy as np

from gen_models.plotting import tables, toy as toy_plots
from gen_models.presets import gan_objectives, gan_toy


def _base(config):
  from gen_models.protocols import base_config  # late: the package imports this module
  return base_config(config)


def cell_name(objective: str, dataset: str) -> str:
  """The sub-run of one objective on one toy set (value surfaces and the comparison table)."""
  return f"{objective}_{dataset}"


def _objective_by_dataset(config, one_critic_update=False):
  """Sub-runs `{objective}_{dataset}` for every pair in the protocol's lists."""
  runs = []
  for objective in config.protocol.objectives:
    for dataset in config.protocol.datasets:
      sub = _base(config)
      gan_toy.set_objective(sub, objective)
      if one_critic_update:
        sub.objective.n_critic = 1  # critic-only runs: the trainer step is the critic update
      sub.data.name = dataset
      runs.append((cell_name(objective, dataset), sub))
  return runs


def _grid_figure(config, workdir, draw_cell, filename, cell_inches=3.2):
  """A figure with objectives as rows and data sets as columns; draw_cell(ax, run_dir, o, d)."""
  objectives, datasets = config.protocol.objectives, config.protocol.datasets
  fig, axes = toy_plots.plt.subplots(
      len(objectives), len(datasets), squeeze=False,
      figsize=(cell_inches * len(datasets), cell_inches * len(objectives)))
  for r, objective in enumerate(objectives):
    for c, dataset in enumerate(datasets):
      draw_cell(axes[r, c], pathlib.Path(workdir) / cell_name(objective, dataset), objective,
                dataset)
  toy_plots.save(fig, pathlib.Path(workdir) / "figures" / filename)


def _draw_samples(ax, run_dir, objective, dataset):
  ax.imshow(toy_plots.plt.imread(run_dir / "figures" / "samples.png"))
  ax.axis("off")


def _draw_value_surface(ax, run_dir, objective, dataset):
  surf = np.load(run_dir / "value_surface.npz")
  toy_plots.value_surface(ax, surf["grid_x"], surf["grid_y"], surf["values"], data=surf["data"],
                          title=f"{gan_objectives.LABELS[objective]}: {dataset}")


class ValueSurfaces:
  """Critics trained to optimality against real data + N(0, I), for each objective x data set."""

  @staticmethod
  def subruns(config):
    return _objective_by_dataset(config, one_critic_update=True)

  @staticmethod
  def reduce(config, workdir, results):
    _grid_figure(config, workdir, _draw_value_surface, "value_surfaces.png")
    rows = [(gan_objectives.LABELS[o], d, f"{res['wasserstein_estimate']:.4f}",
             f"{res['interpolate_grad_norm_mean']:.3f} ± {res['interpolate_grad_norm_std']:.3f}",
             res["step"])
            for o in config.protocol.objectives for d in config.protocol.datasets
            for res in [results[cell_name(o, d)]]]
    table = tables.markdown_table(("critic", "data", "E[D(real)] - E[D(real + noise)]",
                                   "‖∇D‖ on interpolates (mean ± std)", "critic updates"), rows)
    (pathlib.Path(workdir) / "table.md").write_text(table)
    return {name: {k: v for k, v in res.items() if not isinstance(v, (list, dict))}
            for name, res in results.items()}


class GradientNorms:
  """Deep ReLU MLP critic and generator on swissroll: clipping at each c, and gradient penalty."""

  @staticmethod
  def setting_name(clip):
    return "wgan_gp" if clip is None else f"wgan_clip_c{clip:g}"

  @staticmethod
  def subruns(config):
    runs = []
    for clip in list(config.protocol.clip_values) + [None]:
      sub = _base(config)
      gan_toy.set_objective(sub, "wgan_gp" if clip is None else "wgan_clip")
      if clip is not None:
        sub.objective.clip = clip
      runs.append((GradientNorms.setting_name(clip), sub))
    return runs

  @staticmethod
  def reduce(config, workdir, results):
    norms = {name: res["critic_layer_grad_norms"] for name, res in results.items()}
    hists = {name: (res["critic_weight_histogram"]["counts"],
                    res["critic_weight_histogram"]["edges"]) for name, res in results.items()}
    fig, ax = toy_plots.plt.subplots(figsize=(5, 4))
    toy_plots.layer_gradient_norms(ax, norms)
    ax.set_title("gradient of the critic loss w.r.t. layer activations")
    toy_plots.save(fig, pathlib.Path(workdir) / "figures" / "layer_gradient_norms.png")
    fig, axes = toy_plots.plt.subplots(1, len(hists), figsize=(3.3 * len(hists), 3),
                                       squeeze=False)
    for ax, (name, hist) in zip(axes[0], hists.items()):
      toy_plots.weight_histograms(ax, {name: hist})
    toy_plots.save(fig, pathlib.Path(workdir) / "figures" / "weight_histograms.png")
    summary = {name: {"layer_grad_norms": n,
                      "last_over_first": n[-1] / n[0] if n[0] else None}
               for name, n in norms.items()}
    depth = max(len(n) for n in norms.values())
    rows = [(name, f"{s['last_over_first']:.3g}" if s["last_over_first"] is not None else "n/a",
             *(f"{v:.3g}" for v in s["layer_grad_norms"]))
            for name, s in summary.items()]
    table = tables.markdown_table(
        ("setting", "last / first", *(f"layer {i + 1}" for i in range(depth))), rows)
    (pathlib.Path(workdir) / "table.md").write_text(table)
    return summary


class GanComparison:
  """Each objective with its thesis defaults on each toy set; a markdown table of sample quality."""

  METRICS = ("modes_covered", "high_quality_fraction", "mmd_rbf", "sliced_w1")

  @staticmethod
  def subruns(config):
    return _objective_by_dataset(config)

  @staticmethod
  def reduce(config, workdir, results):
    rows = []
    for objective in config.protocol.objectives:
      for dataset in config.protocol.datasets:
        res = results[cell_name(objective, dataset)]
        modes = (f"{res['modes_covered']}/{res['num_modes']}" if "modes_covered" in res
                 else "n/a")
        hq = f"{res['high_quality_fraction']:.3f}" if "high_quality_fraction" in res else "n/a"
        rows.append((gan_objectives.LABELS[objective], dataset, modes, hq, f"{res['mmd_rbf']:.4f}",
                     f"{res['sliced_w1']:.4f}", res["step"]))
    table = tables.markdown_table(("objective", "data", "modes covered", "high-quality fraction",
                                   "MMD² (RBF)", "sliced W1", "generator steps"), rows)
    (pathlib.Path(workdir) / "table.md").write_text(table)
    _grid_figure(config, workdir, _draw_samples, "samples_grid.png", cell_inches=3.0)
    return {"table_markdown": table,
            "runs": {name: {m: res.get(m) for m in GanComparison.METRICS}
                     for name, res in results.items()}}
