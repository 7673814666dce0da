"""Classifier-based sample scores, independent of which network gives the features or logits.

- Inception-style score (Salimans et al., 2016): exp(E_x KL(p(y|x) || p(y))), computed on
  `splits` equal parts of the samples; reported as the mean and std over parts.
- Frechet distance between Gaussians fitted to two feature sets (Heusel et al., 2017):
  |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)).

The InceptionV3 versions (Inception score, FID) live in `evaluation/inception.py`; a CIFAR-10
classifier can pass its own logits/feature function to the same helpers.
"""

from typing import Callable, NamedTuple

import numpy as np

from gen_models.data import batching


class GaussianStatistics(NamedTuple):
  mean: np.ndarray  # [D] float64
  cov: np.ndarray  # [D, D] float64
  count: int


def _log_softmax(logits: np.ndarray) -> np.ndarray:
  shifted = logits - logits.max(axis=-1, keepdims=True)
  return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def inception_score_from_log_probs(log_probs, splits: int = 10) -> tuple[float, float]:
  """Mean and std over `splits` parts of exp(mean_x KL(p(y|x) || p(y))).

  log_probs: [N, K] log p(y|x) (rows sum to 1 after exp). p(y) is the mean of p(y|x) within each
  part; N must be divisible into `splits` non-empty parts (extra samples at the end are dropped,
  as in the original implementation's floor division).
  """
  log_probs = np.asarray(log_probs, np.float64)
  if log_probs.ndim != 2:
    raise ValueError(f"expected [N, K] log-probabilities, got shape {log_probs.shape}")
  n = log_probs.shape[0]
  if splits < 1 or n < splits:
    raise ValueError(f"cannot split {n} samples into {splits} parts")
  part = n // splits
  scores = []
  for k in range(splits):
    lp = log_probs[k * part:(k + 1) * part]
    p = np.exp(lp)
    with np.errstate(divide="ignore"):
      log_marginal = np.log(np.mean(p, axis=0))  # log p(y) [K]
    # 0 log 0 = 0: where p(y|x) is 0 its term vanishes (log p(y|x) and log p(y) may be -inf).
    positive = p > 0
    terms = np.where(positive, p * (np.where(positive, lp, 0.0)
                                    - np.where(positive, log_marginal, 0.0)), 0.0)
    scores.append(np.exp(np.mean(np.sum(terms, axis=1))))
  return float(np.mean(scores)), float(np.std(scores))


def inception_score_from_logits(logits, splits: int = 10) -> tuple[float, float]:
  """`inception_score_from_log_probs` of softmax(logits). logits: [N, K]."""
  return inception_score_from_log_probs(_log_softmax(np.asarray(logits, np.float64)), splits)


def inception_score_from_probs(probs, splits: int = 10) -> tuple[float, float]:
  """`inception_score_from_log_probs` of given class probabilities. probs: [N, K]."""
  probs = np.asarray(probs, np.float64)
  with np.errstate(divide="ignore"):
    return inception_score_from_log_probs(np.log(probs), splits)


def gaussian_statistics(features) -> GaussianStatistics:
  """Mean and unbiased (N-1) covariance of features [N, D], in float64."""
  features = np.asarray(features, np.float64)
  if features.ndim != 2 or features.shape[0] < 2:
    raise ValueError(f"need [N >= 2, D] features, got shape {features.shape}")
  return GaussianStatistics(features.mean(axis=0), np.cov(features, rowvar=False),
                            features.shape[0])


def _psd_sqrt(matrix: np.ndarray) -> np.ndarray:
  """Symmetric square root of a symmetric PSD matrix (negative round-off eigenvalues -> 0)."""
  w, v = np.linalg.eigh((matrix + matrix.T) / 2.0)
  return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def trace_sqrt_product(cov1, cov2) -> float:
  """tr((cov1 cov2)^(1/2)) for PSD cov1, cov2.

  cov1 cov2 is similar to the PSD matrix A = cov1^(1/2) cov2 cov1^(1/2), so both have the same
  (real, non-negative) eigenvalues and the trace is the sum of sqrt(eig(A)). Symmetric
  eigendecompositions are stable for singular covariances (N < D), where a general matrix
  square root of cov1 cov2 can return complex round-off.
  """
  root1 = _psd_sqrt(np.asarray(cov1, np.float64))
  inner = root1 @ np.asarray(cov2, np.float64) @ root1
  eig = np.linalg.eigvalsh((inner + inner.T) / 2.0)
  return float(np.sum(np.sqrt(np.clip(eig, 0.0, None))))


def frechet_distance(stats1: GaussianStatistics, stats2: GaussianStatistics) -> float:
  """|mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2)) between two Gaussians."""
  if stats1.mean.shape != stats2.mean.shape:
    raise ValueError(f"feature sizes differ: {stats1.mean.shape} vs {stats2.mean.shape}")
  diff = stats1.mean - stats2.mean
  value = (diff @ diff + np.trace(stats1.cov) + np.trace(stats2.cov)
           - 2.0 * trace_sqrt_product(stats1.cov, stats2.cov))
  return float(max(value, 0.0))  # round-off can give -1e-12 for identical sets


def frechet_distance_from_features(features1, features2) -> float:
  """Frechet distance between Gaussians fitted to features1 [N, D] and features2 [M, D]."""
  return frechet_distance(gaussian_statistics(features1), gaussian_statistics(features2))


def feature_statistics(feature_fn: Callable, images, batch_size: int = 100) -> GaussianStatistics:
  """Gaussian statistics of feature_fn ([B, ...] -> [B, D]) over all images, in batches."""
  return gaussian_statistics(batching.map_batches(feature_fn, images, batch_size))


def classifier_score(logits_fn: Callable, images, splits: int = 10,
                     batch_size: int = 100) -> tuple[float, float]:
  """Inception-style score of any classifier: logits_fn maps [B, ...] images to [B, K] logits."""
  return inception_score_from_logits(batching.map_batches(logits_fn, images, batch_size), splits)


def save_statistics(path, stats: GaussianStatistics) -> None:
  np.savez(path, mean=stats.mean, cov=stats.cov, count=np.int64(stats.count))


def load_statistics(path) -> GaussianStatistics:
  with np.load(path) as f:
    return GaussianStatistics(f["mean"], f["cov"], int(f["count"]))
