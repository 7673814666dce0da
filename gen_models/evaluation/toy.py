"""Sample-quality measures for the 2-D toy sets: modes covered, high-quality fraction, MMD,
sliced Wasserstein-1."""

import numpy as np


def mode_statistics(samples, centers, std, min_fraction: float = 0.008, radius_stds=3.0):
  """Assigns each sample to its nearest mode.

  samples: [N, 2]; centers: [K, 2]. A sample is *high quality* when it lies within
  `radius_stds` standard deviations of its nearest mode; a mode is *covered* when at least
  `min_fraction` of all samples (20 of 2,500 by default) are high-quality samples of that mode.
  Returns dict(modes_covered, num_modes, high_quality_fraction).
  """
  samples, centers = np.asarray(samples, np.float64), np.asarray(centers, np.float64)
  dist = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=-1)  # [N, K]
  nearest = np.argmin(dist, axis=1)
  good = dist[np.arange(len(samples)), nearest] <= radius_stds * std
  counts = np.bincount(nearest[good], minlength=len(centers))
  threshold = max(1, int(np.ceil(min_fraction * len(samples))))
  return {"modes_covered": int(np.sum(counts >= threshold)), "num_modes": len(centers),
          "high_quality_fraction": float(np.mean(good))}


def _sq_dists(x, y):
  return np.sum(x * x, 1)[:, None] + np.sum(y * y, 1)[None, :] - 2.0 * x @ y.T


def mmd_rbf(x, y, bandwidths=(0.05, 0.2, 1.0)):
  """Unbiased squared MMD with a sum of Gaussian kernels exp(-|a-b|^2 / (2 h^2)). x: [N, D], y: [M, D]."""
  x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
  n, m = len(x), len(y)

  def kernel(a, b):
    d2 = np.maximum(_sq_dists(a, b), 0.0)
    return sum(np.exp(-d2 / (2.0 * h * h)) for h in bandwidths)

  kxx, kyy, kxy = kernel(x, x), kernel(y, y), kernel(x, y)
  return float((kxx.sum() - np.trace(kxx)) / (n * (n - 1))
               + (kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2.0 * kxy.mean())


def sliced_wasserstein1(x, y, num_projections: int = 256, seed: int = 0):
  """Mean over random unit directions of the 1-D Wasserstein-1 distance of the projections.

  x, y: [N, D] with equal N (1-D W1 between equal-size empirical measures is the mean absolute
  difference of sorted values).
  """
  x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
  if len(x) != len(y):
    raise ValueError(f"sliced W1 needs equal sample counts, got {len(x)} and {len(y)}")
  dirs = np.random.default_rng(seed).normal(size=(x.shape[1], num_projections))
  dirs /= np.linalg.norm(dirs, axis=0, keepdims=True)
  px, py = np.sort(x @ dirs, axis=0), np.sort(y @ dirs, axis=0)
  return float(np.mean(np.abs(px - py)))
