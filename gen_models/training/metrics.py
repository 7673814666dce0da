"""Metric writers: metrics.jsonl (one object per log step) and TensorBoard event files."""

import json
import math
import pathlib

import numpy as np


def to_python(value):
  """Scalars and small arrays to JSON-friendly Python values (NaN stays NaN in JSON)."""
  arr = np.asarray(value)
  if arr.ndim == 0:
    return arr.item()
  return arr.tolist()


class MetricWriter:
  """Appends metrics; on resume from `start_step`, drops lines logged after that step so the
  log of a resumed run reads exactly like an uninterrupted one."""

  def __init__(self, workdir: pathlib.Path, start_step: int = 0):
    from tensorboardX import SummaryWriter  # heavy import, only where metrics are written
    self._path = pathlib.Path(workdir) / "metrics.jsonl"
    if self._path.exists():
      kept = [r for r in _parse_lines(self._path) if r["step"] <= start_step]
      self._path.write_text("".join(json.dumps(r) + "\n" for r in kept))
    self._tb = SummaryWriter(str(pathlib.Path(workdir) / "tensorboard"),
                             purge_step=start_step if start_step else None)

  def write(self, step: int, metrics: dict) -> None:
    record = {"step": int(step)}
    record.update({k: to_python(v) for k, v in metrics.items()})
    with self._path.open("a") as f:
      f.write(json.dumps(record) + "\n")
    for k, v in record.items():
      if k != "step" and isinstance(v, (int, float)) and math.isfinite(v):
        self._tb.add_scalar(k, v, step)

  def close(self):
    self._tb.flush()
    self._tb.close()


def _parse_lines(path: pathlib.Path) -> list[dict]:
  """Parses metrics.jsonl. Only the last line may be cut short (a run killed mid-write); it is
  dropped. A bad line anywhere else means the file is corrupt."""
  lines = [line for line in path.read_text().splitlines() if line.strip()]
  records = []
  for i, line in enumerate(lines):
    try:
      records.append(json.loads(line))
    except json.JSONDecodeError:
      if i == len(lines) - 1:
        break
      raise ValueError(f"{path} line {i + 1} is not JSON: {line[:80]!r}") from None
  return records


def read_metrics(workdir) -> list[dict]:
  return _parse_lines(pathlib.Path(workdir) / "metrics.jsonl")
