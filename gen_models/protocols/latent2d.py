"""Figure 2.5: a VAE and a PixelVAE with a two-dimensional latent; the MNIST test set scattered
in each latent space (posterior means, coloured by digit) and the K-nearest-neighbour test
error of each (`eval.latent_knn_k` sets K, which the thesis does not give; the report's
Figure 2.5 section sets our numbers beside the thesis'). The classifier is fit on the training images' posterior means."""

import pathlib

import numpy as np

from gen_models import models
from gen_models.plotting import curves, tables, toy as toy_plots
from gen_models.training import metrics as metrics_lib

# Periodic-evaluation metrics traced over training when the runs logged them (train.eval_every):
# (metric, axis label, scale)
TRAINING_PANELS = (("latent_knn_error", "K-NN test error (%)", 100.0),
                   ("test_kl", "test KL(q(z|x) || p(z)) (nats)", 1.0),
                   ("test_nll_elbo", "test negative ELBO (nats)", 1.0))


def training_curves(workdir: pathlib.Path, families, path) -> pathlib.Path | None:
  """K-NN error, KL and negative ELBO of each family's periodic evaluations against training
  steps, one panel each -> the PNG, or None when no run logged two evaluations of them."""
  logged = {}
  for family in families:
    rows = metrics_lib.read_metrics(workdir / family)
    if sum("eval/latent_knn_error" in r for r in rows) >= 2:
      logged[family] = rows
  if not logged:
    return None
  fig, axes = toy_plots.plt.subplots(1, len(TRAINING_PANELS), figsize=(14, 3.8))
  for ax, (key, label, scale) in zip(axes, TRAINING_PANELS):
    lines = {}
    for family, rows in logged.items():
      curve = curves.eval_curve(workdir / family, key, rows)
      lines[family] = {**curve, "score": [scale * v for v in curve["score"]], "score_std": None}
    curves.score_curves(ax, lines, "step", "training steps", label)
  return toy_plots.save(fig, path)


class Latent2D:

  @staticmethod
  def subruns(config):
    from gen_models.protocols import base_config  # late: the package imports this module
    runs = []
    for family in config.protocol.families:
      sub = base_config(config)
      overrides = dict(latent_dim=2, channels=config.model.channels)
      if family != "vae":
        overrides["num_ar_layers"] = config.protocol.pixelvae_layers
      sub.model = models.image_config(family, **overrides)
      runs.append((family, sub))
    return runs

  @staticmethod
  def reduce(config, workdir, results):
    workdir = pathlib.Path(workdir)
    families = list(config.protocol.families)
    fig, axes = toy_plots.plt.subplots(1, len(families), figsize=(4.5 * len(families), 4.2),
                                       squeeze=False)
    rows, summary = [], {}
    for ax, family in zip(axes[0], families):
      latents = np.load(workdir / family / "latents.npz")
      error = results[family]["latent_knn_error"]  # the `latents` evaluator's, same K
      z, y = latents["test_z"], latents["test_labels"]
      points = ax.scatter(z[:, 0], z[:, 1], c=y, cmap="tab10", s=2, vmin=-0.5, vmax=9.5)
      ax.set_title(f"{family}: {config.eval.latent_knn_k}-NN test error {100 * error:.1f}%",
                   fontsize=9)
      ax.set_xlabel("z1")
      ax.set_ylabel("z2")
      summary[family] = {"knn_test_error": error, "num_train": int(len(latents["train_z"])),
                         "num_test": int(len(z)), **{k: results[family][k] for k in
                                                     ("test_nll_elbo", "test_kl", "step")
                                                     if k in results[family]}}
      rows.append((family, f"{100 * error:.1f}", len(latents["train_z"]), len(z),
                   results[family].get("step")))
    fig.colorbar(points, ax=axes[0].tolist(), ticks=range(10), label="digit")
    toy_plots.plt.setp(axes, aspect="equal")
    (workdir / "figures").mkdir(parents=True, exist_ok=True)
    fig.savefig(workdir / "figures" / "latent2d.png", dpi=110, bbox_inches="tight")
    toy_plots.plt.close(fig)
    table = tables.markdown_table(("model", f"{config.eval.latent_knn_k}-NN test error (%)",
                                   "train points", "test points", "steps"), rows)
    training_curves(workdir, families, workdir / "figures" / "latent2d_training.png")
    (workdir / "table.md").write_text(table)
    return {"table_markdown": table, "runs": summary}
