"""What a report module returns (a Section with its Claims), and what it is given (a Context).

A report module (gen_models/reports/<artefact>.py) declares

    KEY = "table_2_1"                       the artefact's key (= the module name)
    TITLE = "Table 2.1: ..."                its heading in the report
    CHAPTER = 2
    EXPERIMENTS = ("experiments/vae_mnist.py", ...)   the experiments ('file[:variant]') it reads
    RECORD_FILES = ()                       optional: extra file patterns its records keep
                                            (e.g. "scores.npz"); see records.copy_records
    def render(ctx: Context) -> Section

and reads its runs only through `ctx` (records.Run) and the run directories' owners.
"""

import dataclasses
import os
import pathlib
from typing import Optional

from gen_models.reports import records

HOLDS, DOES_NOT_HOLD, NOT_RUN = "holds", "does not hold", "not run"


@dataclasses.dataclass(frozen=True)
class Claim:
  """A claim of the thesis about an artefact and our verdict on it.

  text: the claim, e.g. 'PixelVAE < PixelCNN in test NLL (Table 2.1)'; verdict: HOLDS,
  DOES_NOT_HOLD or NOT_RUN; evidence: the numbers behind the verdict, or why it was not run
  (e.g. 'needs 64x64 ImageNet, not available offline')."""
  text: str
  verdict: str
  evidence: str

  def line(self) -> str:
    return f"- {self.text}: **{self.verdict}** ({self.evidence})"


def claim(text: str, holds: Optional[bool], evidence: str) -> Claim:
  """A Claim from a computed truth value; `holds=None` means not run, `evidence` says why."""
  verdict = NOT_RUN if holds is None else (HOLDS if holds else DOES_NOT_HOLD)
  return Claim(text, verdict, evidence)


def not_run(text: str, why: str) -> Claim:
  return Claim(text, NOT_RUN, why)


def not_run_all(texts, why: str) -> list:
  return [not_run(text, why) for text in texts]


@dataclasses.dataclass
class Section:
  """A rendered artefact: markdown body (tables, figure links, our numbers beside the
  thesis') and its claims with verdicts."""
  body: str
  claims: list


def unfinished(run: records.Run, claim_texts) -> Section:
  """The section of an artefact whose run has no numbers yet: its status, each claim not run."""
  why = f"`{run.experiment}`: {run.status_line()}"
  return Section(f"Our run {why}.\n", not_run_all(claim_texts, why))


class Context:
  """What a report module sees: its runs (records.Run), where to write figures, how to link
  them from the report."""

  def __init__(self, key: str, runs: list, figure_dir: pathlib.Path, report_dir: pathlib.Path,
               figures_to=None):
    """figure_dir: where the report's figures live (its links point there); figures_to: where
    to write them instead, when the report is rendered only to be compared (default:
    figure_dir)."""
    self.key = key
    self._runs = list(runs)
    self.figure_dir = pathlib.Path(figure_dir)
    self.report_dir = pathlib.Path(report_dir)
    self.figures_to = pathlib.Path(figures_to) if figures_to else self.figure_dir

  @property
  def all_runs(self) -> list:
    """Every run of this artefact, in the order the thesis config lists them."""
    return list(self._runs)

  def runs_of(self, experiment: str) -> list:
    """The runs of one experiment ('file[:variant]'), the thesis' own setting (no note) first;
    an experiment without a variant also matches its default ':'."""
    def same(a, b):
      return a.rstrip(":") == b.rstrip(":")
    found = [r for r in self._runs if same(r.experiment, experiment)]
    return sorted(found, key=lambda r: r.note != "")

  def run(self, experiment: str, note: str = "") -> records.Run:
    """The run of `experiment` with `note` ('' = the thesis' own setting). A run the tree does
    not hold comes back with status NOT_RUN (its path does not exist)."""
    for r in self.runs_of(experiment):
      if r.note == note:
        return r
    return records.Run(name=experiment, experiment=experiment, note=note,
                       path=pathlib.Path(os.devnull) / "absent")

  def figure(self, name: str) -> tuple[pathlib.Path, str]:
    """(path to save a PNG at, its link relative to the report) for a figure of this section."""
    written = self.figures_to / self.key / name
    written.parent.mkdir(parents=True, exist_ok=True)
    return written, self.link(self.figure_dir / self.key / name)

  def link(self, path) -> str:
    """A file's link relative to the report (figures of run records are linked in place)."""
    return pathlib.Path(os.path.relpath(pathlib.Path(path).resolve(),
                                        self.report_dir.resolve())).as_posix()
