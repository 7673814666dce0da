"""Tables 4.1 and 4.2 (leave-one-class-out OOD detection), shared by their report modules.

Each thesis model (a variant of experiments/ood_<dataset>.py) is one or more columns: its run
at the thesis' own setting, then every further run of it (a run with a note, e.g. 'VAE, 2-D
latent'). A column shows our AUPR (%) per held-out class of the score that stands for the
thesis' column (`reported_scores`), beside the thesis' value, and for likelihood models each
held-out class's sub-run test NLL with the mean NLL of the held-out class's and of the seen
classes' test images (the protocol's reducer stores that split in results.json). Further
tables: the scores beyond the thesis (complexity-corrected, likelihood ratio), the means of
AUPR / AUROC / FPR95 of every score, and how well each likelihood model trained.

Everything is read from the protocol run's results.json (protocols/ood.py's reducer) and its
sub-runs' results.json (named by `protocols.ood.subrun_name`); no score array is needed.
"""

import dataclasses
from typing import Callable, Optional

import numpy as np

from gen_models.plotting import tables
from gen_models.protocols import ood
from gen_models.reports import records, section

# The score that stands for the thesis' column, in order of preference: the tightest
# log-likelihood estimate the run has, else the discriminator output.
PRIMARY_SCORES = ("exact", "iwae", "elbo", "discriminator")
# A sub-run's results.json key of the test NLL behind each log-likelihood score.
NLL_KEYS = {"exact": "test_nll_exact", "iwae": "test_nll_iwae", "elbo": "test_nll_elbo"}
NOT_HELD_OUT = "not run"  # a class this run did not hold out (e.g. a smoke run's two classes)


def reported_scores(score_names) -> list[str]:
  """The scores a table reports: the primary one (the thesis' column), then its beyond-thesis
  variants `<primary>_complexity_corrected`, `<primary>_likelihood_ratio`."""
  primary = next((name for name in PRIMARY_SCORES if name in score_names), None)
  if primary is None:
    raise ValueError(f"none of the scores {list(score_names)} is one of {PRIMARY_SCORES}")
  return [primary] + [name for name in score_names if name.startswith(primary + "_")]


@dataclasses.dataclass
class Column:
  """One run of a thesis model. variant: the experiment's variant ('vae'); thesis_column: the
  thesis' name of the model ('VAE'); label: ours ('VAE' or 'VAE, 2-D latent')."""
  variant: str
  thesis_column: str
  label: str
  run: records.Run

  @property
  def finished(self) -> bool:
    return self.run.finished

  @property
  def results(self) -> dict:
    return self.run.results

  @property
  def scores(self) -> list[str]:
    return reported_scores(self.results["score_names"])

  @property
  def score(self) -> str:
    return self.scores[0]

  def has_class(self, label: str) -> bool:
    return label in self.results["per_class"]

  def aupr(self, label: str, score: Optional[str] = None) -> Optional[float]:
    """AUPR (fraction) of `score` (default: the primary one) with class `label` held out."""
    split = self.results["per_class"][label]
    return split["scores"].get(score or self.score, {}).get("aupr")

  def subrun(self, label: str) -> records.Run:
    """The sub-run that held out class `label` (the protocol's own sub-run name)."""
    config = self.run.config
    names = list(config["protocol"]["class_names"]) if "protocol" in config else []
    if label not in names:
      raise records.RecordError(f"{self.run.path}/config.json: protocol.class_names has no "
                                f"class {label!r}")
    return self.run.subrun(ood.subrun_name(names.index(label)))

  def nll(self, label: str):
    """(test NLL over the full test set, held-out class mean, seen classes' mean) in nats of
    the primary score; held-out / seen are None where results.json has no split; None for a
    non-likelihood score."""
    key = NLL_KEYS.get(self.score)
    if key is None:
      return None
    sub = self.subrun(label)
    if key not in sub.results:
      raise records.RecordError(f"{sub.path}/results.json has no {key}")
    split = self.results["per_class"][label].get("nll", {}).get(self.score)
    return (float(sub.results[key]), *((split["held_out"], split["seen"]) if split
                                       else (None, None)))


def columns(ctx: section.Context, spec: dict) -> list[Column]:
  """Every run of every model of the table (`thesis_numbers.TABLE_4_x`), the thesis' own
  setting first; a model without a run gets one column whose run is 'not run'."""
  out = []
  for variant, (thesis_column, *_) in spec["models"].items():
    runs = ctx.runs_of(f"{spec['experiment']}:{variant}")
    runs = runs or [ctx.run(f"{spec['experiment']}:{variant}")]
    labels = [f"{thesis_column}, {r.note}" if r.note else thesis_column for r in runs]
    for run, label in zip(runs, labels):
      if labels.count(label) > 1:  # two runs of the same setting (a folder of records)
        label += f" ({run.name})"
      out.append(Column(variant, thesis_column, label, run))
  return out


# ---- cells ------------------------------------------------------------------------------------


