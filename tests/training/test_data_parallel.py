"""One device vs two: same loss trajectory; the train step compiles once per run."""

import json

import numpy as np

from conftest import TINY_OVERRIDES, launch

TOY = "--config=experiments/wgan_gp_toy.py"
KEYS = ("critic_loss", "generator_loss", "gradient_penalty", "wasserstein_estimate")


def _run(tmp_path, devices, *extra):
  workdir = tmp_path / f"dev{devices}"
  launch(TOY, *TINY_OVERRIDES, "--config.train.num_steps=30", *extra, f"--workdir={workdir}",
         devices=devices, check=True)
  rows = [json.loads(line) for line in (workdir / "metrics.jsonl").read_text().splitlines()]
  train = [r for r in rows if "critic_loss" in r]
  provenance = json.loads((workdir / "provenance.json").read_text())
  return train, json.loads((workdir / "results.json").read_text()), provenance


def test_two_devices_match_one(tmp_path):
  one, res1, prov1 = _run(tmp_path, 1)
  two, res2, prov2 = _run(tmp_path, 2)
  assert prov1["devices"]["count"] == 1 and prov2["devices"]["count"] == 2
  assert [r["step"] for r in one] == [r["step"] for r in two] == list(range(1, 31))
  for key in KEYS:
    np.testing.assert_allclose([r[key] for r in two], [r[key] for r in one],
                               rtol=2e-4, atol=2e-5, err_msg=key)
  assert res1["train_step_compilations"] == 1
  assert res2["train_step_compilations"] == 1


def test_generator_batch_norm_is_global_across_devices(tmp_path):
  """Batch statistics are over the whole batch, not per device shard."""
  extra = ("--config.model.generator.norm=batch_norm",)
  one, _, _ = _run(tmp_path / "a", 1, *extra)
  two, _, _ = _run(tmp_path / "b", 2, *extra)
  for key in KEYS:
    np.testing.assert_allclose([r[key] for r in two], [r[key] for r in one],
                               rtol=2e-4, atol=2e-5, err_msg=key)
