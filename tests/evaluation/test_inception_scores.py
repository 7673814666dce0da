"""Inception-style score and Frechet distance against closed forms and SciPy references."""

import numpy as np
import pytest
import scipy.linalg
import scipy.stats

from gen_models.evaluation import scores


def test_one_hot_balanced_classes_score_k():
  for k in (2, 5, 10):
    probs = np.eye(k)[np.tile(np.arange(k), 20)]  # every split of 2k rows holds each class twice
    mean, std = scores.inception_score_from_probs(probs, splits=10)
    assert mean == pytest.approx(k, rel=1e-12) and std == pytest.approx(0.0, abs=1e-12)


def test_identical_predictions_score_one():
  p = np.random.default_rng(0).dirichlet(np.ones(7))
  mean, _ = scores.inception_score_from_probs(np.tile(p, (40, 1)), splits=4)
  assert mean == pytest.approx(1.0, abs=1e-12)


def test_score_matches_scipy_kl_reference():
  rng = np.random.default_rng(1)
  logits = rng.normal(size=(60, 6)) * 3.0
  probs = scipy.special.softmax(logits, axis=1)
  expected = []
  for part in np.split(probs, 3):
    marginal = part.mean(axis=0)
    expected.append(np.exp(np.mean([scipy.stats.entropy(p, marginal) for p in part])))
  mean, std = scores.inception_score_from_logits(logits, splits=3)
  assert mean == pytest.approx(np.mean(expected), rel=1e-10)
  assert std == pytest.approx(np.std(expected), rel=1e-8)
  assert scores.inception_score_from_probs(probs, splits=3)[0] == pytest.approx(mean, rel=1e-10)


def test_score_rejects_too_few_samples():
  with pytest.raises(ValueError, match="cannot split 3 samples into 10 parts"):
    scores.inception_score_from_probs(np.eye(3), splits=10)


def _scipy_fid(x, y):
  """The usual reference: means, covariances and scipy.linalg.sqrtm of the product."""
  mu1, mu2 = x.mean(0), y.mean(0)
  s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
  covmean = scipy.linalg.sqrtm(s1 @ s2)
  return float(np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2.0 * np.real(covmean)))


def test_frechet_distance_matches_scipy_sqrtm():
  rng = np.random.default_rng(2)
  mix = rng.normal(size=(12, 12))
  x = rng.normal(size=(300, 12)) @ mix
  y = rng.normal(size=(200, 12)) @ mix * 1.3 + 0.5
  assert scores.frechet_distance_from_features(x, y) == pytest.approx(_scipy_fid(x, y), rel=1e-8)


def test_frechet_distance_singular_covariances():
  # N < D, as with 2048-d Inception features on a few hundred images: covariances are singular.
  rng = np.random.default_rng(3)
  x, y = rng.normal(size=(20, 40)), rng.normal(size=(25, 40)) + 0.1
  assert scores.frechet_distance_from_features(x, y) == pytest.approx(_scipy_fid(x, y), rel=1e-6)


def test_frechet_distance_of_a_set_with_itself_is_zero():
  x = np.random.default_rng(4).normal(size=(50, 64))  # singular: 50 < 64
  stats = scores.gaussian_statistics(x)
  assert scores.frechet_distance(stats, stats) == pytest.approx(0.0, abs=1e-9)


def test_frechet_distance_diagonal_closed_form():
  rng = np.random.default_rng(5)
  mu1, mu2 = rng.normal(size=5), rng.normal(size=5)
  v1, v2 = rng.uniform(0.1, 2.0, size=5), rng.uniform(0.1, 2.0, size=5)
  got = scores.frechet_distance(scores.GaussianStatistics(mu1, np.diag(v1), 0),
                                scores.GaussianStatistics(mu2, np.diag(v2), 0))
  expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(v1) - np.sqrt(v2)) ** 2)
  assert got == pytest.approx(expected, rel=1e-12)


def test_feature_statistics_round_trip(tmp_path):
  inputs = np.arange(7 * 2 * 3, dtype=np.float32).reshape(7, 2, 3)
  stats = scores.feature_statistics(lambda b: b.reshape(len(b), -1), inputs, batch_size=4)
  scores.save_statistics(tmp_path / "s.npz", stats)
  loaded = scores.load_statistics(tmp_path / "s.npz")
  np.testing.assert_array_equal(loaded.cov, np.cov(inputs.reshape(7, -1), rowvar=False))
  assert loaded.count == 7


class _StandInNetwork:
  """Duck-types InceptionNetwork with a linear 'feature network', to test the FID plumbing."""

  def __init__(self, input_range=(0.0, 255.0)):
    self.input_range = input_range
    self.variables = self.precision = None

  def features(self, images):
    return np.asarray(images, np.float64).reshape(len(images), -1)[:, :6]


def test_fid_wrappers_and_reference_cache(tmp_path):
  from gen_models.evaluation import inception  # pylint: disable=import-outside-toplevel
  net = _StandInNetwork()
  images = np.random.default_rng(6).integers(0, 256, (30, 2, 2, 3)).astype(np.uint8)
  cache = tmp_path / "ref.npz"
  ref = inception.reference_statistics(net, images, cache_path=cache, batch_size=7)
  assert inception.fid(net, images, ref, batch_size=8) == pytest.approx(0.0, abs=1e-9)
  other = images[::-1][:20]
  expected = scores.frechet_distance_from_features(net.features(other), net.features(images))
  assert inception.fid(net, other, ref) == pytest.approx(expected, rel=1e-10)
  # A second call reads the cache instead of recomputing.
  np.testing.assert_array_equal(
      inception.reference_statistics(net, images[:3], cache_path=cache).mean, ref.mean)
