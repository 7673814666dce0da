"""Section 2.4.2's comparison: the two-level PixelVAE against a one-level PixelVAE, a two-level
PixelVAE with Gaussian (non-autoregressive) latent decoders and a two-level VAE with a
factorized pixel output, on the same data at an equal budget (`train.num_steps`, or the
training wall-clock `train.time_budget_s`; batch size, optimizer: every sub-run is the base config
with only the model's ablation fields changed).

Sub-runs: one per name in `protocol.models` (keys of presets/hierarchical_pixelvae.ABLATIONS).
The reducer writes table.md: test bits/dim (IWAE where computed, and the ELBO), train bits/dim
(the negative ELBO of the last logged training steps, averaged over `protocol.train_log_window`
log lines), and the KL per level in nats per image and bits/dim.
"""

import math
import pathlib

import numpy as np

from gen_models import models
from gen_models.objectives import likelihood as lik
from gen_models.plotting import tables
from gen_models.presets import hierarchical_pixelvae as preset
from gen_models.training import metrics as metrics_lib

ABLATION_FIELDS = ("num_levels", "pixel_decoder", "latent_decoder")


def _budget(train_config) -> str:
  if train_config.time_budget_s:
    return (f"{train_config.time_budget_s / 60:.1f} minutes of training wall-clock per model "
            f"(at most {train_config.num_steps} steps)")
  return f"{train_config.num_steps} steps"


def _train_minutes(logged_rows) -> float | None:
  """Training wall-clock at the last logged row; None for logs written before it was logged."""
  elapsed = logged_rows[-1].get("train_elapsed_s") if logged_rows else None
  return None if elapsed is None else elapsed / 60


class HierarchicalAblation:

  @staticmethod
  def subruns(config):
    from gen_models.protocols import base_config  # late: the package imports this module
    runs = []
    for name in config.protocol.models:
      if name not in preset.ABLATIONS:
        raise ValueError(f"unknown ablation {name!r} in protocol.models; known: "
                         f"{sorted(preset.ABLATIONS)}")
      sub = base_config(config)
      fields = {k: v for k, v in config.model.to_dict().items()
                if k not in ABLATION_FIELDS + ("name",)}
      sub.model = models.hierarchical_config(**fields, **preset.ABLATIONS[name])
      runs.append((name, sub))
    return runs

  @staticmethod
  def reduce(config, workdir, results):
    workdir = pathlib.Path(workdir)
    rows = []
    summary = {}
    for name in config.protocol.models:
      if name not in results:
        continue
      res = results[name]
      if "test_bpd_elbo" not in res:  # e.g. {"diverged": True, "error": ...}
        rows.append((preset.ABLATION_LABELS[name], "diverged", "", "", "", "", ""))
        continue
      # nats per image / bits per dim = D ln 2
      dims = res["test_nll_elbo"] / (res["test_bpd_elbo"] * math.log(2.0))
      bpd = lambda nats: lik.nats_to_bits_per_dim(nats, dims)  # noqa: E731
      logged = [r for r in metrics_lib.read_metrics(workdir / name) if "nelbo_bpd" in r]
      window = logged[-config.protocol.train_log_window:]
      train_bpd = float(np.mean([r["nelbo_bpd"] for r in window])) if window else None
      entry = {"test_bpd_iwae": res.get("test_bpd_iwae"), "test_bpd_elbo": res["test_bpd_elbo"],
               "train_bpd_elbo": train_bpd, "test_kl_z1": res["test_kl_z1"],
               "test_kl_z2": res.get("test_kl_z2"), "step": res["step"],
               "train_minutes": _train_minutes(logged)}
      summary[name] = entry
      fmt = lambda v, spec=".3f": "—" if v is None else format(v, spec)  # noqa: E731
      rows.append((preset.ABLATION_LABELS[name], fmt(entry["test_bpd_iwae"]),
                   fmt(entry["test_bpd_elbo"]), fmt(train_bpd),
                   f"{entry['test_kl_z1']:.1f} ({bpd(entry['test_kl_z1']):.3f})",
                   "—" if entry["test_kl_z2"] is None else
                   f"{entry['test_kl_z2']:.1f} ({bpd(entry['test_kl_z2']):.3f})",
                   entry["step"], fmt(entry["train_minutes"], ".1f")))
    headers = ("model", "test bits/dim (IWAE)", "test bits/dim (ELBO)", "train bits/dim (ELBO)",
               "KL z1 nats (bits/dim)", "KL z2 nats (bits/dim)", "steps",
               "train minutes")
    first = next(iter(results.values()), {})
    text = ("# Section 2.4.2: hierarchical PixelVAE ablations\n\n"
            f"Data: {config.data.name}; equal budget: {_budget(config.train)} at batch "
            f"{config.data.batch_size}; IWAE with k = {first.get('iwae_samples', 'n/a')} on "
            f"{first.get('num_test_examples', 'n/a')} images of split "
            f"{first.get('eval_split', 'n/a')}. Train bits/dim: the one-sample negative ELBO of "
            f"the last {config.protocol.train_log_window} logged training steps (batch "
            "statistics, KL weight 1 after warm-up). One-level model: its single latent is "
            "reported as z1. Thesis (LSUN 32x32, no numbers given): the two-level PixelVAE "
            "beats the three others.\n\n"
            + tables.markdown_table(headers, rows))
    prov = workdir / "provenance.json"
    if prov.is_file():
      text += "\n" + tables.provenance_lines(workdir)
    (workdir / "table.md").write_text(text)
    return {"models": summary}
