"""Figures for out-of-distribution detection: AUPR per held-out class, PR and ROC curves."""

import matplotlib.pyplot as plt
import numpy as np

import gen_models.plotting  # noqa: F401  (selects the Agg backend)


def aupr_per_class(ax, class_labels, aupr_by_score: dict, skew):
  """Grouped bars: one group per held-out class [K], one bar per score (AUPR in percent);
  the skew (a random detector's AUPR) as a black tick over each group."""
  width = 0.8 / max(1, len(aupr_by_score))
  x = np.arange(len(class_labels))
  for i, (name, values) in enumerate(aupr_by_score.items()):
    values = np.array([np.nan if v is None else v for v in values], float)
    ax.bar(x + (i - (len(aupr_by_score) - 1) / 2) * width, 100 * values, width, label=name)
  ax.scatter(x, 100 * np.asarray(skew), marker="_", s=400, c="k", zorder=3,
             label="skew (random detector)")
  ax.set_xticks(x, [str(c) for c in class_labels])
  ax.set_xlabel("held-out class")
  ax.set_ylabel("AUPR (%)")
  ax.set_ylim(0, 100)
  # Outside the axes: inside, it covered the tallest bars (the figures are saved tight).
  ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


def pr_and_roc(ax_pr, ax_roc, curves: dict, skew: float, title="", legend=True):
  """Precision-recall and ROC curves of each score. curves: {name: (precision, recall, fpr,
  tpr)} as evaluation.ood computes them; skew: a random detector's precision."""
  for name, (precision, recall, fpr, tpr) in curves.items():
    ax_pr.step(np.r_[0.0, recall], np.r_[precision[0], precision], where="pre", label=name)
    ax_roc.plot(fpr, tpr, label=name)
  ax_pr.axhline(skew, c="k", lw=0.8, ls="--")
  ax_roc.plot([0, 1], [0, 1], c="k", lw=0.8, ls="--")
  ax_pr.set(xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02), title=title)
  ax_roc.set(xlabel="false positive rate", ylabel="true positive rate", xlim=(0, 1),
             ylim=(0, 1.02), title=title)
  if legend:
    ax_pr.legend(fontsize=7)
    ax_roc.legend(fontsize=7)


__all__ = ["aupr_per_class", "pr_and_roc", "plt"]
