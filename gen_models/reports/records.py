"""Run records: the run directories a report reads, with or without their checkpoints.

A run record is a finished run directory (training/rundir.py's layout) without `checkpoints/`
and `tensorboard/`: config.json, provenance.json, metrics.jsonl, results.json, figures/*.png,
eval/*.json, a protocol's table.md and sub-run directories. Everything a report shows comes
from these files, read through their owners (training/rundir.py, training/metrics.py,
evaluation/scores_file.py, protocols/*).

`copy_records(src, dst)` copies a tree of run directories as records (the documented way to
commit the evidence behind a report: `python launch/report.py --workdir=W --records_to=DIR`).
"""

import dataclasses
import fnmatch
import functools
import json
import os
import pathlib
import shlex
import shutil
from typing import Optional

import ml_collections

from gen_models.training import metrics as metrics_lib
from gen_models.training import rundir

# Never part of a record: they restore training, not evidence.
EXCLUDED_DIRS = ("checkpoints", "tensorboard", "slurm")
# Files a record keeps by default; score arrays (*.npz) only where a report needs them (a
# report module's RECORD_FILES).
KEPT_FILES = ("*.json", "*.jsonl", "*.md", "*.png", "*.txt")
NOT_KEPT = ("*.tmp", "launcher.log")

# What describes a test-set evaluation besides its test_* numbers: replaced with them.
TEST_EVALUATION_KEYS = ("num_test_examples", "iwae_samples", "eval_split", "eval_examples_per_s")


FINISHED, NOT_FINISHED, NOT_RUN, DIVERGED = "finished", "not finished", "not run", "diverged"


@dataclasses.dataclass(frozen=True)
class Budget:
  """What a run (all its sub-runs) cost. `steps`: the distinct step counts its training runs
  reached; `trainings`: how many there were; `core_hours`: process CPU time summed over every
  process of the run (launcher and sub-runs); `device_hours`: wall time x devices summed over
  the trainings (on CPU, cores are the devices' share: see `core_hours`)."""
  steps: tuple
  trainings: int
  devices: str
  wall_s: float
  train_s: float
  core_hours: float
  device_hours: float
  time_budget_s: float = 0.0  # train.time_budget_s (0: none): a run stopped by its clock


  def cell(self) -> str:
    """One line for a table cell, e.g. '5,000 steps x 10 trainings, 1 x cpu, 41.2 min wall,
    1.32 core-hours'."""
    if not self.steps:
      steps = "no training"
    elif len(self.steps) == 1:
      steps = f"{self.steps[0]:,} steps"
    else:
      steps = f"{min(self.steps):,}-{max(self.steps):,} steps"
    if self.trainings > 1:
      steps += f" x {self.trainings} trainings"
    if self.time_budget_s:
      steps += f" (training budget {_minutes(self.time_budget_s)} each)"
    return (f"{steps}, {self.devices}, {_minutes(self.wall_s)} wall, "
            f"{self.core_hours:.2f} core-hours")


def _time_budget_s(config: dict) -> float:
  """train.time_budget_s of a config.json (0 for configs from before the key existed)."""
  train = config["train"] if "train" in config else {}
  return float(train["time_budget_s"] or 0.0) if "time_budget_s" in train else 0.0


def _minutes(seconds: float) -> str:
  return f"{seconds / 3600:.2f} h" if seconds >= 5400 else f"{seconds / 60:.1f} min"


