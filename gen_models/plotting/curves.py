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


def sample_score_curves(runs: dict, path):
  """One panel per sample-quality metric (SAMPLE_SCORE_PANELS) that any of `runs` ({label:
  run_dir}) logged at evaluation, each run a line against generator iterations (a band: the
  score's std over splits). -> the written PNG path, or None when no run logged any of them
  (nothing is written)."""
  rows = {label: metrics_lib.read_metrics(run_dir) for label, run_dir in runs.items()
          if (pathlib.Path(run_dir) / "metrics.jsonl").is_file()}
  logged = {label: {k[len("eval/"):] for r in run_rows for k in r if k.startswith("eval/")}
            for label, run_rows in rows.items()}
  panels = [(key, name) for key, name in SAMPLE_SCORE_PANELS
            if any(key in keys for keys in logged.values())]
  if not panels:
    return None
  fig, axes = toy_plots.plt.subplots(1, len(panels), figsize=(4.6 * len(panels), 3.6),
                                     squeeze=False)
  for ax, (key, name) in zip(axes[0], panels):
    score_curves(ax, {label: eval_curve(runs[label], key, run_rows)
                      for label, run_rows in rows.items() if key in logged[label]},
                 "step", "generator iterations", name)
    if len(runs) == 1:
      ax.get_legend().remove()
  return toy_plots.save(fig, path)


def _smoothed(values, window: int):
  """Trailing mean over `window` points (the first points average what there is)."""
  out, total = [], 0.0
  for i, v in enumerate(values):
    total += v - (values[i - window] if i >= window else 0.0)
    out.append(total / min(i + 1, window))
  return out


def likelihood_curves(runs: dict, path, x_key: str = "step", smooth: int = 5):
  """Bits/dim over training for likelihood runs ({label: run_dir}): left, the one-sample
  negative ELBO of the training batches (trailing mean over `smooth` log lines; dashed) and the
  evaluated test bounds (eval/test_bpd_elbo, eval/test_bpd_iwae; markers); right, the KL of each
  latent level in bits/dim on the training batches. x_key: 'step' or 'train_elapsed_s' (shown in
  minutes). -> the written PNG path."""
  fig, (ax_bpd, ax_kl) = toy_plots.plt.subplots(1, 2, figsize=(11, 4))
  scale, xlabel = (60.0, "training wall-clock (min)") if x_key == "train_elapsed_s" else (
      1.0, "training steps")
  top = []
  for i, (label, run_dir) in enumerate(runs.items()):
    color = f"C{i}"
    rows = metrics_lib.read_metrics(run_dir)
    train = [r for r in rows if "nelbo_bpd" in r]
    x = [r[x_key] / scale for r in train]
    y = _smoothed([r["nelbo_bpd"] for r in train], smooth)
    ax_bpd.plot(x, y, "--", color=color, linewidth=1, label=f"{label}: train ELBO")
    top.append(y[len(y) // 10] if y else None)
    for key, marker, name in (("test_bpd_elbo", "o", "test ELBO"),
                              ("test_bpd_iwae", "s", "test IWAE")):
      evals = [r for r in rows if f"eval/{key}" in r and r.get(x_key) is not None]
      if evals:
        ax_bpd.plot([r[x_key] / scale for r in evals], [r[f"eval/{key}"] for r in evals],
                    marker=marker, markersize=3, linewidth=1, color=color,
                    alpha=0.9 if marker == "o" else 0.6, label=f"{label}: {name}")
    for level, style in (("kl_z1_bpd", "-"), ("kl_z2_bpd", ":")):
      if any(level in r for r in train):
        ax_kl.plot(x, _smoothed([r.get(level, float("nan")) for r in train], smooth), style,
                   color=color, linewidth=1, label=f"{label}: {level[:5].replace('_', ' ')}")
  tops = [t for t in top if t is not None]
  if tops:  # the first tenth of training (KL warm-up, large initial losses) off the scale
    ax_bpd.set_ylim(top=max(tops))
  for ax, ylabel in ((ax_bpd, "bits/dim"), (ax_kl, "KL (bits/dim)")):
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
  return toy_plots.save(fig, path)


def test_nll_curves(runs: dict, path, title: str = ""):
  """Test NLL (nats) against training wall-clock, one line per likelihood run ({label: run_dir}):
  the exact NLL of autoregressive models, the negative ELBO of latent ones (both as logged by
  periodic `test_likelihood` evaluations), so runs of one budget can be ranked and extrapolated.
  -> the written PNG path."""
  curves = {}
  for label, run_dir in runs.items():
    rows = metrics_lib.read_metrics(run_dir)
    key = "test_nll_exact" if any("eval/test_nll_exact" in r for r in rows) else "test_nll_elbo"
    curve = eval_curve(run_dir, key, rows)
    if None in curve["train_elapsed_s"]:
      raise ValueError(f"{run_dir}: evaluations without train_elapsed_s; the curve needs the "
                       "training wall-clock of each evaluation")
    bound = "=" if key == "test_nll_exact" else "≤"
    curves[f"{label} ({bound} NLL)"] = curve
  fig, ax = toy_plots.plt.subplots(figsize=(7, 4.5))
  score_curves(ax, curves, "train_elapsed_s", "training wall-clock (min)", "test NLL (nats)",
               x_scale=60.0)
  # the first tenth of each run (huge initial losses) goes off the top so the budget's end,
  # where the ranking is read, keeps its resolution
  later = [v for c in curves.values() for t, v in zip(c["train_elapsed_s"], c["score"])
           if t >= 0.1 * c["train_elapsed_s"][-1]]
  low = min(v for c in curves.values() for v in c["score"])
  if later:
    ax.set_ylim(low - 0.02 * (max(later) - low) - 0.5, max(later) + 0.05 * (max(later) - low))
  if title:
    ax.set_title(title, fontsize=9)
  return toy_plots.save(fig, path)
