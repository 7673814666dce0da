"""The run directory holds everything the contract promises."""

import json

from conftest import TINY_OVERRIDES, launch


def test_full_run_directory(tmp_path):
  launch("--config=experiments/wgan_gp_toy.py", *TINY_OVERRIDES, "--config.train.num_steps=10",
         f"--workdir={tmp_path}", check=True)
  for name in ("config.json", "metrics.jsonl", "results.json", "provenance.json"):
    assert (tmp_path / name).is_file(), name
  assert any((tmp_path / "tensorboard").iterdir())
  assert (tmp_path / "checkpoints" / "10").is_dir()
  assert (tmp_path / "figures" / "samples.png").stat().st_size > 1000
  config = json.loads((tmp_path / "config.json").read_text())
  assert config["train"]["num_steps"] == 10 and config["data"]["data_dir"]
  rows = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
  assert all("step" in r for r in rows) and rows[-1]["step"] == 10
  assert "examples_per_s" in rows[0]
  provenance = json.loads((tmp_path / "provenance.json").read_text())
  for key in ("commit", "command", "versions", "devices", "wall_time_s"):
    assert key in provenance, key
  assert provenance["versions"]["jax"] and provenance["versions"]["flax"]
  results = json.loads((tmp_path / "results.json").read_text())
  for key in ("modes_covered", "high_quality_fraction", "mmd_rbf", "sliced_w1"):
    assert key in results, key
