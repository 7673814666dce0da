"""The sample-score evaluators of an image GAN: a tiny random classifier written to a temp dir
gives the same classifier score / Frechet distance through the classifier_scores evaluator as
offline_scores on the same generated images; a missing classifier or Inception file is declared
as an asset (skipped with the command that makes it, or an error with eval.strict); the scores
refuse data other than 32x32x3 CIFAR-10."""

import math

import jax
import ml_collections
import numpy as np
import pytest

from gen_models import tasks
from gen_models.evaluation import classifier_scores, evaluator, offline_score, registry
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


def _config(evaluators, **eval_overrides):
  config = tiny_image_config(batch_size=2)
  config.model.generator.image_size = 32
  config.eval.evaluators = tuple(evaluators)
  config.eval.update(**eval_overrides)
  return config


def test_classifier_scores_are_the_offline_scores_of_its_samples(classifier_file, tmp_path):
  config = _config(["classifier_scores"], classifier_path=str(classifier_file), score_samples=20)
  assert registry.check_assets(config) == {}
  source = FakeImageSource(2, size=32)
  task = tasks.build_task(config, source)
  state = jax.jit(task.init)(jax.random.key(0), source.batches(0, 1))
  scorer = classifier_scores.ClassifierScores(config, task, source)
  results = scorer.evaluate(state, jax.random.key(3), tmp_path)
  for name in ("classifier_score", "classifier_score_std", "classifier_frechet_distance"):
    assert math.isfinite(results[name]), name
  assert 1.0 - 1e-6 <= results["classifier_score"] <= 10.0 + 1e-6
  assert results["classifier_sha256"] == offline_score.sha256_file(classifier_file)
  # The same numbers from the public functions on the same images: the evaluator adds nothing.
  samples = scorer.samples(state, jax.random.key(3))
  assert samples.shape == (20, 32, 32, 3) and np.all(np.abs(samples) <= 1.0)
  assert len(np.unique(samples.reshape(20, -1), axis=0)) == 20
  expected = offline_score.offline_scores(scorer.classifier, samples, scorer.reference)
  for name, value in expected.items():
    assert results[name] == pytest.approx(value, rel=1e-6), name


def test_missing_classifier_is_a_skipped_evaluator_or_a_strict_error(tmp_path):
  config = _config(["sample_grid", "classifier_scores"],
                   classifier_path=str(tmp_path / "absent.npz"))
  lines = []
  skipped = registry.check_assets(config, warn=lines.append)
  assert list(skipped) == ["classifier_scores"] and len(lines) == 1
  assert lines[0].startswith("warning: ")
  for part in ("absent.npz", "experiments/cifar10_classifier.py", "export_classifier.py",
               f"--out={tmp_path / 'absent.npz'}"):
    assert part in lines[0], part
  config.eval.strict = True
  with pytest.raises(evaluator.MissingAssetError, match=r"absent\.npz.*export_classifier\.py"):
    registry.check_assets(config)


@pytest.mark.parametrize("name,key,tool", [("fid", "fid_weights", "convert_fid_inception.py"),
                                           ("inception_score", "inception_weights",
                                            "--torchscript")])
def test_missing_inception_weights_skip_only_their_evaluator(tmp_path, classifier_file, name,
                                                             key, tool):
  config = _config(["classifier_scores", name], classifier_path=str(classifier_file),
                   **{key: str(tmp_path / "w.npz")})
  skipped = registry.check_assets(config, warn=lambda line: None)
  assert list(skipped) == [name]
  assert "w.npz" in skipped[name] and tool in skipped[name]


def test_scores_on_non_cifar_shapes_are_refused(classifier_file):
  config = _config(["classifier_scores"], classifier_path=str(classifier_file))
  config.model.generator.image_size = 8
  source = FakeImageSource(2, size=8)
  task = tasks.build_task(config, source)
  with pytest.raises(ValueError, match=r"32x32x3 CIFAR-10 images.*\(8, 8, 3\)"):
    classifier_scores.ClassifierScores(config, task, source)
