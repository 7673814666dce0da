"""The likelihood task on real MNIST: its loss is the objective, its evaluators write the
contract files (results, scores.npz, figures), training lowers the NLL; smoke runs of the six
configs."""

import json
import os
import pathlib

import jax
import numpy as np
import pytest

from gen_models import data as data_lib, tasks
from gen_models.presets import likelihood_mnist
from gen_models.runs import single
from conftest import launch

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data")).resolve()
needs_mnist = pytest.mark.skipif(not (DATA / "mnist").is_dir(),
                                 reason="needs GEN_MODELS_DATA_DIR with MNIST")


@pytest.fixture(autouse=True)
def _fast_rng_compiles(monkeypatch):
  """XLA:CPU compiles partitionable threefry ~4x slower, which dominates these tiny runs
  (parameter init of a 20-layer model: ~8 s vs ~2 s); the classic stream is just as random."""
  monkeypatch.setenv("JAX_THREEFRY_PARTITIONABLE", "0")  # for launcher subprocesses
  with jax.threefry_partitionable(False):
    yield


def _tiny(model, **train):
  config = likelihood_mnist.tiny_overrides(likelihood_mnist.likelihood_mnist_config(model))
  config.data.data_dir = str(DATA)
  config.train.update(**train)
  return config


def _task(config):
  source = data_lib.build_source(config.data, config.train.seed)
  return tasks.build_task(config, source), source


def _evaluate(config, task, source, state, rng, out_dir):
  """Runs the config's evaluators once, as the trainer does at the end of a run."""
  return single.build_evaluators(config, task, source, skipped={})(state, rng, out_dir)


def _bce(logits, x):
  """-log p(x | logits) per image, NumPy float64."""
  logits, x = np.asarray(logits, np.float64), np.asarray(x, np.float64)
  log_p = -np.logaddexp(0.0, -logits)
  log_not_p = -np.logaddexp(0.0, logits)
  return -np.sum((x * log_p + (1 - x) * log_not_p).reshape(len(x), -1), axis=1)


@needs_mnist
def test_pixelcnn_loss_is_exact_nll_and_training_lowers_it(tmp_path):
  config = _tiny("pixelcnn")
  config.optimizer.learning_rate = 1e-2
  task, source = _task(config)
  batch = source.batches(0, 1)
  state = jax.jit(task.init)(jax.random.key(0), batch)
  logits = task.logits(state["params"], batch["x"][0])
  step = jax.jit(task.train_step)
  _, metrics = step(state, batch, jax.random.key(1))
  np.testing.assert_allclose(metrics["loss"], np.mean(_bce(logits, batch["x"][0])), rtol=1e-5)

  assert config.eval.evaluators == ("test_likelihood", "likelihood_samples")  # no latent
  evaluate = single.build_evaluators(config, task, source, skipped={})
  before = evaluate(state, jax.random.key(2), tmp_path)["test_nll_exact"]
  for i in range(25):
    state, _ = step(state, source.batches(i, 1), jax.random.key(i))
  after = evaluate(state, jax.random.key(2), tmp_path)
  assert after["test_nll_exact"] < 0.75 * before, (before, after)
  x, labels = source.eval_set("test", config.eval.num_test_examples)
  scores = np.load(tmp_path / "scores.npz")
  np.testing.assert_array_equal(scores["labels"], labels)
  np.testing.assert_allclose(-scores["exact"], _bce(task.logits(state["params"], x), x), rtol=1e-5)
  np.testing.assert_allclose(after["test_nll_exact"], -scores["exact"].mean(), rtol=1e-6)
  assert (tmp_path / "figures" / "samples.png").stat().st_size > 100
  config.eval.evaluators = ("reconstructions",)
  with pytest.raises(ValueError, match="'reconstructions' needs a latent-variable model"):
    single.build_evaluators(config, task, source, skipped={})


@needs_mnist
def test_params_average_is_kept_and_evaluated(tmp_path):
  """With optimizer.ema_decay the state carries the params' moving average, updated from each
  step's new params, and the evaluators score with it; without, the state has no average."""
  config = _tiny("vae", num_steps=4)
  assert config.optimizer.ema_decay == 0.0
  task, source = _task(config)
  batch = {"x": source.batches(0, 1)["x"]}
  assert "ema_params" not in jax.eval_shape(task.init, jax.random.key(0), batch)
  config.optimizer.ema_decay = 0.5
  task, _ = _task(config)
  state = jax.jit(task.init)(jax.random.key(0), batch)
  expected = state["params"]
  train_step = jax.jit(task.train_step)
  for step in range(4):
    state, _ = train_step(state, batch, jax.random.key(step))
    d = min(0.5, (1.0 + step) / (10.0 + step))
    expected = jax.tree.map(lambda e, p: d * e + (1 - d) * p, expected, state["params"])
  jax.tree.map(lambda a, e: np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-7),
               state["ema_params"], expected)
  assert task.eval_params(state) is state["ema_params"]
  assert not np.allclose(jax.tree.leaves(state["ema_params"])[0],
                         jax.tree.leaves(state["params"])[0])
  for bad in (1.0, -0.1):
    config.optimizer.ema_decay = bad
    with pytest.raises(ValueError, match="ema_decay must be in"):
      _task(config)