@dataclasses.dataclass
class Run:
  """One run (or protocol) record of a thesis artefact.

  name: the run's id in its artefact (`experiments/thesis.py`), e.g. 'vae' or 'pixelvae_1layer';
  experiment: 'experiments/<file>.py[:variant]' it ran; note: '' for the thesis' own setting
  of that experiment, else what this run changes (a column label, e.g. '1 PixelCNN layer');
  overrides: ((dotted key, value), ...) applied to the experiment's config; path: its directory
  (it may not exist: then the run was not started).
  """
  name: str
  experiment: str
  path: pathlib.Path
  note: str = ""
  overrides: tuple = ()
  thesis_command: str = ""  # the thesis launch this run belongs to, if any
  smoke: bool = False  # a thesis smoke run: the experiment's config shrunk (presets/smoke.py)

  # ---- status -------------------------------------------------------------------------------
  @property
  def exists(self) -> bool:
    return (self.path / "config.json").is_file() or (self.path / "provenance.json").is_file()

  @functools.cached_property
  def config(self) -> dict:
    return rundir.read_json(self.path / "config.json", default={}) or {}

  @functools.cached_property
  def provenance(self) -> dict:
    return rundir.read_json(self.path / "provenance.json", default={}) or {}

  @property
  def is_protocol(self) -> bool:
    return "protocol" in self.config or "sweep" in self.config

  @functools.cached_property
  def status(self) -> str:
    if not self.exists:
      return NOT_RUN
    if (self.path / "diverged.json").is_file():
      return DIVERGED
    if self.is_protocol:
      segments = self.provenance.get("segments") or [{}]
      done = (self.path / "results.json").is_file() and segments[-1].get("finished")
      return FINISHED if done else NOT_FINISHED
    if "train" not in self.config:
      return NOT_FINISHED
    train = ml_collections.ConfigDict(self.config["train"])
    return FINISHED if rundir.finished_results(self.path, train) is not None else NOT_FINISHED

  @property
  def finished(self) -> bool:
    return self.status == FINISHED

  def status_line(self) -> str:
    """Why there are no numbers: 'not run', 'not finished (running or interrupted)', ..."""
    if self.status == NOT_FINISHED:
      return "not finished (running, or interrupted: relaunch the same command)"
    if self.status == DIVERGED:
      return "diverged: " + str((rundir.read_json(self.path / "diverged.json") or {}).get("error", ""))
    return self.status

  # ---- contents -----------------------------------------------------------------------------
  @functools.cached_property
  def results(self) -> dict:
    """results.json of a finished run; a run that has not finished is an error naming it."""
    if not self.finished:
      raise RecordError(f"{self.path}: {self.status_line()}")
    return rundir.read_json(self.path / "results.json")

  def metrics(self) -> list[dict]:
    """metrics.jsonl rows (training/metrics.py's reader)."""
    return metrics_lib.read_metrics(self.path) if (self.path / "metrics.jsonl").is_file() else []

  def evaluated_results(self) -> tuple[dict, "dict | None"]:
    """(results, evaluation) of a finished run: results.json updated with the numbers of
    `eval/<final step>.json` (a launch/evaluate.py result of the final checkpoint), and that
    evaluation; (results.json, None) when the record has none. When the evaluation has test
    numbers, all of results.json's test numbers go (none of one evaluation is mixed with the
    other's); one of other splits only (e.g. `train_likelihood`) adds its numbers."""
    results = self.results
    path = self.path / "eval" / f"{results['step']}.json"
    if not path.is_file():
      return results, None
    evaluation = rundir.read_json(path)
    if evaluation.get("step") != results["step"]:
      raise RecordError(f"{path} evaluated step {evaluation.get('step')}, but the run "
                        f"finished at step {results['step']}")
    if any(k.startswith("test_") for k in evaluation):
      results = {k: v for k, v in results.items()
                 if not k.startswith("test_") and k not in TEST_EVALUATION_KEYS}
    merged = {**results,
              **{k: v for k, v in evaluation.items() if k not in ("step", "overrides")}}
    return merged, evaluation

  def file(self, relative: str) -> pathlib.Path:
    """A file of the record; missing is an error naming the file."""
    path = self.path / relative
    if not path.exists():
      raise RecordError(f"{path} is missing from the run record")
    return path

  def subrun(self, name: str) -> "Run":
    return Run(name=f"{self.name}/{name}", experiment=self.experiment, path=self.path / name,
               note=self.note, thesis_command=self.thesis_command, smoke=self.smoke)

  def trainings(self) -> list["Run"]:
    """The runs below this one that trained (itself, for a single run)."""
    if not self.is_protocol:
      return [self] if self.exists else []
    found = []
    for child in sorted(p for p in self.path.iterdir() if p.is_dir()):
      sub = self.subrun(child.name)
      if sub.exists:
        found += sub.trainings()
    return found

  # ---- cost and provenance ------------------------------------------------------------------
  def budget(self) -> Budget:
    trainings = self.trainings()
    steps, train_s, device_s, cpu_s = set(), 0.0, 0.0, 0.0
    devices, time_budgets = set(), set()
    for t in trainings:
      prov = t.provenance
      res = rundir.read_json(t.path / "results.json", default={}) or {}
      if "step" in res and res["step"]:
        steps.add(int(res["step"]))
      train_s += rundir.logged_train_elapsed(t.path)
      d = prov.get("devices") or {}
      if d:
        devices.add(f"{d['count']} x {d['platform']}")
        device_s += prov.get("wall_time_s", 0.0) * d["count"]
      cpu_s += prov.get("cpu_time_s", 0.0)
      time_budgets.add(_time_budget_s(t.config))
    wall = self.provenance.get("wall_time_s", 0.0)
    if self.is_protocol:  # the launcher's own process, and sub-runs trained elsewhere
      cpu_s += self.provenance.get("cpu_time_s", 0.0)
      wall = max(wall, max((t.provenance.get("wall_time_s", 0.0) for t in trainings),
                           default=0.0))
    return Budget(steps=tuple(sorted(steps)), trainings=len(trainings),
                  devices=", ".join(sorted(devices)) or "unknown devices", wall_s=wall,
                  train_s=train_s, core_hours=cpu_s / 3600, device_hours=device_s / 3600,
                  time_budget_s=max(time_budgets, default=0.0))

  def command(self) -> str:
    """The standalone command that reproduces this run (its experiment and overrides)."""
    parts = ["python", "launch/main.py", f"--config={self.experiment}", "--workdir=DIR"]
    parts += [f"--config.{key}={format_override(value)}" for key, value in self.overrides]
    text = " ".join(shlex.quote(p) if " " in p or "(" in p else p for p in parts)
    return text + (" (shrunk to smoke sizes first: gen_models/presets/smoke.py)"
                   if self.smoke else "")

  def provenance_lines(self) -> list[str]:
    """Markdown bullets: the command that reproduces the run, then its commit(s), devices and
    host CPU, XLA flags, wall time and core-hours (summed over all its processes)."""
    trainings = self.trainings()
    commits = sorted({(t.provenance.get("commit") or "unknown")[:12]
                      + (" (dirty tree)" if t.provenance.get("dirty") else "")
                      for t in trainings + [self]})
    flags = sorted({seg.get("xla_flags") or "(none)" for t in trainings + [self]
                    for seg in t.provenance.get("segments", [])})
    cpus = sorted({(t.provenance.get("devices") or {}).get("cpu", "") for t in trainings} - {""})
    budget = self.budget()
    lines = [f"- `{self.command()}`"]
    if not self.thesis_command and self.provenance.get("command"):
      lines.append(f"- launched as: `{self.provenance['command']}`")
    lines.append(f"- commit {', '.join(commits)}; {budget.devices}"
                 + (f" ({'; '.join(cpus)})" if cpus else "")
                 + f"; XLA flags: {' | '.join(f'`{f}`' if f != '(none)' else f for f in flags)}"
                 + f"; wall {_minutes(budget.wall_s)}, training {_minutes(budget.train_s)} "
                 f"summed over {budget.trainings} training(s); {budget.core_hours:.2f} "
                 f"core-hours (process CPU time, all processes)")
    return lines


