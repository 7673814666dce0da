"""Small units of the trainer: NaN guard, optimizer schedule, config comparison."""

import math

import numpy as np
import optax
import pytest

from gen_models.presets import gan_objectives
from gen_models.training import optimizers, rundir, trainer


def test_non_finite_metric_stops_with_named_error(tmp_path):
  with pytest.raises(trainer.NonFiniteLossError, match=r"critic_loss at step 12.*step 10"):
    trainer._check_finite(12, {"critic_loss": np.float32("nan"), "ok": 1.0}, tmp_path, 10)
  trainer._check_finite(12, {"critic_loss": 1.0, "vector": np.array([math.inf])}, tmp_path, 10)


def test_linear_decay_reaches_zero():
  cfg = optimizers.optimizer_config(name="sgd", learning_rate=0.5, linear_decay=True)
  tx = optimizers.build_optimizer(cfg, total_updates=4)
  params = {"w": np.float32(0.0)}
  state = tx.init(params)
  steps = []
  for _ in range(5):
    updates, state = tx.update({"w": np.float32(1.0)}, state, params)
    steps.append(float(-updates["w"]))
  np.testing.assert_allclose(steps, [0.5, 0.375, 0.25, 0.125, 0.0], atol=1e-7)


def test_thesis_optimizers_match_appendix_b2():
  gp = gan_objectives.thesis_optimizer("wgan_gp")
  assert (gp.name, gp.learning_rate, gp.b1, gp.b2) == ("adam", 1e-4, 0.5, 0.9)
  assert (gan_objectives.thesis_optimizer("wgan_clip").name,
          gan_objectives.thesis_optimizer("wgan_clip").learning_rate) == ("rmsprop", 5e-5)
  assert gan_objectives.thesis_optimizer("lsgan").learning_rate == 1e-4
  with pytest.raises(ValueError):
    optimizers.build_optimizer(optimizers.optimizer_config(name="adagrad"), 1)
  assert isinstance(optimizers.build_optimizer(gp, 1), optax.GradientTransformation)


def test_config_differences_ignore_only_resume_compatible_keys():
  old = {"train": {"num_steps": 10, "seed": 0}, "data": {"name": "a"}}
  new = {"train": {"num_steps": 99, "seed": 1}, "data": {"name": "a"}}
  assert rundir.config_differences(old, new) == ["train.seed: 0 -> 1"]
  old["eval"], new["eval"] = {"evaluators": ["a"], "split": "test"}, {"evaluators": ["a", "b"]}
  assert rundir.config_differences(old, new) == ["train.seed: 0 -> 1"]  # evaluation: any


def test_a_key_added_later_matches_old_runs_only_at_its_default():
  """A run directory from before optimizer.ema_decay existed resumes under a config holding
  the value that reproduces it (0: no average), and no other."""
  old = {"optimizer": {"name": "adam"}}
  assert rundir.config_differences(old, {"optimizer": {"name": "adam", "ema_decay": 0.0}}) == []
  assert rundir.config_differences(old, {"optimizer": {"name": "adam", "ema_decay": 0.999}}) == [
      "optimizer.ema_decay: 0.0 -> 0.999"]


def test_params_average_follows_the_ramped_decay():
  """The average after each update against a float64 loop of the rule in its docstring."""
  decay, trajectory = 0.9, np.random.default_rng(0).normal(size=(40, 3))
  average, expected = {"w": trajectory[0].astype(np.float32)}, trajectory[0]
  for step, params in enumerate(trajectory[1:]):
    average = optimizers.averaged_params(average, {"w": params.astype(np.float32)}, decay, step)
    d = min(decay, (1.0 + step) / (10.0 + step))
    expected = d * expected + (1.0 - d) * params
    np.testing.assert_allclose(average["w"], expected, rtol=1e-5, atol=1e-6)
  # the ramp is over by step 80: from then on the weight of new params is 1 - decay
  assert min(decay, 81.0 / 90.0) == decay
