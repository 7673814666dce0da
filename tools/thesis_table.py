"""Regenerates a thesis table side by side with our runs:

  python tools/thesis_table.py --table=2.1 --run=vae=DIR --run=pixelcnn=DIR ... \
      [--eval=vae=DIR/eval/STEP.json ...] [--figure=PNG] [--notes=FILE] --out=results/table_2_1.md
  python tools/thesis_table.py --table=4.1 --run=vae=DIR --run=dcgan=DIR ... \
      --figure=results/table_4_1.png --out=results/table_4_1.md

Table 2.1 takes one run directory per Table 2.1 model (experiments/<model>_mnist.py); Tables
4.1 and 4.2 one protocol run directory per variant of experiments/ood_mnist.py and
experiments/ood_cifar10.py; a further run of a variant that differs by its overrides is
--run='VARIANT@NOTE=DIR' (e.g. --run='vae@2-D latent=DIR'), a column of its own. Their per-class
AUPR stands beside each sub-run's test NLL. Models without a --run are listed as not run. Table 2.1: --eval
replaces a run's final numbers by a launch/evaluate.py result of it (e.g. the full test set with
a larger k than its periodic evaluations), --figure plots each run's periodic test NLL against
training wall-clock. --notes appends a hand-written paragraph (budgets, caveats) after the
generated table."""

import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # runnable from a checkout

from absl import app, flags  # noqa: E402

_TABLE = flags.DEFINE_enum("table", None, ["2.1", "4.1", "4.2"], "Which thesis table.")
_RUNS = flags.DEFINE_multi_string("run", [], "MODEL=RUN_DIRECTORY, e.g. vae=runs/vae_mnist.")
_EVALS = flags.DEFINE_multi_string("eval", [], "Table 2.1: MODEL=RUN_DIRECTORY/eval/STEP.json, "
                                   "a launch/evaluate.py result replacing the run's numbers.")
_OUT = flags.DEFINE_string("out", None, "Markdown file to write.")
_NOTES = flags.DEFINE_string("notes", "", "Markdown file appended after the table.")
_FIGURE = flags.DEFINE_string("figure", "", "Also plot to this PNG (linked from the markdown): "
                              "Table 2.1 test NLL against training wall-clock, Tables 4.x "
                              "AUPR per class.")
flags.mark_flags_as_required(["table", "out"])


def _pairs(flag: str, items) -> dict:
  """['vae=DIR', ...] -> {'vae': 'DIR', ...}; a malformed item ends the tool in one line."""
  pairs = {}
  for item in items:
    key, sep, value = item.partition("=")
    if not sep:
      sys.exit(f"error: --{flag}={item!r} is not MODEL=PATH")
    pairs[key] = value
  return pairs


def main(argv):
  del argv
  from gen_models.plotting import thesis_tables
  runs, evaluations = _pairs("run", _RUNS.value), _pairs("eval", _EVALS.value)
  if evaluations and _TABLE.value != "2.1":
    sys.exit("error: --eval is for Table 2.1")
  try:
    link = ""
    if _TABLE.value == "2.1":
      if _FIGURE.value:
        from gen_models.plotting import curves
        labels = {key: label for label, key, _ in thesis_tables.TABLE_2_1}
        figure = curves.test_nll_curves({labels.get(k, k): d for k, d in runs.items()},
                                        _FIGURE.value, "binarized MNIST, periodic evaluations")
        link = os.path.relpath(figure, pathlib.Path(_OUT.value).parent)
      text = thesis_tables.table_2_1(runs, evaluations, figure=link)
    else:
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