def _aupr_cells(column: Column, score: str, classes) -> list[str]:
  cells = [tables.percent(column.aupr(c, score)) if column.has_class(c) else NOT_HELD_OUT
           for c in classes]
  return cells + [tables.percent(column.results[stat]["scores"].get(score, {}).get("aupr"))
                  for stat in ("mean", "median")]


def _nll_cells(column: Column, classes) -> list[str]:
  """Per class 'NLL (held-out / seen)' in nats, then the mean and median over the classes the
  run held out; the split only where every one of them has it."""
  rows = {c: column.nll(c) for c in classes if column.has_class(c)}

  def cell(all_, held_out, seen):
    return f"{all_:.2f}" + ("" if held_out is None else f" ({held_out:.1f} / {seen:.1f})")

  cells = [cell(*rows[c]) if c in rows else NOT_HELD_OUT for c in classes]
  table = np.array([r for r in rows.values()], dtype=float)  # None -> nan
  for fn in (np.mean, np.median):
    values = fn(table, axis=0)
    cells.append(cell(values[0], *((None, None) if np.isnan(values[1:]).any() else values[1:])))
  return cells


def _thesis_cells(spec, variant) -> list[str]:
  _, values, mean, median = spec["models"][variant]
  return [f"{v:.2f}" for v in (*values, mean, median)]


# ---- summaries and claims ---------------------------------------------------------------------


def summary(column: Column) -> dict:
  """AUPR (%) of a finished column's primary score: mean, median, per class; mean skew (%)."""
  r = column.results
  return dict(mean=100 * r["mean"]["scores"][column.score]["aupr"],
              median=100 * r["median"]["scores"][column.score]["aupr"],
              per_class={c: 100 * column.aupr(c) for c in r["per_class"]},
              skew=100 * r["mean"]["skew"])


def thesis_summaries(spec) -> dict:
  """{variant: summary} of the thesis' own numbers (the same shape as `summary`)."""
  return {variant: dict(mean=mean, median=median,
                        per_class=dict(zip(spec["classes"], values)),
                        skew=float(np.mean(spec["skew"])))
          for variant, (_, values, mean, median) in spec["models"].items()}


@dataclasses.dataclass(frozen=True)
class ClaimSpec:
  """A claim of the thesis over the models' AUPR summaries. needs: the variants it compares;
  classes: the held-out classes it reads; test(summaries) -> (holds, evidence)."""
  text: str
  needs: tuple
  test: Callable
  classes: tuple = ()


def evaluate_claims(specs, cols: list[Column], thesis: dict) -> list[section.Claim]:
  """Each claim's verdict on our thesis-setting runs, with the thesis' own verdict beside it;
  'not run' (with the reason) when a run it needs did not finish or did not hold out a class
  it reads."""
  ours, status = {}, {}
  for col in cols:
    if col.run.note == "" and col.variant not in ours:
      status[col.variant] = f"{col.label}: {col.run.status_line()}"
      if col.finished:
        ours[col.variant] = summary(col)
  claims = []
  for spec in specs:
    missing = [status.get(v, v + ": not run") for v in spec.needs if v not in ours]
    if missing:
      claims.append(section.not_run(spec.text, "; ".join(missing)))
      continue
    lacking = [c for c in spec.classes if any(c not in ours[v]["per_class"] for v in spec.needs)]
    if lacking:
      claims.append(section.not_run(spec.text, f"class(es) {', '.join(lacking)} not held out "
                                    f"in these runs"))
      continue
    holds, evidence = spec.test(ours)
    thesis_holds, thesis_evidence = spec.test(thesis)
    claims.append(section.claim(spec.text, holds, f"ours: {evidence}; thesis: "
                                f"{thesis_evidence}" + ("" if thesis_holds else
                                                        " (does not hold in the thesis)")))
  return claims


def values_text(summaries, variants, key, names) -> str:
  """'VAE 33.92, PixCNN 20.10' of summaries[v][key] (a number, or per_class[key])."""
  def value(v):
    s = summaries[v]
    return s[key] if key in s else s["per_class"][key]
  return ", ".join(f"{names[v]} {value(v):.2f}" for v in variants)


# ---- the section ------------------------------------------------------------------------------


