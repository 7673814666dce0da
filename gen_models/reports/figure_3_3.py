"""Figure 3.3 (thesis section 3.5.2): a CIFAR-10 sample score over generator iterations and over
training wall-clock for WGAN with clipping, WGAN-GP with RMSProp and with Adam, and DCGAN
(protocols/cifar.py; its reducer draws the figure); the section's claims judged from the curves.

Our score is the project's offline classifier score (not the Inception score the thesis plots:
Inception weights are not available offline) unless the runs were configured otherwise
(protocol.score)."""

import numpy as np

from gen_models.plotting import curves, tables
from gen_models.protocols import cifar
from gen_models.reports import section

KEY = "figure_3_3"
TITLE = "Figure 3.3: WGAN-GP vs weight clipping vs DCGAN on CIFAR-10"
CHAPTER = 3
METHODS_EXPERIMENT = "experiments/cifar_method_comparison.py"
EXPERIMENTS = (METHODS_EXPERIMENT,)

CLAIMS = {
    "rmsprop": "With the same optimizer (RMSProp) and learning rate, WGAN-GP converges faster "
               "and to a better final score than weight clipping (section 3.5.2)",
    "adam": "Adam further improves WGAN-GP over RMSProp (section 3.5.2)",
    "wall_clock": "DCGAN converges faster than WGAN-GP (Adam) in wall-clock time (section 3.5.2)",
    "stable": "WGAN-GP (Adam) is more stable at convergence than DCGAN: a smaller fall from its "
              "best score to its final one (section 3.5.2)",
}


def first_step_reaching(curve: dict, level: float):
  """The first evaluated generator step whose score is >= level, or None."""
  return next((s for s, v in zip(curve["step"], curve["score"]) if v >= level), None)


def score_at_time(curve: dict, seconds: float) -> float:
  """The score linearly interpolated at `seconds` of training wall-clock."""
  return float(np.interp(seconds, curve["train_elapsed_s"], curve["score"]))


def _fall(curve: dict) -> float:
  """Best score minus final score (0 when the run ends at its best)."""
  return max(curve["score"]) - curve["score"][-1]


def _claims(c: dict) -> list:
  """c: {method: curve} of the finished methods."""
  out = []

  def need(key, *methods):
    missing = [m for m in methods if m not in c]
    if missing:
      out.append(section.not_run(CLAIMS[key], f"no finished run of {', '.join(missing)}"))
    return not missing

  if need("rmsprop", "wgan_gp_rmsprop", "wgan_clip"):
    gp, clip = c["wgan_gp_rmsprop"], c["wgan_clip"]
    reach = first_step_reaching(gp, clip["score"][-1])
    faster = reach is not None and reach < clip["step"][-1]
    out.append(section.claim(
        CLAIMS["rmsprop"], gp["score"][-1] > clip["score"][-1] and faster,
        f"final {gp['score'][-1]:.2f} vs {clip['score'][-1]:.2f}; WGAN-GP first reaches "
        f"clipping's final score at step {reach if reach is not None else 'never'} (clipping "
        f"ends at step {clip['step'][-1]:,})"))
  if need("adam", "wgan_gp_adam", "wgan_gp_rmsprop"):
    adam, rms = c["wgan_gp_adam"]["score"][-1], c["wgan_gp_rmsprop"]["score"][-1]
    out.append(section.claim(CLAIMS["adam"], adam > rms, f"final {adam:.2f} vs {rms:.2f}"))
  if need("wall_clock", "dcgan", "wgan_gp_adam"):
    dcgan, gp = c["dcgan"], c["wgan_gp_adam"]
    if None in dcgan["train_elapsed_s"] + gp["train_elapsed_s"]:
      out.append(section.not_run(CLAIMS["wall_clock"], "evaluations without train_elapsed_s"))
    else:
      t = min(dcgan["train_elapsed_s"][-1], gp["train_elapsed_s"][-1])
      ours, theirs = score_at_time(dcgan, t), score_at_time(gp, t)
      out.append(section.claim(
          CLAIMS["wall_clock"], ours > theirs,
          f"at {t / 60:.1f} min of training (the shorter run's end): DCGAN {ours:.2f} vs "
          f"WGAN-GP {theirs:.2f}, scores interpolated between evaluations"))
  if need("stable", "dcgan", "wgan_gp_adam"):
    gp, dcgan = _fall(c["wgan_gp_adam"]), _fall(c["dcgan"])
    out.append(section.claim(CLAIMS["stable"], gp < dcgan,
                             f"best minus final score: WGAN-GP {gp:.2f}, DCGAN {dcgan:.2f}"))
  return out


def _when(eval_every: int) -> str:
  if not eval_every:
    return "at the end of training"
  if eval_every == 1:
    return "after every generator step"
  return f"every {eval_every:,} generator steps"


def render(ctx: section.Context) -> section.Section:
  run = ctx.run(METHODS_EXPERIMENT)
  if not run.finished:
    return section.unfinished(run, CLAIMS.values())
  score = run.config["protocol"]["score"]
  found, rows = {}, []
  for method in run.config["protocol"]["methods"]:
    label, _, opt = cifar.METHODS[method]
    sub = run.subrun(method)
    if not sub.finished:
      rows.append((label, sub.status_line(), "", "", "", ""))
      continue
    c = found[method] = curves.eval_curve(sub.path, score)
    best = int(np.argmax(c["score"]))
    std = f" ± {c['score_std'][-1]:.2f}" if c["score_std"] is not None else ""
    hours = c["train_elapsed_s"][-1]
    rows.append((label, f"{opt['name']} {opt['learning_rate']:g}", f"{c['score'][-1]:.2f}{std}",
                 f"{c['score'][best]:.2f} @ {c['step'][best]:,}", f"{c['step'][-1]:,}",
                 f"{hours / 60:.1f}" if hours is not None else "n/a"))
  label = cifar.SCORE_LABELS.get(score, score)
  body = [tables.markdown_table(("method", "optimizer", f"final {score}", "best @ step",
                                 "generator steps", "training minutes"), rows).rstrip(), "",
          f"Score: {label}, {_when(run.config['train']['eval_every'])} on "
          f"{run.config['eval']['score_samples']:,} samples; training minutes exclude "
          "evaluation. The thesis plots the Inception score (no values printed; Inception "
          "weights are not available offline), so only the curves' shapes and order compare."
          if score == "classifier_score" else f"Score: {label}.", ""]
  figure = run.path / "figures" / "method_comparison.png"
  body += ([f"![score vs generator iterations and wall-clock]({ctx.link(figure)})"]
           if figure.is_file() else [f"(no figures/method_comparison.png in `{run.name}`)"])
  return section.Section("\n".join(body), _claims(found))
