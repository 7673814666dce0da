"""Figure 3.7b's protocol (wgan_overfitting): the held-out estimate uses validation digits and
the training one the subset (checked against the critic on images read straight from the IDX
file); a tiny run of both methods on real MNIST writes the curves, the figure and the table."""

import json
import os
import pathlib

import jax
import numpy as np
import pytest

from conftest import experiment_config, launch
from gen_models import data, tasks
from gen_models.evaluation import heldout_wasserstein
from gen_models.data import mnist
from gen_models.protocols import overfitting

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data"))
pytestmark = pytest.mark.skipif(bool(mnist.missing_files("mnist", DATA)),
                                reason=f"needs MNIST in {DATA / 'mnist'}")
TINY = ["--config.model.generator.width=2", "--config.model.critic.width=2",
        "--config.model.generator.latent_dim=4", "--config.data.batch_size=4",
        "--config.data.train_subset=20", "--config.train.num_steps=4",
        "--config.train.eval_every=2", "--config.train.unroll_critic=False",
        "--config.train.progress_bar=False", "--config.eval.loss_examples=4",
        "--config.eval.grid_rows=2", "--config.eval.heldout_examples=30"]


def _tiny_config():
  config = experiment_config("wgan_overfitting_mnist")
  del config["protocol"]
  config.data.update(data_dir=str(DATA), train_subset=20, batch_size=4)
  config.model.generator.update(width=2, latent_dim=4)
  config.model.critic.width = 2
  config.eval.heldout_examples = 30
  return config


def test_heldout_and_training_estimates_use_the_right_images():
  config = _tiny_config()
  source = data.build_source(config.data, 0)
  task = tasks.build_task(config, source)
  with jax.threefry_partitionable(False):  # XLA:CPU compiles this RNG faster
    state = jax.jit(task.init)(jax.random.key(0), source.batches(0, task.batches_per_step))
  result = heldout_wasserstein.HeldoutWasserstein(config, task, source).evaluate(
      state, jax.random.key(1), out_dir=None)
  raw = mnist.read_idx(DATA / "mnist" / mnist.FILES["train_images"])[..., None] / 255.0
  critic = jax.jit(task.critic_fn(state["critic"]))
  subset = raw[:-mnist.NUM_VALIDATION][source.subset_rows].astype(np.float32)
  heldout = raw[-mnist.NUM_VALIDATION:][:30].astype(np.float32)
  assert not (subset.reshape(20, 1, -1) == heldout.reshape(1, 30, -1)).all(-1).any()
  # Same fakes on both sides: the difference of the estimates is D's mean on real images only.
  np.testing.assert_allclose(
      result["wasserstein_train"] - result["wasserstein_heldout"],
      float(np.mean(critic(subset))) - float(np.mean(critic(heldout))), rtol=1e-4, atol=1e-6)


@pytest.mark.slow  # end to end, ~34 s; the estimates and the reducer have fast tests in this file
def test_tiny_protocol_writes_curves_figure_and_table(tmp_path):
  launch("--config=experiments/wgan_overfitting_mnist.py", *TINY,
         f"--config.data.data_dir={DATA.resolve()}", f"--workdir={tmp_path}", check=True)
  for method in ("wgan_gp", "wgan_clip"):
    curves = overfitting.loss_curves(tmp_path / method)
    assert curves["step"] == [2, 4]  # the periodic evaluation and the final one
    assert all(np.isfinite(curves[k]).all() for k in overfitting.KEYS)
  summary = json.loads((tmp_path / "results.json").read_text())
  gp = overfitting.loss_curves(tmp_path / "wgan_gp")
  assert summary["runs"]["wgan_gp"]["final_gap"] == pytest.approx(
      gp["wasserstein_train"][-1] - gp["wasserstein_heldout"][-1])
  assert (tmp_path / "figures" / "overfitting_curves.png").stat().st_size > 5000
  table = (tmp_path / "table.md").read_text()
  assert "| WGAN-GP | 4 |" in table and "| WGAN (weight clipping) | 4 |" in table
  assert "training subset (20 digits)" in table


def test_reduce_plots_and_tabulates_synthetic_curves(tmp_path):
  """The reducer on metrics.jsonl files as the trainer writes them (no training)."""
  config = experiment_config("wgan_overfitting_mnist")
  rng = np.random.default_rng(0)
  expected = {}
  for method in config.protocol.methods:
    train, heldout = rng.normal(size=5), rng.normal(size=5)
    expected[method] = (train, heldout)
    rows = [{"step": 10 * (i + 1), "eval/wasserstein_train": float(train[i]),
             "eval/wasserstein_heldout": float(heldout[i]), "train_elapsed_s": 1.0}
            for i in range(5)]
    rows.insert(2, {"step": 25, "critic_loss": 0.0})  # a log row without the eval keys
    (tmp_path / method).mkdir()
    (tmp_path / method / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
  summary = overfitting.Overfitting.reduce(config, tmp_path, results={})
  for method, (train, heldout) in expected.items():
    s = summary["runs"][method]
    gap = train - heldout
    assert s["final_gap"] == pytest.approx(gap[-1]) and s["max_gap"] == pytest.approx(gap.max())
    assert s["max_gap_step"] == 10 * (int(gap.argmax()) + 1) and s["final_step"] == 50
  assert (tmp_path / "figures" / "overfitting_curves.png").stat().st_size > 5000
  assert "training subset (1000 digits)" in (tmp_path / "table.md").read_text()
