"""The headline CIFAR-10 command through launch/main.py on the real data, shrunk (tiny widths,
batch 8, one step): it trains, evaluates and logs the named GAN rates; asking for the classifier
score without the classifier file fails before training with a one-line error."""

import json
import os
import pathlib

import pytest

from conftest import launch
from gen_models.data import cifar10

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data"))
REAL = cifar10.tarball_path(DATA)
TINY = ["--config=experiments/wgan_gp_cifar.py", f"--config.data.data_dir={DATA.resolve()}",
        "--config.model.generator.width=8", "--config.model.critic.width=8",
        "--config.model.generator.latent_dim=16", "--config.data.batch_size=8",
        "--config.objective.n_critic=1", "--config.train.num_steps=1",
        "--config.train.progress_bar=False", "--config.eval.num_samples=8",
        "--config.eval.grid_rows=2"]

pytestmark = pytest.mark.skipif(not REAL.is_file(), reason=f"needs the CIFAR-10 tarball at {REAL}")


def test_tiny_cifar_wgan_gp_through_the_launcher(tmp_path):
  launch(*TINY, "--config.eval.offline_score=False", f"--workdir={tmp_path}", check=True)
  results = json.loads((tmp_path / "results.json").read_text())
  assert results["step"] == 1 and "classifier_score" not in results
  rows = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
  assert {"generator_steps_per_s", "critic_real_images_per_s", "train_elapsed_s"} <= set(rows[0])
  assert (tmp_path / "figures" / "samples.png").is_file()


def test_missing_classifier_stops_the_launch_before_training(tmp_path):
  absent = tmp_path / "absent.npz"
  proc = launch(*TINY, f"--config.eval.classifier_path={absent}", f"--workdir={tmp_path / 'run'}")
  assert proc.returncode != 0
  last = proc.stderr.strip().splitlines()[-1]
  assert "absent.npz" in last and "--config.eval.offline_score=False" in last
  assert not (tmp_path / "run" / "metrics.jsonl").exists()
  assert not (tmp_path / "run" / "checkpoints").exists()
