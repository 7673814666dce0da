"""Metric writers: metrics.jsonl (one object per log step) and TensorBoard event files."""

import json
import math
import os
import pathlib
import struct

import numpy as np


def to_python(value):
  """Scalars and small arrays to JSON-friendly Python values (NaN stays NaN in JSON)."""
  arr = np.asarray(value)
  if arr.ndim == 0:
    return arr.item()
  return arr.tolist()


class MetricWriter:
  """Appends metrics; on resume from `start_step`, drops what was logged after that step (lines
  of metrics.jsonl, TensorBoard events) so the logs of a resumed run read exactly like an
  uninterrupted one's: each step once."""

  def __init__(self, workdir: pathlib.Path, start_step: int = 0):
    from tensorboardX import SummaryWriter  # heavy import, only where metrics are written
    self._path = pathlib.Path(workdir) / "metrics.jsonl"
    if self._path.exists():
      kept = [r for r in _parse_lines(self._path) if r["step"] <= start_step]
      self._path.write_text("".join(json.dumps(r) + "\n" for r in kept))
    tb_dir = pathlib.Path(workdir) / "tensorboard"
    for events in sorted(tb_dir.glob("*tfevents*")):
      truncate_events(events, start_step)
    # A suffix per segment: the file name's clock has one-second resolution, and tensorboardX
    # opens its file with "wb", so a relaunch within the second would erase the kept events.
    self._tb = SummaryWriter(str(tb_dir), filename_suffix=f".{os.getpid()}.{start_step}")
    self._tb_step = {}  # tag -> last step sent to TensorBoard

  def write(self, step: int, metrics: dict) -> None:
    record = {"step": int(step)}
    record.update({k: to_python(v) for k, v in metrics.items()})
    with self._path.open("a") as f:
      f.write(json.dumps(record) + "\n")
    for k, v in record.items():
      # One point per (tag, step): an eval row repeats the log row's train_elapsed_s.
      if (k != "step" and isinstance(v, (int, float)) and math.isfinite(v)
          and self._tb_step.get(k) != step):
        self._tb.add_scalar(k, v, step)
        self._tb_step[k] = step

  def write_images(self, step: int, images: dict) -> None:
    """images: {name: HxWxC uint8 array, C in 1, 3, 4} -> TensorBoard images `figures/<name>`."""
    for name, image in images.items():
      image = np.asarray(image, dtype=np.uint8)
      if image.ndim == 2 or image.shape[-1] == 1:
        image = np.repeat(image.reshape(image.shape[:2] + (1,)), 3, axis=-1)
      self._tb.add_image(f"figures/{name}", image, step, dataformats="HWC")

  def close(self):
    self._tb.flush()
    self._tb.close()


def read_records(path) -> list[bytes]:
  """The framed records of a TFRecord file (uint64 length, uint32 masked CRC32C of the length,
  data, uint32 masked CRC32C of the data), each returned whole, framing included. A record cut
  short (a run killed mid-write) ends the list."""
  blob = pathlib.Path(path).read_bytes()
  records, pos = [], 0
  while pos + 12 <= len(blob):
    (length,) = struct.unpack_from("<Q", blob, pos)
    end = pos + 12 + length + 4
    if end > len(blob):
      break
    records.append(blob[pos:end])
    pos = end
  return records


def record_data(record: bytes) -> bytes:
  return record[12:-4]


def truncate_events(path, last_step: int) -> None:
  """Rewrites a TensorBoard event file without the events of steps after `last_step`.

  tensorboardX's purge_step only asks TensorBoard to hide those events, and other readers
  (and TensorBoard across restarts) do not always honour it. Kept records are copied byte for
  byte, so their CRCs stay valid without recomputing them. Atomic: a kill leaves the old file."""
  from tensorboardX.proto import event_pb2
  records = read_records(path)
  kept = [r for r in records if event_pb2.Event.FromString(record_data(r)).step <= last_step]
  if len(kept) == len(records) and sum(map(len, kept)) == pathlib.Path(path).stat().st_size:
    return
  tmp = pathlib.Path(path).parent / ".truncating.tmp"  # not a *tfevents* name TensorBoard reads
  tmp.write_bytes(b"".join(kept))
  tmp.replace(path)


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
