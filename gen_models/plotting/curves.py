"""Score-over-training curves: one line per run against generator iterations or wall-clock."""

import gen_models.plotting  # noqa: F401  (selects the Agg backend)


def score_curves(ax, curves: dict, x_key: str, xlabel: str, ylabel: str, x_scale: float = 1.0):
  """curves: {label: {x_key: [n], 'score': [n], 'score_std': [n] or None}}; x divided by
  x_scale. A shaded band shows +- the score's std over splits when given."""
  for label, curve in curves.items():
    x = [v / x_scale for v in curve[x_key]]
    line, = ax.plot(x, curve["score"], marker="o", markersize=2.5, linewidth=1.2, label=label)
    if curve.get("score_std") is not None:
      lo = [m - s for m, s in zip(curve["score"], curve["score_std"])]
      hi = [m + s for m, s in zip(curve["score"], curve["score_std"])]
      ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.15, linewidth=0)
  ax.set_xlabel(xlabel)
  ax.set_ylabel(ylabel)
  ax.grid(alpha=0.3)
  ax.legend(fontsize=8)
