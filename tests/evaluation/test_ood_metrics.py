"""OOD metrics against scikit-learn on tied scores, and their closed-form extremes."""

import numpy as np
import pytest
from sklearn import metrics as skm

from gen_models.evaluation import ood


def _tied_case(seed, num, ood_fraction, levels):
  """Scores rounded to `levels` distinct values (many ties); OOD images score lower on average."""
  rng = np.random.default_rng(seed)
  is_ood = rng.random(num) < ood_fraction
  is_ood[:2] = (True, False)  # both classes present
  normality = rng.normal(size=num) - 0.7 * is_ood
  normality = np.round(normality * levels / 4.0) / levels  # a few dozen distinct values
  return normality, is_ood


CASES = [(seed, frac, levels) for seed in range(4) for frac in (0.05, 0.1, 0.5)
         for levels in (2, 8)]


@pytest.mark.parametrize("seed,frac,levels", CASES)
def test_against_sklearn_with_ties(seed, frac, levels):
  normality, is_ood = _tied_case(seed, 600, frac, levels)
  assert len(np.unique(normality)) < 60  # the case really has ties
  detector = -normality
  np.testing.assert_allclose(ood.average_precision(normality, is_ood),
                             skm.average_precision_score(is_ood, detector), rtol=1e-12)
  np.testing.assert_allclose(ood.auroc(normality, is_ood), skm.roc_auc_score(is_ood, detector),
                             rtol=1e-12)
  fpr, tpr, _ = skm.roc_curve(is_ood, detector, drop_intermediate=False)
  assert ood.fpr_at_tpr(normality, is_ood, 0.95) == fpr[np.argmax(tpr >= 0.95)]
  precision, recall, _ = skm.precision_recall_curve(is_ood, detector)
  np.testing.assert_allclose(ood.aupr_trapezoid(normality, is_ood), skm.auc(recall, precision),
                             rtol=1e-12)
  assert ood.skew(is_ood) == is_ood.sum() / len(is_ood)


def test_ties_are_order_independent():
  normality, is_ood = _tied_case(7, 300, 0.2, 2)
  perm = np.random.default_rng(0).permutation(len(normality))
  for metric in (ood.average_precision, ood.auroc, ood.fpr_at_tpr, ood.aupr_trapezoid):
    assert metric(normality, is_ood) == pytest.approx(metric(normality[perm], is_ood[perm]),
                                                      rel=1e-12)


def test_all_tied_is_chance():
  is_ood = np.arange(50) < 10
  normality = np.zeros(50)
  assert ood.auroc(normality, is_ood) == 0.5
  assert ood.average_precision(normality, is_ood) == pytest.approx(0.2)
  assert ood.fpr_at_tpr(normality, is_ood) == 1.0


@pytest.mark.parametrize("num_pos,num_neg", [(1, 9), (98, 902), (50, 50)])
def test_perfect_and_inverted_scores(num_pos, num_neg):
  is_ood = np.r_[np.ones(num_pos, bool), np.zeros(num_neg, bool)]
  rng = np.random.default_rng(num_pos)
  perfect = np.where(is_ood, rng.uniform(-2, -1, is_ood.size), rng.uniform(1, 2, is_ood.size))
  assert ood.average_precision(perfect, is_ood) == 1.0
  assert ood.auroc(perfect, is_ood) == 1.0
  assert ood.fpr_at_tpr(perfect, is_ood) == 0.0
  inverted = -perfect
  assert ood.auroc(inverted, is_ood) == 0.0
  # All negatives ranked first: the k-th positive is found at rank num_neg + k.
  k = np.arange(1, num_pos + 1)
  np.testing.assert_allclose(ood.average_precision(inverted, is_ood),
                             np.mean(k / (num_neg + k)), rtol=1e-12)
  assert ood.fpr_at_tpr(inverted, is_ood) == 1.0
  metrics = ood.detection_metrics(perfect, is_ood)
  assert metrics["skew"] == num_pos / (num_pos + num_neg)


def test_bad_input_is_named():
  with pytest.raises(ValueError, match="both classes"):
    ood.auroc(np.zeros(4), np.zeros(4, bool))
  with pytest.raises(ValueError, match="NaN"):
    ood.average_precision(np.array([0.0, np.nan]), np.array([True, False]))
  with pytest.raises(ValueError, match=r"\[N\]"):
    ood.auroc(np.zeros(4), np.zeros(3, bool))
