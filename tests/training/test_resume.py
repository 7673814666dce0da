"""Exact resume after SIGKILL, refusal of another config's checkpoint, checkpoint round trip."""

import json
import os
import signal
import subprocess
import sys
import time

import jax
import numpy as np
import pytest

from conftest import REPO, TINY_OVERRIDES, launch, tiny_gan_config
from gen_models import data, tasks
from gen_models.training import checkpointing

TOY = "--config=experiments/wgan_gp_toy.py"
VOLATILE = ("steps_per_s", "examples_per_s", "train_elapsed_s",  # wall-clock measurements
            "generator_steps_per_s", "critic_real_images_per_s")


def _trajectory(workdir):
  rows = [json.loads(line) for line in (workdir / "metrics.jsonl").read_text().splitlines()]
  return [{k: v for k, v in row.items() if k not in VOLATILE} for row in rows]


def _final_state(workdir, num_steps):
  config = tiny_gan_config()
  source = data.build_source(config.data, config.train.seed)
  task = tasks.build_task(config, source)
  like = jax.eval_shape(task.init, jax.random.key(0), source.batches(0, task.batches_per_step))
  ckpt = checkpointing.Checkpointer(workdir / "checkpoints")
  try:
    return ckpt.restore(num_steps, like)
  finally:
    ckpt.close()


@pytest.mark.slow
def test_sigkill_then_resume_matches_uninterrupted_run(tmp_path):
  steps = 400
  args = [TOY, *TINY_OVERRIDES, f"--config.train.num_steps={steps}",
          "--config.train.checkpoint_every=20"]
  straight = tmp_path / "straight"
  launch(*args, f"--workdir={straight}", check=True)

  killed = tmp_path / "killed"
  env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=1")
  proc = subprocess.Popen([sys.executable, str(REPO / "launch" / "main.py"), *args,
                           f"--workdir={killed}"], cwd=REPO, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
  deadline = time.time() + 120
  while not (killed / "checkpoints" / "20").exists():
    assert proc.poll() is None, "run ended before its first checkpoint"
    assert time.time() < deadline, "no checkpoint within 120 s"
    time.sleep(0.02)
  proc.send_signal(signal.SIGKILL)
  proc.wait()
  assert proc.returncode == -signal.SIGKILL
  assert not (killed / "results.json").exists(), "the run finished before it was killed"

  launch(*args, f"--workdir={killed}", check=True)
  assert json.loads((killed / "results.json").read_text()) == json.loads(
      (straight / "results.json").read_text())
  assert _trajectory(killed) == _trajectory(straight)
  a, b = _final_state(straight, steps), _final_state(killed, steps)
  jax.tree_util.tree_map(np.testing.assert_array_equal, a, b)


def test_workdir_of_another_config_is_refused(tmp_path):
  args = [TOY, *TINY_OVERRIDES, "--config.train.num_steps=5", f"--workdir={tmp_path}"]
  launch(*args, check=True)
  proc = launch(*args, "--config.train.seed=7")
  assert proc.returncode != 0
  assert "holds a checkpoint of a different config" in proc.stderr
  assert "train.seed" in proc.stderr


def test_checkpoint_round_trip_is_bit_exact(tmp_path):
  config = tiny_gan_config()
  source = data.build_source(config.data, 0)
  task = tasks.build_task(config, source)
  state = task.init(jax.random.key(3), source.batches(0, task.batches_per_step))
  ckpt = checkpointing.Checkpointer(tmp_path / "ckpt")
  ckpt.save(7, state)
  assert ckpt.latest_step() == 7
  restored = ckpt.restore(7, state)
  ckpt.close()
  leaves_a, tree_a = jax.tree_util.tree_flatten(state)
  leaves_b, tree_b = jax.tree_util.tree_flatten(restored)
  assert tree_a == tree_b
  for x, y in zip(leaves_a, leaves_b):
    assert np.asarray(x).dtype == np.asarray(y).dtype
    np.testing.assert_array_equal(np.asarray(x), np.asarray(y))
