"""Interleaved A/B timing in worker processes: what the comparison benchmarks share.

On a shared machine the load changes from minute to minute, so two things are only compared
when timed alternately in one run: each side lives in its own worker process (so each can have
its own XLA_FLAGS, or be PyTorch), both pinned to the same cores, and the parent asks them for
one timed step at a time, A B B A A B ..., never both at once. Reported: medians per side and
the ratio of the medians (and the median of the per-round ratios).

Protocol: the parent writes one JSON object per line to a worker's stdin; the worker answers
with one line `@@BENCH <json>` on stdout (anything else on stdout is ignored, stderr goes to a
log file the parent shows when the worker dies).
"""

import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import tempfile

MARK = "@@BENCH "


def pin(cores) -> list[int]:
  """Pins this process to `cores` (None: leave as is) before jax / torch start their thread
  pools; -> the cores it may run on."""
  if cores is not None and hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, set(cores))
  return sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


def parse_cores(text: str | None):
  if not text:
    return None
  cores = []
  for part in text.split(","):
    lo, _, hi = part.partition("-")
    cores.extend(range(int(lo), int(hi or lo) + 1))
  return cores


class Worker:
  """A worker process speaking the line protocol: `request(dict) -> dict`."""

  def __init__(self, name: str, argv: list[str], env: dict, cwd=None):
    self.name = name
    self.log = tempfile.NamedTemporaryFile("w+", prefix=f"bench_{name}_", suffix=".log",
                                           delete=False)
    self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=self.log, text=True, env=env, cwd=cwd, bufsize=1)

  def request(self, **message) -> dict:
    self.proc.stdin.write(json.dumps(message) + "\n")
    self.proc.stdin.flush()
    while True:
      line = self.proc.stdout.readline()
      if not line:
        self.log.flush()
        tail = pathlib.Path(self.log.name).read_text()[-3000:]
        raise RuntimeError(f"worker {self.name} died (exit {self.proc.wait()}):\n{tail}")
      if line.startswith(MARK):
        reply = json.loads(line[len(MARK):])
        if "error" in reply:
          raise RuntimeError(f"worker {self.name}: {reply['error']}")
        return reply

  def close(self) -> None:
    try:
      if self.proc.poll() is None:
        self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=60)
    except (OSError, subprocess.TimeoutExpired, ValueError):
      self.proc.kill()
    try:
      os.unlink(self.log.name)
    except OSError:
      pass


def serve(handlers: dict) -> None:
  """The worker's loop: each request {'op': name, ...} -> handlers[name](**rest) -> reply."""
  out = sys.stdout
  sys.stdout = sys.stderr  # library prints must not mix with the protocol
  for line in sys.stdin:
    message = json.loads(line)
    op = message.pop("op")
    if op == "quit":
      break
    try:
      reply = handlers[op](**message)
    except Exception as e:  # noqa: BLE001  (reported to the parent, which stops)
      import traceback
      traceback.print_exc()
      reply = {"error": f"{type(e).__name__}: {e}"}
    out.write(MARK + json.dumps(reply) + "\n")
    out.flush()


def interleave(workers: dict, rounds: int, **request) -> dict:
  """`rounds` rounds of one step per worker, in alternating order (A B, B A, A B, ...) ->
  {name: [reply per round]}."""
  names = list(workers)
  replies = {n: [] for n in names}
  for r in range(rounds):
    for n in (names if r % 2 == 0 else names[::-1]):
      replies[n].append(workers[n].request(op="step", round=r, **request))
  return replies


def summary(times_a: list[float], times_b: list[float]) -> dict:
  """Medians, the ratio of the medians (a / b) and the median of the per-round ratios."""
  med_a, med_b = statistics.median(times_a), statistics.median(times_b)
  return {"median_a": med_a, "median_b": med_b, "ratio": med_a / med_b,
          "ratio_per_round": statistics.median(a / b for a, b in zip(times_a, times_b))}


def cpu_model() -> str:
  """The host CPU as provenance.json records it (gen_models.xla_setup.host_cpu)."""
  from gen_models import xla_setup  # the benchmarks put the repository on sys.path
  return xla_setup.host_cpu()


def git_commit(repo) -> str:
  def git(*args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                          text=True).stdout.strip()
  commit = git("rev-parse", "HEAD")[:12] or "unknown"
  dirty = git("status", "--porcelain", "--untracked-files=no", "--", "gen_models", "benchmarks")
  return commit + (" (uncommitted changes to gen_models/ or benchmarks/)" if dirty else "")
