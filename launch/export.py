"""Exports a finished run directory to results/: `python launch/export.py --workdir=DIR
--name=NAME [--title=...]` writes results/NAME.md (table, figures, provenance) and
results/NAME/*.png."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # runnable from a checkout

from absl import app, flags  # noqa: E402

_WORKDIR = flags.DEFINE_string("workdir", None, "Finished run directory.", required=True)
_NAME = flags.DEFINE_string("name", None, "Report name: results/NAME.md.", required=True)
_TITLE = flags.DEFINE_string("title", "", "Report title (default: NAME).")
_RESULTS = flags.DEFINE_string("results_dir", "results", "Where reports go.")


def main(argv):
  del argv
  from gen_models.plotting import report
  try:
    path = report.export(_WORKDIR.value, _RESULTS.value, _NAME.value, _TITLE.value)
  except FileNotFoundError as e:
    print(f"error: {e}", file=sys.stderr)
    sys.exit(2)
  print(path)


if __name__ == "__main__":
  app.run(main)
