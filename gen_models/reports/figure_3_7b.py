"""Figure 3.7b (thesis section 3.5.5): the negative critic loss of WGAN-GP and of WGAN with weight
clipping on a random subset of MNIST digits and on validation digits, against the same
generated samples (protocols/overfitting.py logs both; its reducer draws the curves); the
section's claims judged from those curves."""

import numpy as np

from gen_models.plotting import tables
from gen_models.protocols import overfitting
from gen_models.reports import section

KEY = "figure_3_7b"
TITLE = "Figure 3.7b: detecting overfitting from the critic's loss"
CHAPTER = 3
OVERFITTING = "experiments/wgan_overfitting_mnist.py"
EXPERIMENTS = (OVERFITTING,)

GAP_CLAIM = ("With either WGAN-GP or weight clipping, the training and validation negative "
             "critic losses diverge as the critic overfits: the gap grows over training "
             "(section 3.5.5, Figure 3.7b)")
TREND_CLAIM = ("With WGAN-GP the training (negative critic) loss increases while the validation "
               "loss drops (section 3.5.5, Figure 3.7b)")


def gaps(curve: dict) -> np.ndarray:
  """[n] training minus validation negative critic loss at each evaluation."""
  return (np.asarray(curve["wasserstein_train"], np.float64)
          - np.asarray(curve["wasserstein_heldout"], np.float64))


def late_slope(steps, values) -> float:
  """Least-squares slope (per 1,000 generator steps) over the later half of the evaluations
  (at least two of them)."""
  n = len(steps)
  start = min(n // 2, n - 2)
  x = np.asarray(steps[start:], np.float64) / 1000.0
  return float(np.polyfit(x, np.asarray(values[start:], np.float64), 1)[0])


def render(ctx: section.Context) -> section.Section:
  run = ctx.run(OVERFITTING)
  if not run.finished:
    return section.Section(f"`{OVERFITTING}`: {run.status_line()}",
                           [section.not_run(GAP_CLAIM, run.status_line()),
                            section.not_run(TREND_CLAIM, run.status_line())])
  found, rows = {}, []
  for method in run.config["protocol"]["methods"]:
    label = overfitting.METHODS[method]
    sub = run.subrun(method)
    if not sub.finished:
      rows.append((label, sub.status_line(), "", "", "", ""))
      continue
    c = found[method] = overfitting.loss_curves(sub.path)
    g = gaps(c)
    rows.append((label, f"{c['step'][-1]:,}",
                 f"{c['wasserstein_train'][0]:.4g} / {c['wasserstein_heldout'][0]:.4g} "
                 f"(gap {g[0]:.4g}, step {c['step'][0]:,})",
                 f"{c['wasserstein_train'][-1]:.4g} / {c['wasserstein_heldout'][-1]:.4g}",
                 f"{g[-1]:.4g}", f"{g.max():.4g} @ {c['step'][int(g.argmax())]:,}"))
  subset = run.config["data"]["train_subset"] or "all"
  body = [tables.markdown_table(
      ("method", "generator steps", "first evaluation: train / validation",
       "final: train / validation", "final gap", "largest gap @ step"), rows).rstrip(), "",
      "Negative critic loss without the penalty, mean D(real) - mean D(fake), with the same "
      f"generated samples for the training subset ({subset} digits) and the held-out validation "
      "digits; gap = training minus validation. The thesis prints no numbers, only the curves.",
      ""]
  figure = run.path / "figures" / "overfitting_curves.png"
  body += ([f"![training vs validation negative critic loss]({ctx.link(figure)})"]
           if figure.is_file() else [f"(no figures/overfitting_curves.png in `{run.name}`)"])
  return section.Section("\n".join(body), [_gap_claim(found), _trend_claim(found)])


def _gap_claim(found: dict):
  if not found:
    return section.not_run(GAP_CLAIM, "no finished method")
  if any(len(c["step"]) < 2 for c in found.values()):
    return section.not_run(GAP_CLAIM, "needs at least two evaluations per run")
  grows = {m: gaps(c)[-1] > max(gaps(c)[0], 0.0) for m, c in found.items()}
  evidence = "; ".join(f"{overfitting.METHODS[m]}: gap {gaps(c)[0]:.4g} at step {c['step'][0]:,}"
                       f" -> {gaps(c)[-1]:.4g} at step {c['step'][-1]:,}"
                       for m, c in found.items())
  missing = [overfitting.METHODS[m] for m in overfitting.METHODS if m not in found]
  if missing:
    evidence += f"; not run: {', '.join(missing)}"
  return section.claim(GAP_CLAIM, all(grows.values()) and not missing,
                       evidence + " (criterion: the final gap is positive and larger than the "
                       "first evaluation's)")


def _trend_claim(found: dict):
  if "wgan_gp" not in found:
    return section.not_run(TREND_CLAIM, "no finished WGAN-GP run")
  c = found["wgan_gp"]
  if len(c["step"]) < 2:
    return section.not_run(TREND_CLAIM, "needs at least two evaluations")
  train = late_slope(c["step"], c["wasserstein_train"])
  valid = late_slope(c["step"], c["wasserstein_heldout"])
  return section.claim(TREND_CLAIM, train > 0 > valid,
                       f"slopes over the later half of the evaluations, per 1,000 generator "
                       f"steps: training {train:+.4g}, validation {valid:+.4g}")
