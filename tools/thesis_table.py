"""Regenerates a thesis table side by side with our runs:

  python tools/thesis_table.py --table=2.1 --run=vae=DIR --run=pixelcnn=DIR ... \
      [--notes=FILE] --out=results/table_2_1.md
  python tools/thesis_table.py --table=4.1 --run=vae=DIR --run=dcgan=DIR ... \
      --figure=results/table_4_1.png --out=results/table_4_1.md

Table 2.1 takes one run directory per Table 2.1 model (experiments/<model>_mnist.py); Tables
4.1 and 4.2 one protocol run directory per variant of experiments/ood_mnist.py and
experiments/ood_cifar10.py. Models without a --run are listed as not run. --notes appends a
hand-written paragraph (budgets, caveats) after the generated table."""

import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # runnable from a checkout

from absl import app, flags  # noqa: E402

_TABLE = flags.DEFINE_enum("table", None, ["2.1", "4.1", "4.2"], "Which thesis table.")
_RUNS = flags.DEFINE_multi_string("run", [], "MODEL=RUN_DIRECTORY, e.g. vae=runs/vae_mnist.")
_OUT = flags.DEFINE_string("out", None, "Markdown file to write.")
_NOTES = flags.DEFINE_string("notes", "", "Markdown file appended after the table.")
_FIGURE = flags.DEFINE_string("figure", "", "Tables 4.x: also plot AUPR per class to this PNG "
                              "(linked from the markdown).")
flags.mark_flags_as_required(["table", "out"])


def main(argv):
  del argv
  from gen_models.plotting import thesis_tables
  runs = {}
  for item in _RUNS.value:
    key, sep, workdir = item.partition("=")
    if not sep:
      sys.exit(f"error: --run={item!r} is not MODEL=RUN_DIRECTORY")
    runs[key] = workdir
  if _FIGURE.value and _TABLE.value == "2.1":
    sys.exit("error: --figure is for Tables 4.1 and 4.2")
  try:
    if _TABLE.value == "2.1":
      text = thesis_tables.table_2_1(runs)
    else:
      link = ""
      if _FIGURE.value:
        figure = thesis_tables.ood_table_figure(_TABLE.value, runs, _FIGURE.value)
        link = os.path.relpath(figure, pathlib.Path(_OUT.value).parent)
      text = thesis_tables.ood_table(_TABLE.value, runs, figure=link)
  except (ValueError, FileNotFoundError) as e:
    sys.exit(f"error: {e}")
  if _NOTES.value:
    text += "\n" + pathlib.Path(_NOTES.value).read_text()
  pathlib.Path(_OUT.value).write_text(text)
  print(_OUT.value)


if __name__ == "__main__":
  app.run(main)
