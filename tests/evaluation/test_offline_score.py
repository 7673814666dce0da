"""The offline classifier score / classifier Frechet distance: export/load round trip is
bit-exact, tampered or missing files are refused by name, a set's distance to itself is ~0 and
its score lies in [1, 10] and equals the score of the classifier's own logits."""

import json

import flax
import jax
import ml_collections
import numpy as np
import pytest

from gen_models.evaluation import offline_score, scores
from gen_models.models import classifier as classifier_lib
from gen_models.presets import classifier as preset

TINY_MODEL = preset.classifier_model_config(widths=(4, 8, 8, 8)).to_dict()


def _random_variables(seed=0):
  model = classifier_lib.build_classifier(ml_collections.ConfigDict(TINY_MODEL))
  variables = model.init(jax.random.key(seed), np.zeros((1, 32, 32, 3), np.float32))
  # Non-trivial batch statistics (the round trip covers them too) that keep activations alive.
  rng = np.random.default_rng(seed)
  stats = {layer: {"mean": rng.normal(0, 0.01, v["mean"].shape).astype(np.float32),
                   "var": rng.uniform(0.2, 0.5, v["var"].shape).astype(np.float32)}
           for layer, v in flax.traverse_util.flatten_dict(
               variables["batch_stats"], is_leaf=lambda _, x: "mean" in x).items()}
  stats = flax.traverse_util.unflatten_dict(stats)
  return {"params": variables["params"], "batch_stats": stats}


def _images(n, seed):
  return np.random.default_rng(seed).uniform(-1, 1, (n, 32, 32, 3)).astype(np.float32)


@pytest.fixture
def exported(tmp_path):
  variables = _random_variables()
  path = offline_score.save_classifier(tmp_path / "classifiers" / "c.npz", TINY_MODEL, variables,
                                       {"test_accuracy": 0.5})
  return path, variables


def test_round_trip_is_bit_exact(exported):
  path, variables = exported
  loaded = offline_score.load_classifier(path)
  original = jax.tree_util.tree_leaves_with_path(jax.device_get(variables))
  restored = dict(jax.tree_util.tree_leaves_with_path(loaded.variables))
  assert len(original) == len(restored)
  for key, value in original:
    np.testing.assert_array_equal(restored[key], value)
    assert restored[key].dtype == value.dtype
  side = json.loads(offline_score.sidecar_path(path).read_text())
  assert side["sha256"] == offline_score.sha256_file(path) == loaded.sha256
  assert side["model"]["widths"] == [4, 8, 8, 8] and side["test_accuracy"] == 0.5
  assert "classifier score" in side["name"]


def test_tampered_and_missing_files_are_refused(exported, tmp_path):
  path, _ = exported
  data = bytearray(path.read_bytes())
  data[len(data) // 2] ^= 0x01
  path.write_bytes(bytes(data))
  with pytest.raises(offline_score.ClassifierFileError, match="c.npz has SHA-256"):
    offline_score.load_classifier(path)
  with pytest.raises(offline_score.ClassifierFileError,
                     match=r"missing\.npz, missing\.json missing in .*export_classifier\.py"):
    offline_score.load_classifier(tmp_path / "missing.npz")


def test_scores_on_a_tiny_random_classifier(exported, tmp_path):
  path, _ = exported
  classifier = offline_score.load_classifier(path)
  images = _images(40, 1)
  reference = offline_score.reference_statistics(classifier, images=images, batch_size=16)
  assert offline_score.statistics_path(classifier).is_file()
  result = offline_score.offline_scores(classifier, images, reference, splits=2, batch_size=16)
  assert result["classifier_frechet_distance"] == pytest.approx(0.0, abs=1e-6)
  assert 1.0 - 1e-9 <= result["classifier_score"] <= 10.0 + 1e-9  # exp(KL) with K = 10
  expected = scores.inception_score_from_logits(classifier.logits(images), splits=2)
  assert result["classifier_score"] == pytest.approx(expected[0], rel=1e-5)
  assert result["classifier_score_std"] == pytest.approx(expected[1], rel=1e-4, abs=1e-7)
  other = offline_score.offline_scores(classifier, _images(40, 2) * 0.5, reference, splits=2,
                                       batch_size=16)
  assert other["classifier_frechet_distance"] > 1e-4

  # The cache is reused for the same classifier (other images are ignored) ...
  cached = offline_score.reference_statistics(classifier, images=_images(40, 3), batch_size=16)
  np.testing.assert_array_equal(cached.mean, reference.mean)
  # ... and a cache whose file no longer matches its checksum is refused.
  stats_path = offline_score.statistics_path(classifier)
  np.savez(stats_path, mean=reference.mean + 1, cov=reference.cov, count=np.int64(40))
  with pytest.raises(offline_score.ClassifierFileError, match="_train_stats.npz has SHA-256"):
    offline_score.reference_statistics(classifier, images=images, batch_size=16)


def test_wrong_image_shape_is_a_clear_error(exported):
  classifier = offline_score.load_classifier(exported[0])
  with pytest.raises(ValueError, match=r"\[B, 32, 32, 3\]"):
    classifier.logits(np.zeros((2, 28, 28, 1), np.float32))


def test_export_path_skips_a_read_only_data_folder(tmp_path, monkeypatch):
  monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
  data = tmp_path / "data"
  data.mkdir()
  assert offline_score.default_export_path(data) == data / "classifiers" / "cifar10_classifier.npz"
  (data / "classifiers").rmdir()
  data.chmod(0o555)  # read-only by its mode bits, which even root's export respects
  try:
    path = offline_score.default_export_path(data)
  finally:
    data.chmod(0o755)
  assert path == tmp_path / "cache" / "gen_models" / "data" / "classifiers" / path.name
  assert not (data / "classifiers").exists()
