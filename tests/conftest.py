"""Shared fixtures: tiny configs that exercise the real code paths in seconds."""

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest

from gen_models import xla_setup

xla_setup.apply_cpu_fast_path()  # before anything imports jax (XLA reads XLA_FLAGS at start)


def _share_one_compilation_cache() -> str | None:
  """Points the launcher processes the tests start at one persistent compilation cache.

  Compiling, not computing, is most of a tiny launch's time (a 5-step toy GAN run: 4.8 of
  7.8 s), and dozens of tests launch the same tiny programs: the toy GAN, the tiny likelihood
  models, a protocol's sub-runs. The pytest process that loads this file first creates the
  directory; xdist workers and every process they start inherit it through the environment.
  Entries are keyed by the program, the XLA flags and the versions, so a hit is the executable
  a fresh compile would give. It is cold at the start of every run (the suite's time is a cold
  time) and removed at the end. Every program is cached however quick its compile (the default
  skips those under 1 s); a size limit turns on JAX's file lock (the `filelock` package), so
  two processes never read a half-written entry. A cache the user set (JAX_COMPILATION_CACHE_DIR)
  is what the launchers use, as it is. Returns the directory this process created, or None.
  """
  if "JAX_COMPILATION_CACHE_DIR" in os.environ:
    return None
  cache_dir = tempfile.mkdtemp(prefix="gen_models_test_xla_cache_")
  os.environ.update(JAX_COMPILATION_CACHE_DIR=cache_dir,
                    JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS="0",
                    JAX_COMPILATION_CACHE_MAX_SIZE=str(16 << 30))
  return cache_dir


_CREATED_CACHE_DIR = _share_one_compilation_cache()  # before anything imports jax, as above

import jax  # noqa: E402

# The pytest processes themselves skip the cache: their programs are mostly compiled once, and
# writing an entry (serialize, compress, and JAX's scan of the directory for its size limit)
# made the in-process CIFAR-sized tests up to twice as slow in a measured run.
jax.config.update("jax_enable_compilation_cache", False)

from gen_models.presets import gan_toy  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[1]


def pytest_unconfigure(config):
  del config
  if _CREATED_CACHE_DIR is not None:
    shutil.rmtree(_CREATED_CACHE_DIR, ignore_errors=True)


def tiny_gan_config(dataset="8gaussians", objective="wgan_gp", num_steps=20):
  config = gan_toy.gan_toy_config(dataset, objective)
  for player in ("generator", "critic"):
    config.model[player].depth = 2
    config.model[player].width = 16
  config.data.batch_size = 8
  config.objective.n_critic = min(config.objective.n_critic, 2)
  config.train.update(num_steps=num_steps, log_every=1, checkpoint_every=5, progress_bar=False)
  config.eval.update(toy_samples=64, mmd_samples=32, grid_size=8)
  return config


TINY_OVERRIDES = [
    "--config.model.generator.depth=2", "--config.model.generator.width=16",
    "--config.model.critic.depth=2", "--config.model.critic.width=16",
    "--config.data.batch_size=8", "--config.objective.n_critic=2",
    "--config.train.log_every=1", "--config.train.checkpoint_every=5",
    "--config.train.progress_bar=False",
    "--config.eval.toy_samples=64", "--config.eval.mmd_samples=32", "--config.eval.grid_size=8",
]


def launch(*args, devices=1, timeout=300, check=False):
  """Runs launch/main.py in a fresh process (XLA device count is fixed at JAX import)."""
  env = dict(os.environ)
  env["XLA_FLAGS"] = xla_setup.with_flag(  # keeps the CPU fast-path flag (and the user's)
      env.get("XLA_FLAGS", ""), f"--xla_force_host_platform_device_count={devices}")
  env.setdefault("JAX_PLATFORMS", "cpu")
  proc = subprocess.run([sys.executable, str(REPO / "launch" / "main.py"), *args],
                        capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO)
  if check and proc.returncode != 0:
    raise AssertionError(f"launcher failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
  return proc


def run_evaluators(config, task, source, state, key, out_dir):
  """The results of config.eval.evaluators on `state`, as the trainer's final evaluation."""
  from gen_models.evaluation import registry
  return registry.EvaluatorSet(config, task, source, skipped={})(state, key, out_dir)


@pytest.fixture
def tiny_config():
  return tiny_gan_config


def experiment_config(name: str, arg: str = ""):
  """`get_config(arg)` of experiments/<name>.py, loaded the way the launcher loads it."""
  import importlib.util
  spec = importlib.util.spec_from_file_location(name, REPO / "experiments" / f"{name}.py")
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module.get_config(arg)


def jitted_steps(task, source, state, num_steps: int):
  """Runs `num_steps` jitted train steps on batches 0.. -> (state, last metrics, trace count)."""
  import jax
  traces = [0]

  def counted(state, batch, rng):
    traces[0] += 1
    return task.train_step(state, batch, rng)

  step = jax.jit(counted)
  metrics = None
  for i in range(num_steps):
    state, metrics = step(state, source.batches(i, task.batches_per_step), jax.random.key(i))
  return state, metrics, traces[0]


def pytest_collection_modifyitems(config, items):
  """Long system tests (marked `slow`) run only when selected with `-m slow`, so the default
  suite (the README's command, which has no marker expression) stays within its time budget.
  CI runs them too, as a second command in .ci/run. Tests marked `longest` go first, so that
  (with `--dist load`) the other workers share the rest while it runs instead of after it."""
  items.sort(key=lambda item: item.get_closest_marker("longest") is None)  # stable
  markexpr = config.getoption("markexpr") or ""
  if "slow" in markexpr and "not slow" not in markexpr:
    return
  skip = pytest.mark.skip(reason="select with -m slow")
  for item in items:
    if item.get_closest_marker("slow"):
      item.add_marker(skip)
