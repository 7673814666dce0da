"""Section 2.4.2's ablation protocol: four sub-runs that differ only in the model's ablation
fields (equal budget), and a reducer writing table.md in bits/dim with the KL per level."""

import json
import math

from conftest import experiment_config
from gen_models.protocols import PROTOCOLS


def test_subruns_share_the_budget_and_differ_only_in_the_ablation():
  config = experiment_config("hierarchical_pixelvae_ablation")
  protocol = PROTOCOLS[config.protocol.name]
  runs = dict(protocol.subruns(config))
  assert list(runs) == ["two_level", "one_level", "gaussian_latent_decoders", "two_level_vae"]
  for sub in runs.values():
    assert sub.train == config.train and sub.data == config.data
    assert sub.optimizer == config.optimizer and "protocol" not in sub
  assert runs["one_level"].model.num_levels == 1
  assert runs["gaussian_latent_decoders"].model.latent_decoder == "gaussian"
  assert runs["two_level_vae"].model.pixel_decoder == "factorized"
  assert runs["two_level"].model.to_dict() == config.model.to_dict()


def test_reducer_writes_bits_per_dim_and_kl_per_level(tmp_path):
  config = experiment_config("hierarchical_pixelvae_ablation")
  results = {}
  for i, name in enumerate(config.protocol.models):
    nats = 7000.0 + 100 * i
    (tmp_path / name).mkdir()
    row = {"step": 1, "nelbo_bpd": 3.5 + i}
    if name == "two_level":  # logs written before the training wall-clock was logged lack it
      row["train_elapsed_s"] = 120.0
    (tmp_path / name / "metrics.jsonl").write_text(json.dumps(row) + "\n")
    results[name] = {"test_nll_elbo": nats, "test_bpd_elbo": nats / (3072 * math.log(2)),
                     "test_nll_iwae": nats - 10, "test_bpd_iwae": (nats - 10) / (3072 * math.log(2)),
                     "test_kl_z1": 50.0, "step": 10, "iwae_samples": 100,
                     "num_test_examples": 16, "eval_split": "test"}
    if name != "one_level":
      results[name]["test_kl_z2"] = 5.0
  results["two_level_vae"] = {"diverged": True, "error": "nan"}
  summary = PROTOCOLS[config.protocol.name].reduce(config, tmp_path, results)
  table = (tmp_path / "table.md").read_text()
  assert "| two-level PixelVAE | 3.283 | 3.287 | 3.500 | 50.0 (0.023) | 5.0 (0.002) | 10 | 2.0 |" in table
  assert summary["models"]["one_level"]["train_minutes"] is None
  assert "diverged" in table and "one-level PixelVAE" in table
  assert summary["models"]["one_level"]["test_kl_z2"] is None
