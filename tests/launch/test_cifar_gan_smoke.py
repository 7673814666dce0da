"""The headline CIFAR-10 command through launch/main.py on the real data, shrunk (tiny widths,
batch 8, two steps): it trains, evaluates and logs the named GAN rates. Without the classifier
file the classifier_scores evaluator is skipped with one warning line naming the file and the
command that makes it (results.json records it under 'skipped'); with eval.strict the launch
stops before training with one error line (exit 2)."""

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
        "--config.objective.n_critic=1", "--config.train.num_steps=2",
        "--config.train.progress_bar=False", "--config.eval.loss_examples=8",
        "--config.eval.grid_rows=2"]

pytestmark = pytest.mark.skipif(not REAL.is_file(), reason=f"needs the CIFAR-10 tarball at {REAL}")


def test_headline_command_without_the_classifier_trains_and_skips_its_score(tmp_path):
  # An explicit path that holds no classifier: the default one may exist in a per-user cache.
  absent = tmp_path / "no_classifier" / "cifar10_classifier.npz"
  proc = launch(*TINY, f"--config.eval.classifier_path={absent}", f"--workdir={tmp_path / 'run'}",
                check=True)
  warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
  assert len(warnings) == 1, proc.stderr[-2000:]
  assert str(absent) in warnings[0] and "classifier_scores" in warnings[0]
  assert ("python launch/main.py --config=experiments/cifar10_classifier.py" in warnings[0]
          and "python tools/export_classifier.py" in warnings[0])
  run = tmp_path / "run"
  results = json.loads((run / "results.json").read_text())
  assert results["step"] == 2 and "classifier_score" not in results
  assert set(results["skipped"]) == {"classifier_scores"}
  assert str(absent) in results["skipped"]["classifier_scores"]
  assert all(k in results for k in ("critic_loss", "generator_loss"))
  rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
  assert {"generator_steps_per_s", "critic_real_images_per_s", "train_elapsed_s"} <= set(rows[0])
  assert (run / "figures" / "samples.png").is_file()


def test_strict_missing_classifier_stops_the_launch_before_training(tmp_path):
  absent = tmp_path / "absent.npz"
  proc = launch(*TINY, f"--config.eval.classifier_path={absent}", "--config.eval.strict=True",
                f"--workdir={tmp_path / 'run'}")
  assert proc.returncode == 2
  errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
  assert len(errors) == 1 and errors[0] == proc.stderr.strip().splitlines()[-1]
  assert "absent.npz" in errors[0] and "export_classifier.py" in errors[0]
  assert not (tmp_path / "run" / "metrics.jsonl").exists()
  assert not (tmp_path / "run" / "checkpoints").exists()
