"""Runs a trained run's evaluators on one of its checkpoints, without training:

  python launch/evaluate.py --workdir=W [--step=N] [--config.eval.X=...]

Writes W/eval/<step>.json (and the evaluators' files under W/eval/<step>/); the run's own
metrics.jsonl, results.json and figures are never touched. With no overrides the numbers are
those the trainer's evaluation at that step gave (same evaluation key). Errors end in one line;
GEN_MODELS_DEBUG=1 shows the traceback instead.
"""

import os
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "launch")]  # runnable from a checkout (and cli.py)

from absl import app, flags  # noqa: E402

import cli  # noqa: E402  (launch/cli.py)

_WORKDIR = flags.DEFINE_string("workdir", None, "Run directory of a trained run.")
_STEP = flags.DEFINE_integer("step", None, "Checkpoint step (default: the latest).")


def main(argv):
  if len(argv) > 1:
    cli.fail(f"unexpected arguments {argv[1:]}")
  from gen_models.runs import restore, single
  from gen_models.training import console, rundir
  workdir = pathlib.Path(_WORKDIR.value)
  config = flags.FLAGS["config"].value
  with cli.one_line_errors():
    run = restore.restore(workdir, config, _STEP.value)
    evaluators = single.build_evaluators(config, run.task, run.source)
    out_dir = workdir / "eval" / str(run.step)
    results = evaluators(run.state, run.eval_key(), out_dir)
    results.update(step=run.step, overrides=cli.overrides(sys.argv))
    rundir.write_json(workdir / "eval" / f"{run.step}.json", results)
  console.emit(f"evaluated step {run.step} of {workdir}: {workdir / 'eval' / f'{run.step}.json'}: "
               f"{console.headline_results(results)}")


if __name__ == "__main__":
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  cli.define_config_from_workdir(sys.argv)
  app.run(main, flags_parser=lambda argv: cli.parse_flags(argv))
