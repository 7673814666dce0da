"""Out-of-distribution detection metrics (Chapter 4): AUPR, AUROC, FPR at 95% TPR, skew.

Convention: a model gives each test image a *normality* score (higher = more normal, e.g. a
log-likelihood or a discriminator output). The detector flags out-of-distribution images, so it
ranks by the negated normality, and the out-of-distribution (held-out) class is the positive
class. All functions take `normality` [N] float and `is_ood` [N] bool and run on the host.

Ties matter: a saturated discriminator or a coarse score gives many equal values, and breaking
them by input order would make the numbers depend on how the test set is sorted. Every metric
here treats a group of tied scores as one threshold (the whole group flips label at once).
"""

import numpy as np


def _check(normality, is_ood):
  normality = np.asarray(normality, np.float64)
  is_ood = np.asarray(is_ood)
  if normality.ndim != 1 or normality.shape != is_ood.shape:
    raise ValueError(f"normality and is_ood must both be [N], got {normality.shape} and "
                     f"{is_ood.shape}")
  if is_ood.dtype != bool:
    if not np.all(np.isin(is_ood, (0, 1))):
      raise ValueError("is_ood must be boolean (or 0/1)")
    is_ood = is_ood.astype(bool)
  if np.isnan(normality).any():
    raise ValueError(f"normality has {int(np.isnan(normality).sum())} NaN value(s)")
  num_pos = int(is_ood.sum())
  if num_pos == 0 or num_pos == len(is_ood):
    raise ValueError(f"need both classes: {num_pos} positives (OOD) among {len(is_ood)}")
  return normality, is_ood


def _threshold_counts(normality, is_ood):
  """Cumulative (true positives, false positives) [T] at each distinct detector threshold.

  The detector score is -normality; thresholds run from strictest (most abnormal first) to most
  lenient, one per distinct score value, so tied images enter together.
  """
  detector = -normality
  order = np.argsort(detector, kind="stable")[::-1]
  detector, positive = detector[order], is_ood[order]
  last_of_group = np.r_[np.flatnonzero(np.diff(detector) != 0), len(detector) - 1]
  tps = np.cumsum(positive)[last_of_group]
  fps = (last_of_group + 1) - tps
  return tps.astype(np.float64), fps.astype(np.float64)


def skew(is_ood) -> float:
  """Fraction of positives (OOD images) among all: the AUPR of a random detector."""
  is_ood = np.asarray(is_ood, bool)
  return float(is_ood.mean())


def precision_recall_curve(normality, is_ood):
  """(precision [T], recall [T]) at each distinct threshold, recall increasing."""
  normality, is_ood = _check(normality, is_ood)
  tps, fps = _threshold_counts(normality, is_ood)
  return tps / (tps + fps), tps / tps[-1]


def roc_curve(normality, is_ood):
  """(false positive rate [T+1], true positive rate [T+1]) starting at (0, 0)."""
  normality, is_ood = _check(normality, is_ood)
  tps, fps = _threshold_counts(normality, is_ood)
  return np.r_[0.0, fps / fps[-1]], np.r_[0.0, tps / tps[-1]]


def average_precision(normality, is_ood) -> float:
  """AUPR as average precision: sum over thresholds of (R_k - R_{k-1}) P_k.

  The step-wise estimator of the area under the PR curve (the one scikit-learn's
  average_precision_score computes). Unlike linear interpolation between PR points it is not
  optimistic: precision does not vary linearly with recall between two thresholds.
  """
  precision, recall = precision_recall_curve(normality, is_ood)
  return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def aupr_trapezoid(normality, is_ood) -> float:
  """AUPR by linear interpolation between PR points (as the thesis describes; optimistic).

  Kept to compare with the thesis' numbers; tables report `average_precision`. The curve is
  closed at recall 0 with precision 1, as scikit-learn's precision_recall_curve does.
  """
  precision, recall = precision_recall_curve(normality, is_ood)
  precision, recall = np.r_[1.0, precision], np.r_[0.0, recall]
  return float(np.sum(np.diff(recall) * (precision[1:] + precision[:-1]) / 2.0))


def auroc(normality, is_ood) -> float:
  """Area under the ROC curve as the Mann-Whitney statistic: P(detector ranks a random OOD image
  above a random in-distribution one), ties counted 1/2. Computed from mid-ranks, O(N log N)."""
  normality, is_ood = _check(normality, is_ood)
  detector = -normality
  _, inverse, counts = np.unique(detector, return_inverse=True, return_counts=True)
  mid_rank = np.cumsum(counts) - (counts - 1) / 2.0  # 1-based average rank of each tie group
  ranks = mid_rank[inverse]
  num_pos, num_neg = is_ood.sum(), (~is_ood).sum()
  u = ranks[is_ood].sum() - num_pos * (num_pos + 1) / 2.0
  return float(u / (num_pos * num_neg))


def fpr_at_tpr(normality, is_ood, tpr: float = 0.95) -> float:
  """The smallest false positive rate among thresholds that flag >= `tpr` of the OOD images."""
  fpr_curve, tpr_curve = roc_curve(normality, is_ood)
  return float(fpr_curve[np.argmax(tpr_curve >= tpr - 1e-12)])


def detection_metrics(normality, is_ood) -> dict:
  """All Chapter 4 numbers for one score on one OOD split (fractions, not percent)."""
  return {"skew": skew(is_ood), "aupr": average_precision(normality, is_ood),
          "aupr_trapezoid": aupr_trapezoid(normality, is_ood), "auroc": auroc(normality, is_ood),
          "fpr95": fpr_at_tpr(normality, is_ood, 0.95)}