def render(ctx: section.Context, spec: dict, claim_specs) -> section.Section:
  """The section of Table 4.1 or 4.2 (`spec`: thesis_numbers.TABLE_4_x)."""
  cols = columns(ctx, spec)
  done = [c for c in cols if c.finished]
  classes = list(spec["classes"])
  row_labels = classes + ["mean", "median"]
  head, cells = ["held-out class", "skew (thesis)"], [[f"{s:g}" for s in spec["skew"]] + ["", ""]]
  extra_head, extra_cells, means, trained, notes = ["held-out class"], [], [], [], []
  for variant in spec["models"]:
    head.append(f"{spec['models'][variant][0]} thesis")
    cells.append(_thesis_cells(spec, variant))
    for col in (c for c in cols if c.variant == variant):
      if not col.finished:
        head.append(f"{col.label} ours")
        cells.append([col.run.status] * len(row_labels))
        notes.append(f"- {col.label}: {col.run.status_line()}")
        continue
      score, *beyond = col.scores
      head.append(f"{col.label} ours ({score})")
      cells.append(_aupr_cells(col, score, classes))
      held = [c for c in classes if col.has_class(c)]
      if len(held) < len(classes):
        notes.append(f"- {col.label}: held out {len(held)} of {len(classes)} classes "
                     f"({', '.join(held)}); its mean and median are over those")
      if score in NLL_KEYS:
        head.append(f"{col.label} test NLL, nats (held-out / seen)")
        cells.append(_nll_cells(col, classes))
      trained.append(_trained_line(col, held))
      for name in beyond:
        extra_head.append(f"{col.label}: {name}")
        extra_cells.append(_aupr_cells(col, name, classes))
      for name in (score, *beyond):
        means.append((col.label, name, *(tables.percent(col.results["mean"]["scores"][name][m])
                                          for m in ("aupr", "auroc", "fpr95"))))
  body = ["OOD = the held-out class, scored as the positive class by the negated normality "
          "score; AUPR is average precision (BUILD_NOTES.md). Our column reports the tightest "
          "log-likelihood a model has (exact, else IWAE, else ELBO) or the discriminator's "
          "output; the test NLL column is each held-out class's sub-run's test NLL, with the "
          "mean NLL of the held-out class's test images and of the seen classes' ones in "
          "brackets. How many test images each run scored: below the tables.", "",
          tables.markdown_table(head, list(zip(row_labels, *cells)))]
  if notes:
    body += [*notes, ""]
  if done:
    body += _figure_lines(ctx, spec, done)
  if extra_cells:
    body += ["**Scores beyond the thesis** (AUPR, %): `_complexity_corrected` is the "
             "log2-likelihood plus the PNG code length in bits (Serra et al. 2020); "
             "`_likelihood_ratio` the log-likelihood minus that of a local background model "
             "fitted to the same training images (gen_models/evaluation/background.py).", "",
             tables.markdown_table(extra_head, list(zip(row_labels, *extra_cells)))]
  if means:
    body += ["**Means over held-out classes, every metric (%)** (per-class AUROC and FPR at "
             "95% TPR: each run's table.md)", "",
             tables.markdown_table(("model", "score", "AUPR", "AUROC", "FPR95"), means)]
  if trained:
    body += ["**Evaluation, and how well the likelihood models trained** (mean test NLL of the "
             "sub-runs; the test set includes the held-out class)", "", *trained, ""]
  claims = evaluate_claims(claim_specs, cols, thesis_summaries(spec))
  return section.Section("\n".join(body), claims)


def _trained_line(col: Column, held) -> str:
  """How many test images each held-out class's sub-run scored and, for a likelihood model,
  the mean test NLL (nats, bits/dim) of its sub-runs."""
  counts = sorted({col.results["per_class"][c]["num_test"] for c in held})
  text = (f"- **{col.label}**: {' to '.join(f'{n:,}' for n in counts)} test images scored per "
          f"held-out class")
  key = NLL_KEYS.get(col.score)
  if key is None:
    return text
  subs = [col.subrun(c).results for c in held]
  nll = float(np.mean([r[key] for r in subs]))
  bpd_key = key.replace("nll", "bpd")
  bpd = (f" ({np.mean([r[bpd_key] for r in subs]):.3f} bits/dim)"
         if all(bpd_key in r for r in subs) else "")
  return text + f"; test {col.score} NLL {nll:.2f} nats{bpd}, mean of {len(subs)} sub-runs"


def _figure_lines(ctx, spec, done: list[Column]) -> list[str]:
  """One panel per finished column: AUPR per held-out class of the thesis, of our primary score
  and of its beyond-thesis variants, the skew marked; links to each run's PR and ROC curves."""
  from gen_models.plotting import ood as ood_plots  # late: matplotlib only when plotting
  from gen_models.plotting.toy import save
  fig, axes = ood_plots.plt.subplots(len(done), 1, squeeze=False, figsize=(9, 2.8 * len(done)))
  for ax, col in zip(axes[:, 0], done):
    held = [c for c in spec["classes"] if col.has_class(c)]
    thesis = dict(zip(spec["classes"], spec["models"][col.variant][1]))
    bars = {f"thesis ({col.thesis_column})": [thesis[c] / 100 for c in held]}
    for name in col.scores:
      bars[f"ours: {name}"] = [col.aupr(c, name) for c in held]
    ood_plots.aupr_per_class(ax, held, bars,
                             [col.results["per_class"][c]["skew"] for c in held])
    ax.set_title(col.label, fontsize=9)
  path, link = ctx.figure("aupr_per_class.png")
  save(fig, path)
  lines = [f"![AUPR per held-out class, thesis and ours]({link})", ""]
  curves = []
  for col in done:
    found = [(name, col.run.path / "figures" / f"{name}_curves.png") for name in ("pr", "roc")]
    found = [f"[{name.upper()}]({ctx.link(p)})" for name, p in found if p.is_file()]
    if found:
      curves.append(f"{col.label}: {', '.join(found)}")
  if curves:
    lines += ["Curves per held-out class: " + "; ".join(curves) + ".", ""]
  return lines
