"""The tiny protocol the executor tests run: WGAN-GP and DCGAN on 8gaussians, 4 steps,
and its serial run's table (the reference of the local and SLURM executors' tests)."""

import pytest

from conftest import launch

TINY_PROTOCOL = [
    "--config=experiments/toy_gan_comparison.py",
    "--config.model.generator.width=16", "--config.model.critic.width=16",
    "--config.model.generator.depth=2", "--config.model.critic.depth=2",
    "--config.data.batch_size=8", "--config.train.log_every=1",
    "--config.train.checkpoint_every=2", "--config.train.progress_bar=False",
    "--config.eval.toy_samples=64", "--config.eval.mmd_samples=32", "--config.eval.grid_size=8",
    "--config.train.num_steps=4", "--config.protocol.datasets=('8gaussians',)",
    "--config.protocol.objectives=('wgan_gp','dcgan')",
]
SUBRUNS = ("wgan_gp_8gaussians", "dcgan_8gaussians")

_SERIAL = {}


@pytest.fixture(scope="session")
def serial_table(tmp_path_factory):
  """table.md of the tiny protocol run serially in one process (today's behaviour); computed
  once per session however many test modules import this fixture."""
  if "table" not in _SERIAL:
    workdir = tmp_path_factory.mktemp("serial")
    launch(*TINY_PROTOCOL, f"--workdir={workdir}", check=True)
    _SERIAL["table"] = (workdir / "table.md").read_text()
  return _SERIAL["table"]
