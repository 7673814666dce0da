"""Toy sample-quality metrics against independent computations."""

import jax
import numpy as np
import pytest
from scipy.spatial.distance import cdist

from gen_models.data import toy
from gen_models.evaluation import toy as metrics

SPEC = toy.mixture_spec("8gaussians")


def test_mode_statistics_exact_and_partial():
  at_centres = np.repeat(SPEC.centers, 50, axis=0)
  stats = metrics.mode_statistics(at_centres, SPEC.centers, SPEC.std)
  assert stats == {"modes_covered": 8, "num_modes": 8, "high_quality_fraction": 1.0}
  three = np.repeat(SPEC.centers[:3], 100, axis=0)
  assert metrics.mode_statistics(three, SPEC.centers, SPEC.std)["modes_covered"] == 3
  displaced = at_centres + np.array([4 * SPEC.std, 0.0])
  assert metrics.mode_statistics(displaced, SPEC.centers, SPEC.std)["high_quality_fraction"] == 0


def test_true_samples_are_high_quality():
  samples = np.asarray(toy.sample("8gaussians", jax.random.key(0), 5000))
  stats = metrics.mode_statistics(samples, SPEC.centers, SPEC.std)
  assert stats["modes_covered"] == 8
  assert stats["high_quality_fraction"] >= 0.98  # 1 - exp(-4.5) = 0.989 in 2-D


def _mmd_reference(x, y, bandwidths=(0.05, 0.2, 1.0)):
  def k(a, b):
    d2 = cdist(a, b, "sqeuclidean")
    return sum(np.exp(-d2 / (2 * h * h)) for h in bandwidths)
  n, m = len(x), len(y)
  kxx, kyy = k(x, x), k(y, y)
  return ((kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
          - 2 * k(x, y).mean())


def test_mmd_matches_reference_and_separates():
  rng = np.random.default_rng(0)
  x, y = rng.normal(size=(40, 2)), rng.normal(size=(30, 2)) + 0.3
  np.testing.assert_allclose(metrics.mmd_rbf(x, y), _mmd_reference(x, y), rtol=1e-9)
  same = metrics.mmd_rbf(rng.normal(size=(800, 2)), rng.normal(size=(800, 2)))
  assert abs(same) < 0.01
  assert metrics.mmd_rbf(rng.normal(size=(800, 2)), rng.normal(size=(800, 2)) + 1.0) > 0.1


def test_sliced_w1_of_a_shift():
  rng = np.random.default_rng(1)
  x = rng.normal(size=(2000, 2))
  v = np.array([0.6, -0.8])  # |v| = 1; E|<v, u>| over unit u in 2-D is 2/pi
  np.testing.assert_allclose(metrics.sliced_wasserstein1(x + v, x, num_projections=4096),
                             2 / np.pi, rtol=0.05)
  assert metrics.sliced_wasserstein1(x, x) == 0.0
  with pytest.raises(ValueError):
    metrics.sliced_wasserstein1(x, x[:10])
