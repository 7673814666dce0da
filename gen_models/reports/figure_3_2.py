"""Figure 3.2 (thesis section 3.5.1): the architecture zoo, every architecture trained with every
objective; the samples figure of the protocol (protocols/zoo.py) and a table of the offline
classifier score / classifier Fréchet distance of each cell, diverged cells marked, with the
section's claim judged by a stated criterion."""

from gen_models.plotting import tables
from gen_models.presets import gan_objectives, gan_zoo
from gen_models.protocols import zoo
from gen_models.reports import records, section

KEY = "figure_3_2"
TITLE = "Figure 3.2: the architecture zoo"
CHAPTER = 3
ZOO = "experiments/gan_architecture_zoo.py"
EXPERIMENTS = (ZOO,)

# Our criterion of "trains" (the thesis judges samples by eye): a cell trains when it did not
# diverge and its classifier score's gain over 1 (the score of samples that carry no class
# evidence) is at least this fraction of the best gain among the objectives on that
# architecture.
TRAINED_FRACTION = 0.5
CLAIM = ("Only WGAN-GP trains every architecture; each other objective fails on some "
         "(section 3.5.1, Figure 3.2)")


def trained(score: float, row_best: float) -> bool:
  """Our criterion (TRAINED_FRACTION) for a cell that did not diverge: some gain over 1, and
  at least TRAINED_FRACTION of the row's best gain."""
  return score > 1.0 and score - 1.0 >= TRAINED_FRACTION * (row_best - 1.0)


def _cell(sub: records.Run):
  """-> (table text, classifier score or None, diverged?)."""
  if sub.status == records.DIVERGED:
    return "**diverged**", None, True
  if not sub.finished:
    return sub.status_line(), None, False
  res = sub.results
  if "classifier_score" not in res:
    return "not computed", None, False
  std = res.get("classifier_score_std")
  distance = res.get("classifier_frechet_distance")
  text = (f"{res['classifier_score']:.2f}" + (f" ± {std:.2f}" if std is not None else "")
          + (f" / {distance:.1f}" if distance is not None else ""))
  return text, float(res["classifier_score"]), False


def render(ctx: section.Context) -> section.Section:
  run = ctx.run(ZOO)
  if not run.finished:
    return section.unfinished(run, (CLAIM,))
  archs = list(run.config["protocol"]["architectures"])
  objectives = list(run.config["protocol"]["objectives"])
  cells = {(a, o): _cell(run.subrun(zoo.cell_name(o, a))) for a in archs for o in objectives}
  verdicts = {}  # (architecture, objective) -> trains?
  for a in archs:
    scores = [cells[(a, o)][1] for o in objectives if cells[(a, o)][1] is not None]
    for o in objectives:
      text, score, diverged = cells[(a, o)]
      if diverged:
        verdicts[(a, o)] = False
      elif score is not None:
        verdicts[(a, o)] = trained(score, max(scores))
  rows = [(gan_zoo.ARCHITECTURE_LABELS[a],
           *(cells[(a, o)][0] + ("" if (a, o) not in verdicts else
                                 " ✓" if verdicts[(a, o)] else " ✗") for o in objectives))
          for a in archs]
  steps = sorted({sub.results["step"] for a in archs for o in objectives
                  for sub in [run.subrun(zoo.cell_name(o, a))] if sub.finished})
  size = run.config["protocol"]["image_size"]
  body = [tables.markdown_table(("architecture", *(gan_objectives.LABELS[o] for o in objectives)),
                                rows).rstrip(), "",
          "Each cell: this project's offline classifier score ± its std over 10 splits / "
          "classifier Fréchet distance to the training set, of the final samples (our CIFAR-10 "
          "classifier: not the Inception score or FID); **diverged**: training hit a non-finite "
          f"loss. ✓ / ✗: trains / fails by our criterion: no divergence and a score gain over 1 "
          f"that is positive and at least {TRAINED_FRACTION:g} x the best gain on that "
          "architecture. Data: "
          f"{run.config['data']['name']} at {size}x{size}, "
          f"{', '.join(f'{s:,}' for s in steps) or 'no'} generator steps per cell. The thesis: "
          "LSUN bedrooms at 64x64 (not available offline), 200k steps, samples only (no numbers).",
          ""]
  figure = run.path / "figures" / "architecture_zoo.png"
  body += ([f"![architecture zoo samples]({ctx.link(figure)})"] if figure.is_file()
           else [f"(no figures/architecture_zoo.png in `{run.name}`'s record)"])
  return section.Section("\n".join(body), [_claim(verdicts, archs, objectives)])


def _claim(verdicts: dict, archs, objectives):
  missing = [(a, o) for a in archs for o in objectives if (a, o) not in verdicts]
  if missing:
    return section.not_run(CLAIM, "cells without a score or divergence: " + ", ".join(
        zoo.cell_name(o, a) for a, o in missing))
  others = [o for o in objectives if o != "wgan_gp"]
  if "wgan_gp" not in objectives or not others:
    return section.not_run(CLAIM, "needs WGAN-GP and at least one other objective")
  gp_all = all(verdicts[(a, "wgan_gp")] for a in archs)
  failures = {o: [a for a in archs if not verdicts[(a, o)]] for o in others}
  evidence = (f"WGAN-GP trains {sum(verdicts[(a, 'wgan_gp')] for a in archs)}/{len(archs)} "
              "architectures; " + "; ".join(
                  f"{gan_objectives.LABELS[o]} fails on {len(f)}/{len(archs)}"
                  for o, f in failures.items()) + " (criterion under the table)")
  return section.claim(CLAIM, gp_all and all(failures.values()), evidence)
