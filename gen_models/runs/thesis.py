"""The thesis protocol (`experiments/thesis.py`): every artefact's experiments as sub-runs, one
report kept up to date.

Layout of a thesis run directory W:

    W/config.json, provenance.json, results.json   the thesis protocol
    W/REPORT.md, W/report_figures/                  the report (rebuilt after every sub-run)
    W/<artefact>/<run>/                             a single run, or a protocol whose own
    W/<artefact>/<run>/<sub-run>/                   sub-runs are flattened into the thesis'

Nested protocols (Table 4.1's ten held-out digits, the architecture zoo's cells...) are
flattened: each of their sub-runs is a thesis sub-run, so every core is busy, and the nested
protocol's reducer runs (into W/<artefact>/<run>/) as soon as its last sub-run finishes. Runs of
stage 0 (the CIFAR-10 classifier, whose export scores the GANs) finish before the rest start.
"""

import pathlib

import ml_collections

from gen_models.presets import smoke
from gen_models.protocols import PROTOCOLS, sweep
from gen_models.reports import report
from gen_models.runs import single
from gen_models.training import rundir

CLASSIFIER_EXPERIMENT = "experiments/cifar10_classifier.py"
CLASSIFIER_FILE = "classifier.npz"  # the export, inside the classifier run's directory


def _selected(config) -> dict:
  """{artefact: {run id: spec}} of the artefacts selected by protocol.artefacts, both in the
  table's order (protocol.order)."""
  runs = config.protocol.runs
  unknown = [a for a in config.protocol.artefacts if a not in runs]
  if unknown:
    raise single.ConfigError(f"protocol.artefacts names {unknown}, which this budget does not "
                             f"run; known: {', '.join(runs.keys())}")
  selected = {}
  for path in config.protocol.order:
    artefact, run_id = path.split("/")
    if artefact in config.protocol.artefacts:
      selected.setdefault(artefact, {})[run_id] = runs[artefact][run_id]
  return selected


def run_config(spec, budget: str) -> ml_collections.ConfigDict:
  """The config of one thesis run: its experiment's, shrunk under the smoke budget, with the
  budget's overrides."""
  config = sweep.load_experiment(spec.experiment)
  if budget == "smoke":
    config = smoke.shrink(config)
  config = ml_collections.ConfigDict(config.to_dict())  # unlocked
  try:
    sweep.apply_overrides(config, dict(spec.overrides))
  except ValueError as e:
    raise single.ConfigError(f"{spec.experiment}: {e}") from None
  return config


def _classifier_run(config, workdir) -> pathlib.Path | None:
  for artefact, specs in _selected(config).items():
    for run_id, spec in specs.items():
      if spec.experiment.rstrip(":") == CLASSIFIER_EXPERIMENT:
        return pathlib.Path(workdir) / artefact / run_id
  return None


def runs(config, workdir) -> list:
  """[(path relative to the thesis dir, config, spec)] of every selected run, in table order;
  the GAN runs score with the thesis' own classifier (in `workdir`) when the thesis trains one."""
  out = []
  classifier = _classifier_run(config, pathlib.Path(workdir).resolve())
  for artefact, specs in _selected(config).items():
    for run_id, spec in specs.items():
      sub = run_config(spec, config.protocol.budget)
      if classifier is not None and "eval" in sub and "classifier_path" in sub.eval:
        sub.eval.classifier_path = str(classifier / CLASSIFIER_FILE)
      if "job" not in sub:
        single.resolve_data_dir(sub)
      out.append((f"{artefact}/{run_id}", sub, spec))
  return out


def _nested_protocol(sub):
  if "sweep" in sub:
    return sweep.Sweep
  return PROTOCOLS[sub.protocol.name] if "protocol" in sub else None


