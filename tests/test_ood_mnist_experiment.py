"""experiments/ood_mnist.py end to end on real MNIST with tiny models: two held-out digits,
scores of the whole test set, the per-digit table, and no retraining on relaunch."""

import json

import numpy as np
import pytest

from conftest import launch

TINY = ["--config.model.channels=4", "--config.model.latent_dim=2",
        "--config.data.batch_size=8", "--config.objective.kl_warmup_steps=2",
        "--config.train.num_steps=3", "--config.train.log_every=1",
        "--config.train.checkpoint_every=3", "--config.train.progress_bar=False",
        "--config.eval.num_test_examples=200", "--config.eval.batch_size=50",
        "--config.eval.iwae_samples=4", "--config.eval.iwae_chunk=2",
        "--config.protocol.held_out_classes=(1, 7)"]


@pytest.mark.slow  # two VAE sub-runs end to end (~40 s); the protocol's parts have fast tests
def test_ood_mnist_vae_two_digits(tmp_path):
  args = ["--config=experiments/ood_mnist.py:vae", *TINY, f"--workdir={tmp_path}"]
  launch(*args, check=True, timeout=600)
  results = json.loads((tmp_path / "results.json").read_text())
  table = (tmp_path / "table.md").read_text()
  for digit in ("1", "7"):
    assert (tmp_path / f"heldout_{digit}" / "scores.npz").is_file()
    assert not (tmp_path / f"heldout_{digit}" / "figures").exists()  # test_likelihood only
  for score in ("elbo", "iwae", "elbo_complexity_corrected"):
    assert score in table, table
  assert json.dumps(results)  # a JSON summary was written
  before = (tmp_path / "heldout_1" / "results.json").stat().st_mtime_ns
  proc = launch(*args, check=True, timeout=600)
  assert "finished earlier, kept" in proc.stdout
  assert (tmp_path / "heldout_1" / "results.json").stat().st_mtime_ns == before


def test_unknown_variant_is_named(tmp_path):
  proc = launch("--config=experiments/ood_mnist.py:dcgan_typo", f"--workdir={tmp_path}")
  assert proc.returncode != 0 and "dcgan_typo" in proc.stderr


def test_ood_mnist_dcgan_scores_the_test_set_with_the_discriminator(tmp_path):
  launch("--config=experiments/ood_mnist.py:dcgan", "--config.model.generator.width=8",
         "--config.model.critic.width=8", "--config.data.batch_size=8",
         "--config.train.num_steps=2", "--config.train.progress_bar=False",
         "--config.eval.loss_examples=8", "--config.eval.grid_rows=2",
         "--config.eval.num_test_examples=200", "--config.protocol.held_out_classes=(1, 7)",
         f"--workdir={tmp_path}", check=True, timeout=600)
  table = (tmp_path / "table.md").read_text()
  assert "discriminator" in table and "discriminator_complexity_corrected" not in table
  with np.load(tmp_path / "heldout_7" / "scores.npz") as npz:
    assert npz["discriminator"].shape == (200,) and np.all(np.isfinite(npz["discriminator"]))
    assert npz["images"].dtype == np.uint8 and npz["images"].max() > 200  # grey levels kept


@pytest.mark.slow  # ~15 s; the thesis smoke runs this experiment end to end, its report section
def test_fashion_to_mnist_cross_dataset(tmp_path):  # has fast tests (tests/reports)
  launch("--config=experiments/ood_fashion_to_mnist.py:pixelcnn", "--config.model.channels=4",
         "--config.model.num_ar_layers=2", "--config.data.batch_size=8",
         "--config.train.num_steps=2", "--config.train.progress_bar=False",
         "--config.eval.num_test_examples=100", "--config.eval.batch_size=50",
         f"--workdir={tmp_path}", check=True, timeout=600)
  summary = json.loads((tmp_path / "results.json").read_text())
  assert summary["num_in_distribution"] == 100 and summary["num_ood"] == 100
  for name in ("exact", "exact_complexity_corrected"):
    assert 0.0 <= summary["metrics"][name]["auroc"] <= 1.0
  assert "Fashion-MNIST (in-distribution) vs MNIST" in (tmp_path / "table.md").read_text()
  with np.load(tmp_path / "train" / "cross_dataset_scores.npz") as npz:
    assert npz["labels"].tolist() == [0] * 100 + [1] * 100
