"""Sample scores in the image GAN's evaluation: a tiny random classifier written to a temp dir
gives the same classifier score / Frechet distance through GANTask.evaluate as offline_scores on
the same generated images; a missing classifier or Inception file stops the task being built
(i.e. before training), naming the file and the opt-out flag."""

import math

import jax
import ml_collections
import numpy as np
import pytest

from gen_models import tasks
from gen_models.evaluation import offline_score, sample_scores
from gen_models.models import classifier as classifier_lib
from gen_models.presets import classifier as classifier_preset
from test_image_gan import FakeImageSource, tiny_image_config

TINY_CLASSIFIER = classifier_preset.classifier_model_config(widths=(4, 8, 8, 8)).to_dict()


@pytest.fixture
def classifier_file(tmp_path):
  """A random tiny classifier with reference statistics of random images cached next to it."""
  model = classifier_lib.build_classifier(ml_collections.ConfigDict(TINY_CLASSIFIER))
  variables = model.init(jax.random.key(0), np.zeros((1, 32, 32, 3), np.float32))
  path = offline_score.save_classifier(tmp_path / "clf" / "c.npz", TINY_CLASSIFIER,
                                       jax.device_get(variables), {"test_accuracy": 0.1})
  images = np.random.default_rng(0).uniform(-1, 1, (30, 32, 32, 3)).astype(np.float32)
  offline_score.reference_statistics(offline_score.load_classifier(path), images=images,
                                     batch_size=10)
  return path


def _config(**eval_overrides):
  config = tiny_image_config(batch_size=2)
  config.model.generator.image_size = 32
  config.eval.update(**eval_overrides)
  return config


def test_evaluate_reports_the_offline_scores_of_its_samples(classifier_file, tmp_path):
  config = _config(offline_score=True, classifier_path=str(classifier_file), score_samples=20)
  source = FakeImageSource(2, size=32)
  task = tasks.build_task(config, source)
  state = jax.jit(task.init)(jax.random.key(0), source.batches(0, 1))
  results = task.evaluate(state, jax.random.key(3), tmp_path)
  for name in ("classifier_score", "classifier_score_std", "classifier_frechet_distance"):
    assert math.isfinite(results[name]), name
  assert 1.0 - 1e-6 <= results["classifier_score"] <= 10.0 + 1e-6
  assert results["classifier_sha256"] == offline_score.sha256_file(classifier_file)
  # The same numbers from the public functions on the same images: the hook adds nothing.
  samples = task._score_samples(state["generator"], jax.random.key(3))
  assert samples.shape == (20, 32, 32, 3) and np.all(np.abs(samples) <= 1.0)
  assert len(np.unique(samples.reshape(20, -1), axis=0)) == 20  # chunks use distinct keys
  expected = offline_score.offline_scores(task.scorers.classifier, samples,
                                          task.scorers.classifier_reference)
  for name, value in expected.items():
    assert results[name] == pytest.approx(value, rel=1e-6), name


def test_missing_classifier_is_an_error_when_the_task_is_built(tmp_path):
  config = _config(offline_score=True, classifier_path=str(tmp_path / "absent.npz"))
  with pytest.raises(sample_scores.ScorerFileError,
                     match=r"absent\.npz.*export_classifier\.py.*eval\.offline_score=False"):
    tasks.build_task(config, FakeImageSource(2, size=32))


def test_missing_inception_weights_is_an_error_when_the_task_is_built(tmp_path):
  config = _config(offline_score=False, fid=True, inception_weights=str(tmp_path / "w.npz"))
  with pytest.raises(sample_scores.ScorerFileError,
                     match=r"w\.npz missing.*--config\.eval\.fid=False"):
    tasks.build_task(config, FakeImageSource(2, size=32))


def test_no_scores_asked_builds_no_scorers():
  task = tasks.build_task(_config(offline_score=False), FakeImageSource(2, size=32))
  assert task.scorers is None


def test_scores_on_non_cifar_shapes_are_refused(classifier_file):
  config = _config(offline_score=True, classifier_path=str(classifier_file))
  config.model.generator.image_size = 8
  with pytest.raises(ValueError, match=r"32x32x3 CIFAR-10 images.*\(8, 8, 3\)"):
    tasks.build_task(config, FakeImageSource(2, size=8))
