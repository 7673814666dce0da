"""The likelihood task on real CIFAR-10 with the colour models: the loss is the discretized
logistic mixture NLL (or the flow ELBO), bits/dim are nats / (3072 ln 2), and evaluation writes
scores.npz with the exact 8-bit test images for the OOD protocol."""

import math
import os
import pathlib

import jax
import numpy as np
import pytest

from gen_models import data as data_lib, tasks
from gen_models.data import cifar10
from gen_models.objectives import likelihood as lik
from gen_models.presets import likelihood_cifar
from gen_models.runs import single

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data")).resolve()
needs_cifar = pytest.mark.skipif(not cifar10.tarball_path(DATA).is_file(),
                                 reason="needs GEN_MODELS_DATA_DIR with CIFAR-10")


@pytest.fixture(autouse=True)
def _fast_rng_compiles():
  with jax.threefry_partitionable(False):  # see tests/tasks/test_likelihood_task.py
    yield


def _evaluate(config, task, source, state, rng, out_dir):
  return single.build_evaluators(config, task, source, skipped={})(state, rng, out_dir)


def _task(model, drop=()):
  config = likelihood_cifar.tiny_overrides(likelihood_cifar.likelihood_cifar_config(model))
  config.data.update(data_dir=str(DATA), drop_classes=drop)
  source = data_lib.build_source(config.data, config.train.seed)
  return tasks.build_task(config, source), source, config


@needs_cifar
def test_pixelcnnpp_loss_is_the_mixture_nll_and_scores_keep_the_8bit_images(tmp_path):
  task, source, config = _task("pixelcnnpp", drop=(3,))
  batch = source.batches(0, 1)
  assert 3 not in batch["label"]
  state = jax.jit(task.init)(jax.random.key(0), batch)
  x = batch["x"][0]
  outputs = task.logits(state["params"], x)
  assert outputs.shape == (8, 32, 32, lik.mixture_num_params(3, 2))
  _, metrics = jax.jit(task.train_step)(state, batch, jax.random.key(1))
  expected = -np.mean(np.asarray(lik.logistic_mixture_log_likelihood(outputs, x, 2)))
  np.testing.assert_allclose(metrics["nll"], expected, rtol=1e-5)
  np.testing.assert_allclose(metrics["nll_bpd"], expected / (3072 * math.log(2)), rtol=1e-5)
  assert config.eval.evaluators == ("test_likelihood",)  # tiny: no figures
  results = _evaluate(config, task, source, state, jax.random.key(2), tmp_path)
  np.testing.assert_allclose(results["test_bpd_exact"],
                             results["test_nll_exact"] / (3072 * math.log(2)), rtol=1e-6)
  test = cifar10.load(DATA, "test")
  with np.load(tmp_path / "scores.npz") as npz:
    np.testing.assert_array_equal(npz["images"], test.images[:16])  # every class, 8-bit exact
    np.testing.assert_array_equal(npz["labels"], test.labels[:16])
    assert npz["exact"].shape == (16,) and np.all(npz["exact"] < 0)


@needs_cifar
def test_iaf_vae_trains_on_the_flow_elbo_and_writes_bounds_and_figures(tmp_path):
  task, source, config = _task("iaf_vae")
  config.eval.update(evaluators=("test_likelihood", "likelihood_samples", "reconstructions"),
                     figure_examples=4)
  assert task.has_flow
  batch = source.batches(0, 1)
  state = jax.jit(task.init)(jax.random.key(0), batch)
  step = jax.jit(task.train_step)
  for i in range(2):
    state, metrics = step(state, source.batches(i, 1), jax.random.key(i))
  np.testing.assert_allclose(metrics["nelbo"], metrics["reconstruction"] + metrics["kl"],
                             rtol=1e-5)
  results = _evaluate(config, task, source, state, jax.random.key(3), tmp_path)
  assert results["test_bpd_elbo"] > 0 and results["iwae_samples"] == 4
  with np.load(tmp_path / "scores.npz") as npz:
    assert np.all(np.isfinite(npz["elbo"])) and np.all(np.isfinite(npz["iwae"]))
  for name in ("samples.png", "reconstructions.png"):
    assert (tmp_path / "figures" / name).is_file()