def evaluate_command(evaluation: dict) -> str:
  """The launch/evaluate.py command that wrote an evaluation (its run directory as DIR)."""
  overrides = " ".join(shlex.quote(o) for o in evaluation.get("overrides") or [])
  return f"python launch/evaluate.py --workdir=DIR {overrides}".rstrip()


class RecordError(ValueError):
  """A run record that cannot give what a report asks of it."""


def format_override(value) -> str:
  """An override value as the command line takes it."""
  if isinstance(value, str):
    return value
  if isinstance(value, (list, tuple)):
    return "(" + ",".join(format_override(v) if not isinstance(v, str) else repr(v)
                          for v in value) + ("," if len(value) == 1 else "") + ")"
  return repr(value) if isinstance(value, float) else str(value)


def experiment_of_command(command: str) -> Optional[str]:
  """'experiments/X.py[:variant]' from a launch command's --config flag, if it has one."""
  try:
    words = shlex.split(command)
  except ValueError:
    words = command.split()
  for i, word in enumerate(words):
    if word.startswith("--config="):
      return word.split("=", 1)[1]
    if word == "--config" and i + 1 < len(words):
      return words[i + 1]
  return None


# ---- copying records ------------------------------------------------------------------------


def copy_records(src, dst, extra_files=()) -> list[pathlib.Path]:
  """Copies the records of every run directory below `src` into `dst` (same relative layout):
  KEPT_FILES and the `extra_files` patterns (e.g. 'scores.npz'), never checkpoints,
  TensorBoard files, SLURM logs or launcher logs. Files in `dst` that the new records do not
  have are left alone. Returns the files written."""
  src, dst = pathlib.Path(src), pathlib.Path(dst)
  patterns = KEPT_FILES + tuple(extra_files)
  written = []
  for root, dirs, files in os.walk(src):
    dirs[:] = sorted(d for d in dirs if d not in EXCLUDED_DIRS)
    for name in sorted(files):
      if any(fnmatch.fnmatch(name, p) for p in NOT_KEPT):
        continue
      if not any(fnmatch.fnmatch(name, p) for p in patterns):
        continue
      source = pathlib.Path(root) / name
      target = dst / source.relative_to(src)
      target.parent.mkdir(parents=True, exist_ok=True)
      shutil.copy2(source, target)
      written.append(target)
  return written


def is_run_dir(path: pathlib.Path) -> bool:
  return (path / "config.json").is_file() and (path / "provenance.json").is_file()


def read_config(path) -> dict:
  return json.loads((pathlib.Path(path) / "config.json").read_text())
