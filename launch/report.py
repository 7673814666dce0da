"""(Re)builds the thesis report from run records:

  python launch/report.py --workdir=DIR [--out=FILE] [--notes_dir=NOTES]
      [--run='ARTEFACT:EXPERIMENT@NOTE=RUN_DIR' ...] [--records_to=RECORDS]

DIR: a thesis run (`experiments/thesis.py`), a protocol or single run, or any folder of run
directories; checkpoints and TensorBoard files are not needed. Writes DIR/REPORT.md (or FILE)
and its figures under report_figures/ next to it: every thesis artefact with our numbers beside
the thesis', budgets, provenance and a verdict on each claim; artefacts without runs say so.

--run adds a further run of an artefact's experiment as a column of its own, e.g.
  --run='table_4_1:experiments/ood_mnist.py:pixelvae@1 PixelCNN layer=runs/t41_ar1'
--notes_dir: hand-written readings, NOTES/<artefact>.md, included in each section (default:
the report's folder/notes).
--records_to=RECORDS copies DIR's run records (no checkpoints, TensorBoard files or logs; score
arrays only where a report needs them) into RECORDS and builds the report from the copy: the
way to commit the evidence behind a report (e.g. RECORDS = results/runs).
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # runnable from a checkout

from absl import app, flags  # noqa: E402

_WORKDIR = flags.DEFINE_string("workdir", None, "Tree of run records.", required=True)
_OUT = flags.DEFINE_string("out", "", "Markdown file to write (default: WORKDIR/REPORT.md).")
_NOTES = flags.DEFINE_string("notes_dir", "", "Folder of <artefact>.md notes (default: the "
                             "report's folder/notes).")
_RUNS = flags.DEFINE_multi_string("run", [], "ARTEFACT:EXPERIMENT@NOTE=RUN_DIR: a further "
                                  "column of an artefact.")
_RECORDS_TO = flags.DEFINE_string("records_to", "", "Copy the records here first and report "
                                  "from the copy.")


def _extra_runs(items):
  from gen_models.reports import report
  extras = []
  for item in items:
    spec, sep, path = item.rpartition("=")
    artefact, colon, rest = spec.partition(":")
    experiment, at, note = rest.partition("@")
    if not (sep and colon and at and note and path):
      sys.exit(f"error: --run={item!r} is not ARTEFACT:EXPERIMENT@NOTE=RUN_DIR")
    if artefact not in report.ARTEFACTS:
      sys.exit(f"error: --run={item!r}: unknown artefact {artefact!r}; known: "
               f"{', '.join(report.ARTEFACTS)}")
    extras.append(report.ExtraRun(artefact, experiment, note, pathlib.Path(path)))
  return extras


def main(argv):
  del argv
  from gen_models.reports import records, report
  workdir = pathlib.Path(_WORKDIR.value)
  if not workdir.is_dir():
    sys.exit(f"error: {workdir} is not a directory of run records")
  if _RECORDS_TO.value:
    target = pathlib.Path(_RECORDS_TO.value)
    patterns = sorted({p for key in report.ARTEFACTS
                       for p in getattr(report.module(key), "RECORD_FILES", ())})
    written = records.copy_records(workdir, target, patterns)
    size = sum(p.stat().st_size for p in written)
    print(f"copied {len(written)} record files ({size / 1e6:.1f} MB) to {target}")
    workdir = target
  try:
    path, errors = report.build(workdir, _OUT.value or None, _extra_runs(_RUNS.value),
                                _NOTES.value or None)
  except (FileNotFoundError, ValueError) as e:
    sys.exit(f"error: {e}")
  print(path)
  if errors:
    for key, error in errors:
      print(f"error: section {key} could not be rendered: {error}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
  app.run(main)
