"""experiments/ood_cifar10.py end to end on real CIFAR-10 with tiny models: two held-out
classes, scores of (a prefix of) the whole test set, and the per-class table with class names."""

import json

import numpy as np
import pytest

from conftest import experiment_config, launch

@pytest.fixture(autouse=True)
def _fast_rng_compiles(monkeypatch):
  """The classic threefry compiles much faster on XLA:CPU (tests/tasks/test_likelihood_task)."""
  monkeypatch.setenv("JAX_THREEFRY_PARTITIONABLE", "0")


TINY = ["--config.model.channels=4", "--config.model.latent_dim=2",
        "--config.model.iaf_hidden=8", "--config.model.num_mixtures=1",
        "--config.data.batch_size=8", "--config.train.num_steps=2",
        "--config.train.log_every=1", "--config.train.checkpoint_every=2",
        "--config.train.progress_bar=False", "--config.eval.num_test_examples=200",
        "--config.eval.batch_size=50", "--config.eval.iwae_samples=2",
        "--config.eval.iwae_chunk=2",
        "--config.protocol.held_out_classes=(0, 8)"]


def test_configs_name_the_classes_and_models():
  for variant, model in (("iaf_vae", "iaf_vae"), ("pixelcnnpp", "pixelcnnpp"),
                         ("pixelvae", "color_pixelvae"), ("vae", "color_vae")):
    config = experiment_config("ood_cifar10", variant)
    assert config.model.name == model and config.data.name == "cifar10"
    names = config.protocol.class_names
    assert names[0] == "airplane" and names[9] == "truck"
  assert experiment_config("ood_cifar10", "iaf_vae").model.num_iaf_steps == 2
  dcgan = experiment_config("ood_cifar10", "dcgan")
  assert dcgan.objective.name == "dcgan"
  assert "discriminator_ood_scores" in dcgan.eval.evaluators
  assert dcgan.model.critic.norm == "none" and dcgan.model.generator.norm == "batch_norm"
  with pytest.raises(ValueError, match="pixelcnn_typo"):
    experiment_config("ood_cifar10", "pixelcnn_typo")


@pytest.mark.slow
def test_ood_cifar10_iaf_vae_two_classes(tmp_path):
  launch("--config=experiments/ood_cifar10.py:iaf_vae", *TINY, f"--workdir={tmp_path}",
         check=True, timeout=600)
  table = (tmp_path / "table.md").read_text()
  for name in ("airplane", "ship", "elbo", "iwae", "elbo_complexity_corrected"):
    assert name in table, table
  for c in (0, 8):
    with np.load(tmp_path / f"heldout_{c}" / "scores.npz") as npz:
      assert npz["images"].shape == (200, 32, 32, 3) and npz["images"].dtype == np.uint8
      assert np.all(np.isfinite(npz["iwae"]))
    sub = json.loads((tmp_path / f"heldout_{c}" / "results.json").read_text())
    assert sub["test_bpd_elbo"] > 0
  summary = json.loads((tmp_path / "results.json").read_text())
  assert set(summary["per_class"]) == {"airplane", "ship"}


@pytest.mark.slow  # ~20 s; the MNIST twin stays in the default suite
def test_ood_cifar10_dcgan_scores_the_test_set_with_the_discriminator(tmp_path):
  launch("--config=experiments/ood_cifar10.py:dcgan", "--config.model.generator.width=8",
         "--config.model.critic.width=8", "--config.data.batch_size=8",
         "--config.train.num_steps=2", "--config.train.progress_bar=False",
         "--config.eval.loss_examples=8", "--config.eval.grid_rows=2",
         "--config.eval.num_test_examples=200", "--config.protocol.held_out_classes=(0, 8)",
         f"--workdir={tmp_path}", check=True, timeout=600)
  table = (tmp_path / "table.md").read_text()
  assert "discriminator" in table and "airplane" in table and "ship" in table
  with np.load(tmp_path / "heldout_8" / "scores.npz") as npz:
    assert npz["discriminator"].shape == (200,) and np.all(np.isfinite(npz["discriminator"]))
    assert npz["images"].shape == (200, 32, 32, 3) and npz["images"].max() > 200
