"""Regenerates Table 2.1 side by side with our runs: `python tools/table_2_1.py
--run=vae=DIR --run=pixelcnn=DIR ... [--notes=FILE] --out=results/table_2_1.md`.

Models without a --run are listed as not run. --notes appends a hand-written paragraph (budgets,
caveats) after the generated table."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # runnable from a checkout

from absl import app, flags  # noqa: E402

_RUNS = flags.DEFINE_multi_string("run", [], "MODEL=RUN_DIRECTORY, e.g. vae=runs/vae_mnist.")
_OUT = flags.DEFINE_string("out", "results/table_2_1.md", "Markdown file to write.")
_NOTES = flags.DEFINE_string("notes", "", "Markdown file appended after the table.")


def main(argv):
  del argv
  from gen_models.plotting import thesis_tables
  runs = {}
  for item in _RUNS.value:
    key, sep, workdir = item.partition("=")
    if not sep:
      sys.exit(f"error: --run={item!r} is not MODEL=RUN_DIRECTORY")
    runs[key] = workdir
  try:
    text = thesis_tables.table_2_1(runs)
  except (ValueError, FileNotFoundError) as e:
    sys.exit(f"error: {e}")
  if _NOTES.value:
    text += "\n" + pathlib.Path(_NOTES.value).read_text()
  pathlib.Path(_OUT.value).write_text(text)
  print(_OUT.value)


if __name__ == "__main__":
  app.run(main)
