"""The likelihood and classifier evaluators: every experiment config sets the eval keys its
evaluators read (and no stale ones), and a tiny MNIST PixelVAE run through runs.single.run
writes the results keys, scores file and figures the tables and protocols read."""

import json
import os
import pathlib

import jax
import pytest

from conftest import experiment_config
from gen_models.evaluation import registry, scores_file
from gen_models.presets import likelihood_mnist
from gen_models.protocols import PROTOCOLS
from gen_models.runs import single

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data")).resolve()
needs_mnist = pytest.mark.skipif(not (DATA / "mnist").is_dir(),
                                 reason="needs GEN_MODELS_DATA_DIR with MNIST")

LIKELIHOOD_EVALUATORS = ("test_likelihood", "likelihood_samples", "reconstructions",
                         "cross_dataset_scores", "latents")
# experiment -> variants ('' = default) built from the likelihood and classifier presets
EXPERIMENTS = {
    "vae_mnist": ("", "fashion_mnist"), "pixelcnn_mnist": ("",), "gated_pixelcnn_mnist": ("",),
    "pixelvae_mnist": ("",), "gated_pixelvae_mnist": ("",), "gated_pixelvae_noup_mnist": ("",),
    "ood_mnist": ("vae", "pixelcnn", "pixelvae"),
    "ood_cifar10": ("iaf_vae", "pixelcnnpp", "pixelvae", "vae"),
    "ood_fashion_to_mnist": ("pixelcnn", "vae", "pixelvae", "gated_pixelcnn"),
    "latent2d_mnist": ("",), "pixelcnn_layers_sweep": ("",), "cifar10_classifier": ("",),
}


def _run_configs(config):
  """The configs that reach runs.single.run: the protocol's sub-runs, or the config itself."""
  if "protocol" in config:
    return [sub for _, sub in PROTOCOLS[config.protocol.name].subruns(config)]
  return [config]


@pytest.mark.parametrize("name,variant", [(n, v) for n, vs in EXPERIMENTS.items() for v in vs])
def test_experiment_configs_set_exactly_the_keys_their_evaluators_read(name, variant):
  for config in _run_configs(experiment_config(name, variant)):
    names = registry.configured_names(config)
    assert names and config.eval.strict is False
    read = {"evaluators", "strict"}
    for evaluator in names:
      keys = registry.lookup(evaluator).config_keys
      assert set(keys) <= set(config.eval.keys()), (evaluator, keys)
      read |= set(keys)
    family = (registry.lookup(n).config_keys for n in LIKELIHOOD_EVALUATORS)
    if config.task == "likelihood":  # the family's keys, so any evaluator can be added by flag
      read |= {k for keys in family for k in keys}
    assert set(config.eval.keys()) == read, sorted(set(config.eval.keys()) - read)


def test_table_configs_draw_figures_and_reconstruct_only_through_a_latent():
  assert experiment_config("pixelcnn_mnist").eval.evaluators == ("test_likelihood",
                                                                 "likelihood_samples")
  assert experiment_config("pixelvae_mnist").eval.evaluators == (
      "test_likelihood", "likelihood_samples", "reconstructions")
  assert experiment_config("ood_fashion_to_mnist", "vae").eval.evaluators == (
      "test_likelihood", "cross_dataset_scores")


@needs_mnist
def test_tiny_pixelvae_run_writes_results_scores_and_figures(tmp_path):
  config = likelihood_mnist.tiny_overrides(likelihood_mnist.likelihood_mnist_config("pixelvae"))
  config.data.data_dir = str(DATA)
  config.train.num_steps = 2
  with jax.threefry_partitionable(False):  # faster CPU compiles (tests/tasks/...likelihood_task)
    results = single.run(config, tmp_path)
  # The keys LikelihoodTask.evaluate wrote before the evaluators (thesis tables, reducers).
  assert set(results) == {
      "test_nll_elbo", "test_bpd_elbo", "test_nll_iwae", "test_bpd_iwae", "test_kl",
      "test_reconstruction", "iwae_samples", "num_test_examples", "eval_split",
      "eval_examples_per_s", "step", "train_step_compilations", "stopped_by"}
  assert json.loads((tmp_path / "results.json").read_text()) == results
  assert results["iwae_samples"] == 4 and results["num_test_examples"] == 16
  assert results["eval_split"] == "test" and results["step"] == 2
  assert results["stopped_by"] == "num_steps"
  read = scores_file.read(tmp_path / scores_file.FILE_NAME)
  assert sorted(read.scores) == ["elbo", "iwae"] and read.labels.shape == (16,)
  assert read.images.shape == (16, 28, 28, 1) and set(read.images.ravel()) <= {0, 255}
  assert results["test_nll_elbo"] == pytest.approx(-read.scores["elbo"].mean(), rel=1e-6)
  for figure in ("samples.png", "reconstructions.png"):
    assert (tmp_path / "figures" / figure).stat().st_size > 100


def test_figure_evaluators_refuse_zero_examples():
  config = likelihood_mnist.likelihood_mnist_config("vae")
  config.eval.figure_examples = 0

  class Task:
    has_latent = True

  with pytest.raises(ValueError, match="'likelihood_samples' needs eval.figure_examples >= 1"):
    registry.lookup("likelihood_samples")(config, Task(), None)


@needs_mnist
def test_train_likelihood_is_test_likelihood_on_the_training_split(tmp_path):
  config = likelihood_mnist.tiny_overrides(likelihood_mnist.likelihood_mnist_config("vae"))
  config.data.data_dir = str(DATA)
  config.eval.split = "train"
  source, task = single.build(config)
  with jax.threefry_partitionable(False):
    state = task.init(jax.random.key(0), source.batches(0, task.batches_per_step))
    key = jax.random.key(3)
    held_out = registry.lookup("test_likelihood")(config, task, source)
    expected = held_out.evaluate(state, key, tmp_path)
    config.eval.split = "test"  # train_likelihood ignores eval.split
    got = registry.lookup("train_likelihood")(config, task, source).evaluate(state, key, None)
  assert got["train_nll_elbo"] == pytest.approx(expected["test_nll_elbo"], rel=1e-9)
  assert got["train_nll_iwae"] == pytest.approx(expected["test_nll_iwae"], rel=1e-9)
  assert got["train_bpd_elbo"] == pytest.approx(expected["test_bpd_elbo"], rel=1e-9)
  assert got["train_examples"] == expected["num_test_examples"] == 16
  assert not any(k.startswith("test_") for k in got)
