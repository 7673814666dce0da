"""What a run prints: a line per log step and a closing line, on stdout.

The lines are there whether or not the progress bar is (a bar is useless in a log file); with
the bar on, they go through tqdm.write so the bar is redrawn below them instead of garbled.
Errors go to stderr, one line, from the launcher.
"""

import math
import numbers
import sys

import numpy as np
import tqdm

# Bookkeeping in results.json, not results.
NOT_HEADLINE = frozenset({"step", "train_step_compilations"})


def duration(seconds: float) -> str:
  """12s, 3m10s, 2h05m: short enough for a log line."""
  if not math.isfinite(seconds):
    return "?"
  s = int(round(seconds))
  if s < 60:
    return f"{s}s"
  if s < 3600:
    return f"{s // 60}m{s % 60:02d}s"
  return f"{s // 3600}h{s % 3600 // 60:02d}m"


def _is_scalar(value) -> bool:
  return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _number(value) -> str:
  return str(value) if isinstance(value, numbers.Integral) else f"{float(value):.4g}"


def headline_metrics(metrics: dict, n: int = 3) -> dict:
  """Up to n scalar train metrics, losses first: what a person scans a log for."""
  scalars = {k: float(v) for k, v in metrics.items() if np.ndim(v) == 0}
  ordered = sorted(scalars, key=lambda k: "loss" not in k)  # stable: keeps the metrics' order
  return {k: scalars[k] for k in ordered[:n]}


def step_line(step: int, num_steps: int, metrics: dict, examples_per_s: float,
              eta_s: float) -> str:
  """`step 200/10000  critic_loss -1.23  generator_loss 0.45  12.3 ex/s  ETA 3m10s`."""
  parts = [f"step {step}/{num_steps}"]
  parts += [f"{k} {_number(v)}" for k, v in headline_metrics(metrics).items()]
  rate = f"{examples_per_s:,.0f}" if examples_per_s >= 100 else f"{examples_per_s:.3g}"
  parts += [f"{rate} ex/s", f"ETA {duration(eta_s)}"]
  return "  ".join(parts)


def headline_results(results: dict, n: int = 5) -> str:
  """`sliced_w1=0.0123 mmd_rbf=0.004`: the first n scalar results (no bookkeeping)."""
  scalars = [(k, v) for k, v in results.items() if k not in NOT_HEADLINE and _is_scalar(v)]
  return " ".join(f"{k}={_number(v)}" for k, v in scalars[:n])


def emit(line: str) -> None:
  """Prints one line on stdout; an open tqdm bar is cleared first and redrawn after it."""
  tqdm.tqdm.write(line, file=sys.stdout)
  sys.stdout.flush()
