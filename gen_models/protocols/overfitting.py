"""Figure 3.7b (thesis section 3.5.5): WGAN training and validation losses on a random
1,000-digit MNIST subset, with the gradient penalty and with weight clipping.

Sub-runs `wgan_gp` and `wgan_clip` (appendix B.2 settings, presets/gan_mnist.py); each logs
eval/wasserstein_train and eval/wasserstein_heldout (the negative critic loss without penalty
on the training subset and on held-out digits, against the same samples) every eval_every
steps. The reducer plots both curves per method side by side (figures/overfitting_curves.png)
and writes table.md.
"""

import pathlib

import numpy as np

from gen_models.plotting import tables, toy as toy_plots
from gen_models.presets import gan_objectives
from gen_models.training import metrics as metrics_lib

METHODS = {m: gan_objectives.LABELS[m] for m in ("wgan_gp", "wgan_clip")}  # Figure 3.7b
KEYS = ("wasserstein_train", "wasserstein_heldout")


def loss_curves(run_dir) -> dict:
  """{'step': [n], 'wasserstein_train': [n], 'wasserstein_heldout': [n]} from the eval rows of
  run_dir/metrics.jsonl."""
  rows = [r for r in metrics_lib.read_metrics(run_dir) if f"eval/{KEYS[0]}" in r]
  if not rows:
    raise ValueError(f"{pathlib.Path(run_dir) / 'metrics.jsonl'} has no eval/{KEYS[0]} rows; "
                     f"was the run configured with eval.heldout_split?")
  return {"step": [r["step"] for r in rows], **{k: [r[f"eval/{k}"] for r in rows] for k in KEYS}}


class Overfitting:
  """config.protocol.methods (subset of METHODS) on the same data subset and architecture."""

  @staticmethod
  def subruns(config):
    from gen_models.protocols import base_config  # late: the package imports this module
    runs = []
    for method in config.protocol.methods:
      if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known: {sorted(METHODS)}")
      sub = base_config(config)
      gan_objectives.set_objective(sub, method)
      runs.append((method, sub))
    return runs

  @staticmethod
  def reduce(config, workdir, results):
    workdir = pathlib.Path(workdir)
    methods = list(config.protocol.methods)
    curves = {m: loss_curves(workdir / m) for m in methods}
    n_train = config.data.train_subset or "all"
    fig, axes = toy_plots.plt.subplots(1, len(methods), figsize=(5 * len(methods), 3.6),
                                       squeeze=False)
    for ax, m in zip(axes[0], methods):
      c = curves[m]
      ax.plot(c["step"], c["wasserstein_train"], label=f"training ({n_train} digits)")
      ax.plot(c["step"], c["wasserstein_heldout"], label="validation")
      ax.set_title(METHODS[m])
      ax.set_xlabel("generator iterations")
      ax.set_ylabel("negative critic loss")
      ax.grid(alpha=0.3)
      ax.legend(fontsize=8)
    toy_plots.save(fig, workdir / "figures" / "overfitting_curves.png")

    rows, summary = [], {}
    for m in methods:
      c = curves[m]
      train, heldout = np.asarray(c["wasserstein_train"]), np.asarray(c["wasserstein_heldout"])
      gap = train - heldout
      summary[m] = {"final_step": c["step"][-1], "final_train": float(train[-1]),
                    "final_heldout": float(heldout[-1]), "final_gap": float(gap[-1]),
                    "max_gap": float(gap.max()), "max_gap_step": c["step"][int(gap.argmax())]}
      rows.append((METHODS[m], c["step"][-1], f"{train[0]:.4g} / {heldout[0]:.4g}",
                   f"{train[-1]:.4g} / {heldout[-1]:.4g}", f"{gap[-1]:.4g}",
                   f"{gap.max():.4g} @ {summary[m]['max_gap_step']}"))
    table = tables.markdown_table(
        ("method", "generator steps", f"first eval (step {curves[methods[0]]['step'][0]}): "
         "train / validation", "final: train / validation", "final gap", "largest gap @ step"),
        rows)
    note = ("Negative critic loss without the penalty, mean D(real) - mean D(fake), with the same "
            f"generated samples for the training subset ({n_train} digits) and the held-out "
            "validation digits.\n\n")
    (workdir / "table.md").write_text(note + table)
    return {"table_markdown": table, "runs": summary}