@needs_mnist
def test_vae_metrics_split_the_bound_and_evaluation_writes_its_contract(tmp_path):
  config = _tiny("vae")
  config.objective.kl_warmup_steps = 4
  task, source = _task(config)
  batch = source.batches(0, 1)
  state = jax.jit(task.init)(jax.random.key(0), batch)
  step = jax.jit(task.train_step)
  for i in range(2):
    state, metrics = step(state, source.batches(i, 1), jax.random.key(i))
    np.testing.assert_allclose(metrics["kl_weight"], (i + 1) / 4)
    np.testing.assert_allclose(metrics["nelbo"], metrics["reconstruction"] + metrics["kl"],
                               rtol=1e-6)
    np.testing.assert_allclose(metrics["loss"],
                               metrics["reconstruction"] + (i + 1) / 4 * metrics["kl"], rtol=1e-6)
  results = _evaluate(config, task, source, state, jax.random.key(3), tmp_path)
  scores = np.load(tmp_path / "scores.npz")
  assert set(scores.files) == {"labels", "elbo", "iwae", "images"}
  x_eval, _ = source.eval_set(config.eval.split, config.eval.num_test_examples)
  np.testing.assert_array_equal(scores["images"], np.round(np.asarray(x_eval) * 255))
  assert scores["elbo"].shape == scores["labels"].shape == (config.eval.num_test_examples,)
  np.testing.assert_allclose(results["test_nll_elbo"], -scores["elbo"].mean(), rtol=1e-6)
  np.testing.assert_allclose(results["test_nll_elbo"],
                             results["test_kl"] + results["test_reconstruction"], rtol=1e-5)
  np.testing.assert_allclose(results["test_bpd_iwae"],
                             results["test_nll_iwae"] / (784 * np.log(2)), rtol=1e-6)
  for name in ("samples.png", "reconstructions.png"):
    assert (tmp_path / "figures" / name).stat().st_size > 100


def test_objective_must_fit_the_model():
  config = likelihood_mnist.likelihood_mnist_config("pixelcnn")
  config.objective.name = "negative_elbo"

  class FakeSource:
    data_shape = (28, 28, 1)

  with pytest.raises(ValueError, match="does not fit model 'pixelcnn'; use 'nll'"):
    tasks.build_task(config, FakeSource())


def _smoke(model, tmp_path):
  workdir = tmp_path / model
  overrides = [
      "--config.model.channels=4", "--config.data.batch_size=8",
      "--config.train.num_steps=2", "--config.train.log_every=1",
      "--config.train.checkpoint_every=2", "--config.train.progress_bar=False",
      "--config.eval.num_test_examples=8", "--config.eval.batch_size=8",
      "--config.eval.iwae_samples=4", "--config.eval.iwae_chunk=2",
      "--config.eval.figure_examples=4",
      f"--config.data.data_dir={DATA}",
  ]
  config = likelihood_mnist.likelihood_mnist_config(model)
  if config.model.num_ar_layers:
    overrides.append("--config.model.num_ar_layers=1")
  if config.model.latent_dim:
    overrides += ["--config.model.latent_dim=2", "--config.objective.kl_warmup_steps=1"]
  launch(f"--config=experiments/{model}_mnist.py", f"--workdir={workdir}", *overrides,
         check=True)
  results = json.loads((workdir / "results.json").read_text())
  key = "test_nll_iwae" if config.model.latent_dim else "test_nll_exact"
  assert np.isfinite(results[key]) and results["step"] == 2
  assert (workdir / "scores.npz").is_file()
  assert (workdir / "figures" / "samples.png").is_file()
  assert (workdir / "figures" / "reconstructions.png").is_file() == bool(config.model.latent_dim)


@needs_mnist
@pytest.mark.parametrize("model", ["vae", "pixelcnn"])
def test_smoke_default(model, tmp_path):
  _smoke(model, tmp_path)


@needs_mnist
@pytest.mark.slow
@pytest.mark.parametrize("model", likelihood_mnist.MODELS)
def test_smoke_all_six(model, tmp_path):
  """All six Table 2.1 configs (about 40 s of CPU; run with `-m slow`)."""
  _smoke(model, tmp_path)
