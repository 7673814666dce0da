"""launch/sample.py and launch/evaluate.py on finished tiny runs of three families (toy GAN,
MNIST PixelVAE, CIFAR-10 GAN): samples come out in the right form, evaluation writes
eval/<step>.json (reproducing the trainer's own final evaluation when nothing is overridden)
and leaves the run's metrics.jsonl and results.json byte-identical."""

import json
import os
import pathlib
import subprocess
import sys

import jax
import numpy as np
import pytest
from PIL import Image

from conftest import REPO, tiny_gan_config
from gen_models.data import cifar10
from gen_models.presets import gan_cifar, likelihood_mnist
from gen_models.runs import single

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data")).resolve()
BOOKKEEPING = ("step", "train_step_compilations", "eval_examples_per_s", "overrides", "stopped_by")


def _verb(script, *args):
  env = dict(os.environ, JAX_PLATFORMS="cpu")
  proc = subprocess.run([sys.executable, str(REPO / "launch" / script), *args],
                        capture_output=True, text=True, timeout=300, env=env, cwd=REPO)
  return proc


def _run_files(workdir):
  return {name: (workdir / name).read_bytes() for name in ("metrics.jsonl", "results.json")}


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory):
  workdir = tmp_path_factory.mktemp("toy")
  single.run(tiny_gan_config(num_steps=10), workdir)
  return workdir


@pytest.fixture(scope="module")
def pixelvae_run(tmp_path_factory):
  if not (DATA / "mnist").is_dir():
    pytest.skip(f"needs MNIST in {DATA}")
  workdir = tmp_path_factory.mktemp("pixelvae")
  config = likelihood_mnist.tiny_overrides(likelihood_mnist.likelihood_mnist_config("pixelvae"))
  config.data.data_dir = str(DATA)
  config.train.num_steps = 2
  with jax.threefry_partitionable(False):  # faster CPU compiles (tests/tasks/...likelihood_task)
    single.run(config, workdir)
  return workdir


@pytest.fixture(scope="module")
def cifar_gan_run(tmp_path_factory):
  if not cifar10.tarball_path(DATA).is_file():
    pytest.skip(f"needs the CIFAR-10 tarball in {DATA}")
  workdir = tmp_path_factory.mktemp("cifar_gan")
  config = gan_cifar.gan_cifar_config()
  for player in ("generator", "critic"):
    config.model[player].width = 8
  config.model.generator.latent_dim = 16
  config.data.update(data_dir=str(DATA), batch_size=8)
  config.objective.n_critic = 1
  config.train.update(num_steps=2, progress_bar=False)
  config.eval.update(loss_examples=8, grid_rows=2,
                     classifier_path=str(workdir / "absent" / "classifier.npz"))
  single.run(config, workdir)
  return workdir


def test_toy_gan_sample_and_evaluate(toy_run):
  before = _run_files(toy_run)
  out = toy_run / "points.npz"
  proc = _verb("sample.py", f"--workdir={toy_run}", "--num=100", "--seed=3", f"--out={out}")
  assert proc.returncode == 0, proc.stderr[-2000:]
  with np.load(out) as f:
    assert f["samples"].shape == (100, 2) and np.isfinite(f["samples"]).all()
  proc = _verb("sample.py", f"--workdir={toy_run}", "--num=50")
  assert proc.returncode == 0, proc.stderr[-2000:]
  assert (toy_run / "samples" / "step10_seed0.png").stat().st_size > 1000
  proc = _verb("evaluate.py", f"--workdir={toy_run}")
  assert proc.returncode == 0, proc.stderr[-2000:]
  evaluated = json.loads((toy_run / "eval" / "10.json").read_text())
  trained = json.loads((toy_run / "results.json").read_text())
  shared = {k: v for k, v in trained.items() if k not in BOOKKEEPING}
  assert shared and {k: evaluated[k] for k in shared} == shared  # same key, same numbers
  assert _run_files(toy_run) == before
  proc = _verb("evaluate.py", f"--workdir={toy_run}", "--config.eval.toy_samples=128")
  assert proc.returncode == 0, proc.stderr[-2000:]
  assert json.loads((toy_run / "eval" / "10.json").read_text())["overrides"] == [
      "--config.eval.toy_samples=128"]
  assert _run_files(toy_run) == before


def test_pixelvae_sample_and_evaluate(pixelvae_run):
  before = _run_files(pixelvae_run)
  out = pixelvae_run / "grid.png"
  proc = _verb("sample.py", f"--workdir={pixelvae_run}", "--num=4", f"--out={out}")
  assert proc.returncode == 0, proc.stderr[-2000:]
  grid = np.asarray(Image.open(out))
  assert grid.ndim == 2 and set(np.unique(grid)) <= {0, 255}  # binary digits, white borders
  proc = _verb("evaluate.py", f"--workdir={pixelvae_run}", "--config.eval.iwae_samples=2")
  assert proc.returncode == 0, proc.stderr[-2000:]
  evaluated = json.loads((pixelvae_run / "eval" / "2.json").read_text())
  assert evaluated["iwae_samples"] == 2 and np.isfinite(evaluated["test_nll_iwae"])
  assert (pixelvae_run / "eval" / "2" / "scores.npz").is_file()
  assert _run_files(pixelvae_run) == before


@pytest.mark.slow
def test_cifar_gan_sample_and_evaluate(cifar_gan_run):
  before = _run_files(cifar_gan_run)
  proc = _verb("sample.py", f"--workdir={cifar_gan_run}", "--num=9")
  assert proc.returncode == 0, proc.stderr[-2000:]
  grid = np.asarray(Image.open(cifar_gan_run / "samples" / "step2_seed0.png"))
  assert grid.shape == (2 * (3 * 33 + 1), 2 * (3 * 33 + 1), 3)  # 3 x 3 tiles, 2x scale
  proc = _verb("evaluate.py", f"--workdir={cifar_gan_run}")
  assert proc.returncode == 0, proc.stderr[-2000:]
  assert sum(line.startswith("warning:") for line in proc.stderr.splitlines()) == 1
  evaluated = json.loads((cifar_gan_run / "eval" / "2.json").read_text())
  assert "classifier_scores" in evaluated["skipped"] and "critic_loss" in evaluated
  assert (cifar_gan_run / "eval" / "2" / "figures" / "samples.png").is_file()
  assert _run_files(cifar_gan_run) == before


def test_verbs_fail_in_one_line(toy_run, tmp_path):
  for proc, needle in (
      (_verb("sample.py", f"--workdir={toy_run}", "--step=7"), "no checkpoint at step 7"),
      (_verb("evaluate.py", f"--workdir={tmp_path / 'nothing'}"), "run directory not found"),
      (_verb("evaluate.py", f"--workdir={toy_run}", "--config.eval.toy_sample=1"),
       "did you mean 'eval.toy_samples'")):
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 2 and len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert needle in lines[0], lines[0]
