"""Figure 2.4: PixelVAE's NLL bound and PixelCNN's exact NLL against the number of autoregressive
layers (a), and PixelVAE's bound split into KL and reconstruction (b).

Sub-runs `{family}_{n}layers` for each family in `protocol.families` and each n in
`protocol.layers`; n counts every masked layer (the first one included), so n = 1 is a single
masked layer and n = 0 (PixelVAE only) is the factorized decoder on the same features.
Section 2.4.1 notes a single PixelCNN layer is 5x5: `protocol.first_kernel_size` sets the first
layer's kernel for every sub-run (5 by default, as in the figure).
"""

import pathlib

from gen_models import models
from gen_models.plotting import tables, toy as toy_plots

LABELS = {"pixelvae": "PixelVAE (NLL bound)", "gated_pixelvae": "Gated PixelVAE (NLL bound)",
          "pixelcnn": "PixelCNN (exact NLL)", "gated_pixelcnn": "Gated PixelCNN (exact NLL)"}


def subrun_name(family: str, layers: int) -> str:
  return f"{family}_{layers}layers"


def _nll(results: dict):
  """The bound a latent model reports (IWAE when computed, else ELBO), or the exact NLL."""
  for key in ("test_nll_exact", "test_nll_iwae", "test_nll_elbo"):
    if key in results:
      return key, results[key]
  raise KeyError(f"no test NLL in results (keys: {sorted(results)})")


class PixelCNNLayersSweep:

  @staticmethod
  def subruns(config):
    from gen_models.protocols import base_config  # late: the package imports this module
    runs = []
    for family in config.protocol.families:
      for n in config.protocol.layers:
        sub = base_config(config)
        latent_dim = config.model.latent_dim if family in ("pixelvae", "gated_pixelvae") else 0
        sub.model = models.image_config(
            family, num_ar_layers=int(n), latent_dim=latent_dim, channels=config.model.channels,
            first_kernel_size=config.protocol.first_kernel_size,
            kernel_size=config.model.kernel_size)
        has_latent, _ = models.image_model_traits(sub.model)
        if not has_latent and n < 1:
          continue  # a PixelCNN needs at least one layer
        sub.objective.name = "negative_elbo" if has_latent else "nll"
        if not has_latent:
          sub.objective.kl_warmup_steps = 0
        runs.append((subrun_name(family, int(n)), sub))
    return runs

  @staticmethod
  def reduce(config, workdir, results):
    workdir = pathlib.Path(workdir)
    rows, curves, splits = [], {}, {}
    for family in config.protocol.families:
      for n in config.protocol.layers:
        name = subrun_name(family, int(n))
        if name not in results:
          continue
        res = results[name]
        key, nll = _nll(res)
        curves.setdefault(family, []).append((int(n), nll))
        if "test_kl" in res:
          splits.setdefault(family, []).append((int(n), res["test_kl"],
                                                res["test_reconstruction"]))
        rows.append((family, int(n), f"{nll:.2f}", key.replace("test_nll_", ""),
                     f"{res['test_kl']:.2f}" if "test_kl" in res else "",
                     f"{res['test_reconstruction']:.2f}" if "test_reconstruction" in res else "",
                     res["step"]))
    fig, axes = toy_plots.plt.subplots(1, 2, figsize=(10, 3.8))
    for family, points in curves.items():
      axes[0].plot(*zip(*points), marker="o", label=LABELS.get(family, family))
    axes[0].set(xlabel="autoregressive layers", ylabel="test NLL (nats)",
                title="(a) NLL vs PixelCNN layers")
    axes[0].legend(fontsize=8)
    for family, points in splits.items():
      n, kl, rec = zip(*points)
      axes[1].plot(n, kl, marker="o", label=f"{family}: KL")
      axes[1].plot(n, rec, marker="s", label=f"{family}: reconstruction")
    axes[1].set(xlabel="autoregressive layers", ylabel="nats", title="(b) bound split")
    axes[1].legend(fontsize=8)
    toy_plots.save(fig, workdir / "figures" / "nll_vs_layers.png")
    table = tables.markdown_table(("model", "AR layers", "test NLL (nats)", "estimate", "KL",
                                   "reconstruction", "steps"), rows)
    (workdir / "table.md").write_text(table)
    return {"table_markdown": table,
            "runs": {name: {k: v for k, v in res.items() if not isinstance(v, (list, dict))}
                     for name, res in results.items()}}
