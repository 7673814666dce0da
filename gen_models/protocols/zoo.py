"""Figure 3.2 (thesis section 3.5.1): every architecture of the zoo trained with every objective.

Sub-runs `{objective}_{architecture}` (presets/gan_zoo.py builds each cell); the reducer writes
figures/architecture_zoo.png (rows = architectures, columns = objectives, each cell the top-left
protocol.figure_samples_per_side^2 samples of the sub-run's final figures/samples.png; a
palette PNG) and table.md with the offline classifier score and classifier Fréchet distance of
each cell where the runs computed them. A cell whose training produced a non-finite loss is kept
as "diverged" (the protocol goes on with the next cell): failing to train is one of the
outcomes Figure 3.2 shows.
"""

import pathlib

from gen_models.plotting import image_grid, tables, toy as toy_plots
from gen_models.presets import gan_objectives, gan_zoo


def cell_name(objective: str, architecture: str) -> str:
  return f"{objective}_{architecture}"


def _cell_text(res) -> str:
  """The table entry of one cell's results."""
  if res is None:
    return "missing"
  if res.get("diverged"):
    return "diverged"
  if "classifier_score" not in res:
    return "not computed"
  std = res.get("classifier_score_std")
  distance = res.get("classifier_frechet_distance")
  return (f"{res['classifier_score']:.2f}" + (f" ± {std:.2f}" if std is not None else "")
          + (f" / {distance:.1f}" if distance is not None else ""))


def _draw_cell(ax, run_dir: pathlib.Path, res, grid_rows: int, keep: int) -> None:
  """The cell's sample grid, cut to its top-left keep x keep samples (the figure holds 28)."""
  samples = run_dir / "figures" / "samples.png"
  if samples.is_file():
    grid = image_grid.crop_tiles(toy_plots.plt.imread(samples), grid_rows, min(keep, grid_rows))
    ax.imshow(grid, interpolation="nearest")
  if res is None or res.get("diverged") or not samples.is_file():
    # A diverged cell shows its last periodic sample grid (if any) under the label.
    ax.text(0.5, 0.5, "diverged" if res and res.get("diverged") else "no samples",
            transform=ax.transAxes, ha="center", va="center", color="red", fontsize=11)
  ax.set_xticks([])
  ax.set_yticks([])


class ArchitectureZoo:
  """Architectures x objectives (config.protocol.architectures / .objectives)."""

  # runs/protocol.py records a sub-run stopped by a non-finite loss instead of aborting.
  record_divergence = True

  @staticmethod
  def subruns(config):
    from gen_models.protocols import base_config  # late: the package imports this module
    base = base_config(config)
    return [(cell_name(o, a), gan_zoo.cell_config(base, a, o, config.protocol))
            for a in config.protocol.architectures for o in config.protocol.objectives]

  @staticmethod
  def reduce(config, workdir, results):
    workdir = pathlib.Path(workdir)
    archs, objectives = list(config.protocol.architectures), list(config.protocol.objectives)
    cell = 2.0
    grid_rows, keep = config.eval.grid_rows, config.protocol.figure_samples_per_side
    fig, axes = toy_plots.plt.subplots(len(archs), len(objectives), squeeze=False,
                                       figsize=(cell * len(objectives) + 1.5, cell * len(archs)))
    for r, a in enumerate(archs):
      for c, o in enumerate(objectives):
        name = cell_name(o, a)
        ax = axes[r, c]
        _draw_cell(ax, workdir / name, results.get(name), grid_rows, keep)
        if r == 0:
          ax.set_title(gan_objectives.LABELS[o], fontsize=10)
        if c == 0:
          ax.set_ylabel(gan_zoo.ARCHITECTURE_LABELS[a], fontsize=8)
    image_grid.quantize_png(toy_plots.save(fig, workdir / "figures" / "architecture_zoo.png"))

    rows = [(gan_zoo.ARCHITECTURE_LABELS[a],
             *(_cell_text(results.get(cell_name(o, a))) for o in objectives)) for a in archs]
    steps = sorted({res["step"] for res in results.values() if "step" in res})
    table = tables.markdown_table(
        ("architecture", *(gan_objectives.LABELS[o] for o in objectives)), rows)
    note = (f"Offline classifier score ± its std over 10 splits / classifier Fréchet distance "
            f"to the training set (this project's CIFAR-10 classifier, not the Inception score "
            f"or FID) of the final samples; generator steps: "
            f"{', '.join(map(str, steps)) or 'n/a'}.\n\n")
    (workdir / "table.md").write_text(note + table)
    summary = {name: {k: v for k, v in res.items() if isinstance(v, (int, float, str))}
               for name, res in results.items()}
    return {"table_markdown": table, "runs": summary}