class Thesis:
  """Every selected artefact's runs as sub-runs (nested protocols flattened), then the report."""

  record_divergence = True  # a diverged GAN is a result (the zoo records it), not a stop
  reduce_on_failure = True  # a failed sub-run is 'not run' in the report, which is still built

  needs_workdir = True  # subruns(config, workdir): the classifier's export lives in workdir

  @staticmethod
  def subruns(config, workdir):
    _TRAINED_THIS_LAUNCH.clear()  # runs.protocol.run lists the sub-runs once, at its start
    out = []
    for name, sub, _ in runs(config, workdir):
      protocol = _nested_protocol(sub)
      if protocol is None:
        out.append((name, sub))
        continue
      for leaf, leaf_config in protocol.subruns(sub):
        if "job" not in leaf_config:
          single.resolve_data_dir(leaf_config)
        out.append((f"{name}/{leaf}", leaf_config))
    return out

  @staticmethod
  def stage(config, name: str) -> int:
    artefact, run_id = name.split("/")[:2]
    return int(config.protocol.runs[artefact][run_id].stage)

  @staticmethod
  def before_stage(config, workdir, stage: int) -> None:
    """Before the runs that score with the thesis' classifier: its export, when the classifier
    finished (in this launch or an earlier one) and the export is not there yet."""
    classifier = _classifier_run(config, pathlib.Path(workdir))
    if stage > 0 and classifier is not None and not (classifier / CLASSIFIER_FILE).is_file() \
        and (classifier / "results.json").is_file():
      export_classifier(classifier)

  @staticmethod
  def on_subrun_done(config, workdir, name: str, results: dict) -> None:
    """After each sub-run: reduce a nested protocol whose sub-runs are all done, rebuild the
    report."""
    workdir = pathlib.Path(workdir)
    _TRAINED_THIS_LAUNCH.add(name)
    _reduce_finished_protocols(config, workdir, results)
    rebuild_report(workdir)

  @staticmethod
  def reduce(config, workdir, results):
    workdir = pathlib.Path(workdir)
    _reduce_finished_protocols(config, workdir, results)
    path, errors = rebuild_report(workdir)
    summary = {"report": str(path.name), "finished_subruns": len(results),
               "report_errors": dict(errors)}
    return summary

  @staticmethod
  def describe(config, workdir) -> list:
    """[(run path, trainings, estimated hours or None, experiment, overrides, stage)] for a dry
    run."""
    rows = []
    for name, sub, spec in runs(config, workdir):
      protocol = _nested_protocol(sub)
      leaves = len(protocol.subruns(sub)) if protocol is not None else 1
      rows.append((name, leaves, spec.hours, spec.experiment, tuple(spec.overrides),
                   int(spec.stage)))
    return rows


def export_classifier(run_dir: pathlib.Path) -> pathlib.Path:
  """The finished classifier run exported where the thesis' GAN runs look for it."""
  from gen_models.runs import classifier_export
  out = run_dir / CLASSIFIER_FILE
  if not out.is_file():
    classifier_export.export_classifier(run_dir, out)
    print(f"exported the CIFAR-10 classifier to {out}", flush=True)
  return out


# Sub-runs that finished in this process's launch (not kept from an earlier one).
_TRAINED_THIS_LAUNCH = set()


def _reduce_finished_protocols(config, workdir: pathlib.Path, results: dict) -> None:
  """Runs the reducer of every nested protocol whose sub-runs have all finished, when it has
  not run yet or one of them finished in this launch. A protocol reduced from kept records is
  left as it is: its sub-runs' records may lack the score files its reducer reads."""
  for name, sub, _ in runs(config, workdir):
    protocol = _nested_protocol(sub)
    if protocol is None:
      continue
    leaves = protocol.subruns(sub)
    names = [f"{name}/{leaf}" for leaf, _ in leaves]
    if not all(n in results for n in names):
      continue
    target = workdir / name
    if _reduced(target) and not _TRAINED_THIS_LAUNCH.intersection(names):
      continue
    rundir.write_config(target, sub)
    provenance = rundir.Provenance(target)
    summary = protocol.reduce(sub, target, {leaf: results[f"{name}/{leaf}"]
                                            for leaf, _ in leaves})
    rundir.write_json(target / "results.json", summary)
    provenance.update(finished=True, finished_subruns=len(leaves))
    print(f"{name}: reduced ({len(leaves)} sub-runs)", flush=True)


def _reduced(target: pathlib.Path) -> bool:
  """Whether a nested protocol's reducer ran to the end (results.json, provenance finished)."""
  segments = (rundir.read_json(target / "provenance.json", default={}) or {}).get("segments")
  return (target / "results.json").is_file() and bool(segments) and \
      bool(segments[-1].get("finished"))


_SECTIONS = {}  # the sections of the last build (this process rebuilds after every sub-run)


def rebuild_report(workdir: pathlib.Path):
  """REPORT.md of the thesis run; sections that fail to render say so (and are listed). Only
  the sections whose records changed since the last build are rendered again."""
  path, errors = report.build(workdir, cache=_SECTIONS)
  for key, error in errors:
    print(f"report: section {key} could not be rendered: {error}", flush=True)
  return path, errors

