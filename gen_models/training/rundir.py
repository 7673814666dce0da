"""The run directory: the only contract between launcher, trainer, evaluation and tables.

workdir/
  config.json        resolved config            provenance.json   commit, command, versions...
  metrics.jsonl      one object per log step    tensorboard/      event files
  checkpoints/       orbax                      figures/*.png     results.json (final eval)
"""

import contextlib
import datetime
import functools
import json
import os
import pathlib
import platform
import subprocess
import sys
import threading
import time

import ml_collections

from gen_models import xla_setup

# Changing these between launches does not change the trajectory, so a resume may differ here.
RESUME_COMPATIBLE_KEYS = frozenset({
    "train.num_steps", "train.log_every", "train.checkpoint_every", "train.keep_checkpoints",
    "train.progress_bar", "train.eval_every", "train.time_budget_s",
})
RESUME_COMPATIBLE_SECTIONS = ("eval.",)  # evaluation draws its own keys; training never reads it
# Keys added after run directories existed, with the value that reproduces what those runs did:
# an old config.json without the key equals a new config holding that value.
ADDED_KEY_DEFAULTS = {"optimizer.ema_decay": 0.0}


class RunDirError(Exception):
  """A workdir that cannot be used as asked (not writable, or holds another config's run)."""


def ensure_writable(workdir) -> pathlib.Path:
  path = pathlib.Path(workdir).expanduser().resolve()
  try:
    path.mkdir(parents=True, exist_ok=True)
  except OSError as e:
    raise RunDirError(f"cannot create workdir {path}: {e.strerror}") from None
  if not os.access(path, os.W_OK | os.X_OK):
    raise RunDirError(f"workdir {path} is not writable")
  return path


def config_to_dict(config) -> dict:
  return json.loads(config.to_json_best_effort()) if isinstance(
      config, ml_collections.ConfigDict) else dict(config)


def _flatten(d: dict, prefix: str = "") -> dict:
  out = {}
  for k, v in d.items():
    key = f"{prefix}{k}"
    if isinstance(v, dict):
      out.update(_flatten(v, key + "."))
    else:
      out[key] = v
  return out


def config_differences(old: dict, new: dict, ignore=RESUME_COMPATIBLE_KEYS) -> list[str]:
  a, b = _flatten(old), _flatten(new)
  for key, default in ADDED_KEY_DEFAULTS.items():
    if key in a or key in b:
      a.setdefault(key, default)
      b.setdefault(key, default)
  return [f"{k}: {a.get(k, '<absent>')!r} -> {b.get(k, '<absent>')!r}"
          for k in sorted(set(a) | set(b))
          if k not in ignore and not k.startswith(RESUME_COMPATIBLE_SECTIONS)
          and a.get(k) != b.get(k)]


def has_checkpoint(workdir) -> bool:
  ckpt = pathlib.Path(workdir) / "checkpoints"
  return ckpt.is_dir() and any(p.name.isdigit() for p in ckpt.iterdir())


def check_config(workdir, config) -> None:
  """Refuses a workdir whose checkpoints belong to a different config."""
  workdir = pathlib.Path(workdir)
  path = workdir / "config.json"
  if path.exists() and has_checkpoint(workdir):
    diffs = config_differences(json.loads(path.read_text()), config_to_dict(config))
    if diffs:
      shown = "; ".join(diffs[:3]) + (f"; and {len(diffs) - 3} more" if len(diffs) > 3 else "")
      raise RunDirError(f"workdir {workdir} holds a checkpoint of a different config "
                        f"({shown}); use a new --workdir or delete the old run")


def write_config(workdir, config) -> None:
  """Writes config.json; refuses a workdir whose checkpoints belong to a different config."""
  check_config(workdir, config)
  write_json(pathlib.Path(workdir) / "config.json", config_to_dict(config))


def logged_train_elapsed(workdir, up_to_step=None) -> float:
  """The training wall-clock (seconds, all launch segments, evaluation excluded) of the last
  row of metrics.jsonl that has it (at or before step `up_to_step` when given); 0 when none
  has. Steps after that row and before a resume point were not logged and are not counted."""
  from gen_models.training import metrics as metrics_lib  # metrics.jsonl's reader
  path = pathlib.Path(workdir) / "metrics.jsonl"
  rows = metrics_lib.read_metrics(workdir) if path.is_file() else []
  timed = [r["train_elapsed_s"] for r in rows if "train_elapsed_s" in r
           and (up_to_step is None or r["step"] <= up_to_step)]
  return float(timed[-1]) if timed else 0.0


