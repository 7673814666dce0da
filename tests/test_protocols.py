"""Smoke runs of every toy experiment config, and protocol resume without retraining."""

import json

import pytest

from conftest import launch

TINY_PROTOCOL = [
    "--config.model.generator.width=16", "--config.model.critic.width=16",
    "--config.data.batch_size=8", "--config.train.log_every=1",
    "--config.train.checkpoint_every=5", "--config.train.progress_bar=False",
    "--config.eval.toy_samples=64", "--config.eval.mmd_samples=32", "--config.eval.grid_size=8",
]


@pytest.mark.slow  # end to end, ~26 s; the value-surface evaluator has a fast test (test_gan_task)
def test_value_surfaces_protocol_and_resume(tmp_path):
  args = ["--config=experiments/toy_value_surfaces.py", *TINY_PROTOCOL,
          "--config.train.num_steps=3", f"--workdir={tmp_path}"]
  launch(*args, check=True)
  assert (tmp_path / "figures" / "value_surfaces.png").stat().st_size > 1000
  results = json.loads((tmp_path / "results.json").read_text())
  assert len(results) == 6
  stamps = {p: p.stat().st_mtime_ns for p in tmp_path.glob("*/results.json")}
  assert len(stamps) == 6
  # A second launch (as after a kill between sub-runs) retrains nothing already finished.
  (tmp_path / "wgan_gp_swissroll" / "results.json").unlink()
  proc = launch(*args, check=True)
  assert proc.stdout.count("finished earlier, kept") == 5
  for path, stamp in stamps.items():
    if path.parent.name != "wgan_gp_swissroll":
      assert path.stat().st_mtime_ns == stamp, path


@pytest.mark.slow  # end to end, ~31 s; input_gradient_norms has fast tests (finite differences)
def test_gradient_norms_protocol(tmp_path):
  launch("--config=experiments/toy_gradient_norms.py", *TINY_PROTOCOL,
         "--config.model.generator.depth=4", "--config.model.critic.depth=4",
         "--config.train.num_steps=3", f"--workdir={tmp_path}", check=True)
  results = json.loads((tmp_path / "results.json").read_text())
  assert set(results) == {"wgan_clip_c0.1", "wgan_clip_c0.01", "wgan_clip_c0.001", "wgan_gp"}
  for setting in results.values():
    assert len(setting["layer_grad_norms"]) == 4
    assert setting["last_over_first"] > 0
  for name in ("layer_gradient_norms.png", "weight_histograms.png"):
    assert (tmp_path / "figures" / name).stat().st_size > 1000


@pytest.mark.parametrize("objective", ["wgan_clip", "dcgan", "lsgan"])
def test_each_objective_trains(tmp_path, objective):
  launch(f"--config=experiments/wgan_gp_toy.py:25gaussians,{objective}", *TINY_PROTOCOL,
         "--config.train.num_steps=3", f"--workdir={tmp_path}", check=True)
  results = json.loads((tmp_path / "results.json").read_text())
  assert results["num_modes"] == 25 and results["step"] == 3


def test_gan_comparison_protocol(tmp_path):
  launch("--config=experiments/toy_gan_comparison.py", *TINY_PROTOCOL,
         "--config.train.num_steps=2", "--config.protocol.datasets=('8gaussians',)",
         f"--workdir={tmp_path}", check=True)
  table = (tmp_path / "table.md").read_text()
  for label in ("WGAN-GP", "WGAN (weight clipping)", "DCGAN", "LSGAN"):
    assert label in table
