"""Score-over-training curves: one line per run against generator iterations or wall-clock."""

import pathlib

import gen_models.plotting  # noqa: F401  (selects the Agg backend)
from gen_models.plotting import toy as toy_plots
from gen_models.training import metrics as metrics_lib

# Sample-quality metrics a run may log at evaluation, in panel order, with their axis labels:
# the project's offline classifier metrics (NOT the Inception score / FID) and the published
# ones when the run was configured with InceptionV3 weights.
SAMPLE_SCORE_PANELS = (
    ("classifier_score", "classifier score (CIFAR-10 classifier of this project)"),
    ("classifier_frechet_distance", "classifier Fréchet distance (vs. training set)"),
    ("inception_score", "Inception score"),
    ("fid", "FID (vs. training set)"),
)


def eval_curve(run_dir, key: str, rows=None) -> dict:
  """{'step': [n], 'train_elapsed_s': [n] (None where not logged), 'score': [n],
  'score_std': [n] or None} from the `eval/<key>` rows of run_dir/metrics.jsonl (`rows`: that
  file already read, so several curves of one run cost one read)."""
  if rows is None:
    rows = metrics_lib.read_metrics(run_dir)
  rows = [r for r in rows if f"eval/{key}" in r]
  if not rows:
    raise ValueError(f"{pathlib.Path(run_dir) / 'metrics.jsonl'} has no eval/{key} rows; was "
                     f"the run configured to compute {key}?")
  std_key = f"eval/{key}_std"
  return {"step": [r["step"] for r in rows],
          "train_elapsed_s": [r.get("train_elapsed_s") for r in rows],
          "score": [r[f"eval/{key}"] for r in rows],
          "score_std": [r[std_key] for r in rows] if all(std_key in r for r in rows) else None}


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


def write_sample_score_curves(run_dir):
  """run_dir/figures/sample_scores.png: one panel per sample-quality metric the run logged at
  evaluation (SAMPLE_SCORE_PANELS) against generator iterations. -> the path, or None when the
  run logged none of them (nothing is written)."""
  run_dir = pathlib.Path(run_dir)
  if not (run_dir / "metrics.jsonl").is_file():
    return None
  rows = metrics_lib.read_metrics(run_dir)
  logged = {k[len("eval/"):] for r in rows for k in r if k.startswith("eval/")}
  panels = [(key, label) for key, label in SAMPLE_SCORE_PANELS if key in logged]
  if not panels:
    return None
  fig, axes = toy_plots.plt.subplots(1, len(panels), figsize=(4.6 * len(panels), 3.6),
                                     squeeze=False)
  for ax, (key, label) in zip(axes[0], panels):
    score_curves(ax, {key: eval_curve(run_dir, key, rows)}, "step", "generator iterations",
                 label)
    ax.get_legend().remove()
  return toy_plots.save(fig, run_dir / "figures" / "sample_scores.png")
