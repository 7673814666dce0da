"""The hierarchical PixelVAE end to end: a tiny run of the default variant on CIFAR-10 through the
single-run path (training with batch-norm state, the test likelihood with the per-level KL and
bits/dim); the other variants, the figures, top-down cached sampling against the naive sampler
and the task-level Monte-Carlo KL behind `-m slow`."""

import json
import math
import os
import pathlib

import jax
import numpy as np
import pytest
from PIL import Image

from conftest import experiment_config
from gen_models import tasks
from gen_models.data import cifar10
from gen_models.objectives import likelihood as lik
from gen_models.presets import hierarchical_pixelvae as preset
from gen_models.runs import single

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data")).resolve()
needs_cifar = pytest.mark.skipif(not cifar10.tarball_path(DATA).is_file(),
                                 reason="needs GEN_MODELS_DATA_DIR with CIFAR-10")


@pytest.fixture(autouse=True)
def _fast_rng_compiles():
  with jax.threefry_partitionable(False):  # see tests/tasks/test_likelihood_task.py
    yield


def _tiny(variant, figures=False, **data):
  config = preset.tiny_overrides(experiment_config("hierarchical_pixelvae", variant), figures)
  if config.data.name == "cifar10":
    config.data.data_dir = str(DATA)
  config.data.update(data)
  return config


def _check_results(results, num_dims, two_levels=True):
  for bound in ("elbo", "iwae"):
    np.testing.assert_allclose(results[f"test_bpd_{bound}"],
                               results[f"test_nll_{bound}"] / (num_dims * math.log(2)), rtol=1e-6)
  kl = results["test_kl_z1"] + (results["test_kl_z2"] if two_levels else 0.0)
  np.testing.assert_allclose(results["test_kl"], kl, rtol=1e-5)
  np.testing.assert_allclose(results["test_nll_elbo"], results["test_kl"]
                             + results["test_reconstruction"], rtol=1e-5)
  assert ("test_kl_z2" in results) == two_levels


@needs_cifar
@pytest.mark.slow
def test_default_variant_trains_and_reports_bits_per_dim_and_kl_per_level(tmp_path):
  config = _tiny("")
  results = single.run(config, tmp_path)
  assert results["step"] == 2 and results["eval_split"] == "test"
  _check_results(results, 3072)
  logged = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
  train = [r for r in logged if "nelbo_bpd" in r]
  assert {"kl_z1", "kl_z2", "kl_z1_bpd", "kl_z2_bpd", "reconstruction"} <= set(train[-1])


def _image_folder(path, size, n=12):
  path.mkdir()
  rng = np.random.default_rng(0)
  for i in range(n):  # not square and not the model size: cropped and resized
    Image.fromarray(rng.integers(0, 256, (size + 8, size + 3, 3), np.uint8)).save(
        path / f"{i:02d}.png")
  return path


@pytest.mark.slow
@needs_cifar
@pytest.mark.parametrize("variant", ["one_level", "gaussian_latent_decoders", "two_level_vae"])
def test_ablation_variants_smoke(tmp_path, variant):
  results = single.run(_tiny(variant), tmp_path)
  _check_results(results, 3072, two_levels=variant != "one_level")


@pytest.mark.slow
def test_image_folder_at_64_end_to_end_with_figures(tmp_path):
  """`:image_folder` at 64x64 (data.image_size=64 is all it takes: z1 is 16x16, the top level
  one stage deeper), with the three figure evaluators."""
  config = _tiny("image_folder", figures=True, path=str(_image_folder(tmp_path / "imgs", 64)),
                 image_size=64)
  config.eval.update(figure_examples=1, figure_columns=2)
  results = single.run(config, tmp_path / "run")
  _check_results(results, 64 * 64 * 3)
  for name in ("samples", "top_reconstructions", "vary_top", "vary_middle", "vary_pixel"):
    assert (tmp_path / "run" / "figures" / f"{name}.png").is_file()


@pytest.mark.slow
def test_imagenet64_variant_falls_back_to_an_image_folder_without_tfds(tmp_path):
  from gen_models.data import tfds_images
  config = _tiny("imagenet64")
  if tfds_images.tfds_available():
    assert config.data.name == "tfds_images"
    pytest.skip("tensorflow-datasets installed: tests/data/test_tfds_images.py covers it")
  assert config.data.name == "image_folder" and config.data.image_size == 64
  config.data.path = str(_image_folder(tmp_path / "imgs", 64))
  results = single.run(config, tmp_path / "run")
  _check_results(results, 64 * 64 * 3)


class _RandomImages:
  data_shape = (32, 32, 3)

  def batches(self, first, count):
    rng = np.random.default_rng(first)
    return {"x": (rng.integers(0, 256, (count, 4, 32, 32, 3)) / 127.5 - 1).astype(np.float32)}


@pytest.mark.slow
def test_top_down_cached_sampling_matches_naive():
  config = _tiny("")
  task = tasks.build_task(config, _RandomImages())
  state = jax.jit(task.init)(jax.random.key(0), _RandomImages().batches(0, 1))
  keys = tuple(jax.random.split(jax.random.key(1), 3))
  variables = task.variables(state)
  cached = jax.jit(lambda v, k: task.sample_levels(v, k, 2, True))(variables, keys)
  naive = jax.jit(lambda v, k: task.sample_levels(v, k, 2, False))(variables, keys)
  np.testing.assert_array_equal(np.asarray(cached), np.asarray(naive))


@pytest.mark.slow
def test_monte_carlo_kl_matches_analytic_with_standard_normal_latent_priors():
  """latent_decoder='standard_normal': p(z1 | z2) = N(0, I), so the task's one-sample kl_z1,
  averaged over many draws, must equal KL(q(z1|x) || N(0, I)) in closed form."""
  config = _tiny("")
  config.model.latent_decoder = "standard_normal"
  source = _RandomImages()
  task = tasks.build_task(config, source)
  state = jax.jit(task.init)(jax.random.key(0), source.batches(0, 1))
  x = source.batches(0, 1)["x"][0]
  variables = task.variables(state)
  kls = jax.jit(jax.vmap(lambda k: task.terms(variables, x, k, False)["kl_z1"]))(
      jax.random.split(jax.random.key(1), 4000))
  mean, lv = task.model.apply(variables, x, method="encode")["z1"]
  analytic = lik.gaussian_kl_to_standard(mean.reshape(4, -1), lv.reshape(4, -1))
  np.testing.assert_allclose(np.mean(np.asarray(kls), 0), analytic, rtol=0.02, atol=0.5)


def test_variant_data_sections_are_complete():
  """Every key the data sources read is set (no defaults): cifar10, image folder, TFDS."""
  for name, keys in (("cifar10", {"data_dir", "batch_size"}),
                     ("image_folder", {"path", "image_size", "max_images", "batch_size"}),
                     ("tfds_images", {"tfds_name", "split", "data_dir", "image_size",
                                      "max_images", "max_eval_images", "batch_size"})):
    assert keys <= set(preset.data_config(name, 64 if name != "cifar10" else 32).keys())
  with pytest.raises(ValueError, match="image_size must be 32 or 64"):
    preset.hierarchical_pixelvae_config("image_folder", 48)
