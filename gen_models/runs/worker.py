"""One sub-run in its own process, for the local executor (runs/executors.py).

    python -m gen_models.runs.worker < pickle of (config, workdir)

The config arrives pickled on stdin (exactly the ConfigDict the serial executor would run, no
JSON round trip). Exit code 0: finished (workdir/results.json); 3: the loss diverged
(workdir/diverged.json holds the message); anything else: failed (the log says why).
"""

import os
import pickle
import signal
import sys


def _bind_to_parent_and_cores() -> None:
  """Before JAX starts: run on the cores the executor gave this worker, and die with the
  executor (a killed protocol leaves no sub-run writing behind it)."""
  cpus = os.environ.pop("GEN_MODELS_WORKER_CPUS", "")
  if cpus:
    os.sched_setaffinity(0, {int(c) for c in cpus.split(",")})
  parent = os.environ.pop("GEN_MODELS_WORKER_PARENT", "")
  if parent:
    try:
      import ctypes
      ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
      pass
    if os.getppid() != int(parent):  # the executor died before the line above
      sys.exit(1)


def main() -> int:
  _bind_to_parent_and_cores()
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  config, workdir = pickle.load(sys.stdin.buffer)
  from absl import logging
  logging.set_verbosity(logging.WARNING)  # orbax logs every checkpoint operation at INFO
  from gen_models.runs import executors
  outcome = executors.run_one(config, workdir)
  if outcome["status"] == "diverged":
    print(outcome["error"], file=sys.stderr)
    return executors.DIVERGED_EXIT_CODE
  return 0


if __name__ == "__main__":
  sys.exit(main())