def finished_results(workdir, train_config):
  """results.json of a run that finished (its last launch segment says so) at
  `train_config.num_steps`, or earlier because its training wall-clock reached
  `train_config.time_budget_s`; else None: such a run is done, and relaunching it must not
  evaluate or log it again (raise num_steps or the budget to extend it)."""
  workdir = pathlib.Path(workdir)
  results = read_json(workdir / "results.json")
  segments = (read_json(workdir / "provenance.json") or {}).get("segments", [])
  if not results or not segments:
    return None
  budget = float(train_config.time_budget_s)
  last = segments[-1]
  done = results.get("step") == train_config.num_steps or (
      budget > 0 and results.get("stopped_by") == "time_budget"
      and logged_train_elapsed(workdir) >= budget)
  return results if done and last.get("finished") and last.get("step") == results["step"] else None


@functools.lru_cache(maxsize=None)
def git_commit() -> dict:
  """The commit of the checkout this process imported its code from. Read once, at the first
  call (process start in practice): a commit made while a long protocol runs must not be
  credited with results computed by the code loaded before it."""
  repo = pathlib.Path(__file__).resolve().parents[2]

  def git(*args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          timeout=10).stdout.strip()

  try:
    return {"commit": git("rev-parse", "HEAD") or None,
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}
  except (OSError, subprocess.SubprocessError):
    return {"commit": None, "dirty": None}


def versions() -> dict:
  import flax
  import jax
  import jaxlib
  import numpy
  import optax
  import orbax.checkpoint
  return {"python": platform.python_version(), "jax": jax.__version__,
          "jaxlib": jaxlib.__version__, "flax": flax.__version__, "optax": optax.__version__,
          "orbax_checkpoint": orbax.checkpoint.__version__, "numpy": numpy.__version__}


def device_info() -> dict:
  import jax
  devices = jax.local_devices()
  return {"platform": devices[0].platform, "count": len(devices),
          "kinds": sorted({d.device_kind for d in devices}), "host": platform.node(),
          "cpu": xla_setup.host_cpu()}


class Provenance:
  """provenance.json: one entry per launch segment (a resumed run has several)."""

  def __init__(self, workdir):
    self._path = pathlib.Path(workdir) / "provenance.json"
    self._start, self._cpu_start = time.time(), time.process_time()
    previous = read_json(self._path, default={})
    self._segments = previous.get("segments", [])
    self._segment = {
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds"),
        "command": " ".join([os.path.basename(sys.executable)] + sys.argv),
        "cwd": os.getcwd(), **git_commit(), "devices": device_info(), "versions": versions(),
        **xla_setup.provenance(),  # xla_flags, cpu_fast_path, cpu_fast_path_reason
    }
    self._segments.append(self._segment)
    self._lock = threading.Lock()  # the heartbeat thread and the caller both write the file

  def update(self, **fields) -> None:
    with self._lock:
      self._segment.update(fields)
      self._segment["wall_time_s"] = round(time.time() - self._start, 3)
      # CPU seconds of this process (all its threads) since this segment began: on a CPU, the
      # core-hours a run cost, whatever else shared the machine.
      self._segment["cpu_time_s"] = round(time.process_time() - self._cpu_start, 3)
      last = self._segments[-1]
      summary = {k: last[k] for k in ("commit", "dirty", "command", "devices", "versions")}
      summary["wall_time_s"] = round(sum(s.get("wall_time_s", 0.0) for s in self._segments), 3)
      summary["cpu_time_s"] = round(sum(s.get("cpu_time_s", 0.0) for s in self._segments), 3)
      write_json(self._path, {**summary, "segments": self._segments}, sort_keys=False)

  @contextlib.contextmanager
  def heartbeat(self, interval_s: float):
    """Rewrites this segment's wall and CPU time every `interval_s` seconds while the body
    runs. A protocol updates its provenance only when a sub-run finishes, so without this a
    launch killed during its first hours would record a wall time of zero."""
    stop = threading.Event()

    def beat():
      while not stop.wait(interval_s):
        self.update()

    thread = threading.Thread(target=beat, name="provenance-heartbeat", daemon=True)
    thread.start()
    try:
      yield
    finally:
      stop.set()
      thread.join()


def read_json(path, default=None):
  """Reads a JSON file of the run directory; a corrupt one is an error naming the file."""
  path = pathlib.Path(path)
  if not path.exists():
    return default
  try:
    return json.loads(path.read_text())
  except json.JSONDecodeError as e:
    raise RunDirError(f"{path} is not valid JSON ({e}); restore or delete that file") from None


def write_json(path, obj, sort_keys: bool = True) -> None:
  """Writes JSON atomically: a kill mid-write leaves the previous file, never half of one.
  Of several processes training together, only process 0 writes (training/distributed.py)."""
  from gen_models.training import distributed
  if not distributed.is_primary():
    return
  path = pathlib.Path(path)
  tmp = path.with_suffix(path.suffix + ".tmp")
  tmp.write_text(json.dumps(obj, indent=2, sort_keys=sort_keys) + "\n")
  tmp.replace(path)
