"""Orbax checkpoints of the whole train state, saved synchronously so a kill loses no step.

A save that fails (disk full, permissions) leaves the earlier checkpoints as they were, removes
its partial folder and raises CheckpointSaveError with one line; orbax's own report of the
failure (log records from its writer threads, tracebacks) is held back, so it does not bury
that line.
"""

import contextlib
import logging
import os
import pathlib
import re
import shutil
import sys
import tempfile
import threading
import time
import warnings
from typing import Optional

import jax
import orbax.checkpoint as ocp

PARTIAL_GLOB = "*.orbax-checkpoint-tmp*"  # orbax writes a step here, then renames it


class CheckpointSaveError(OSError):
  """A checkpoint could not be written; the earlier ones are intact."""


def remove_partial(directory) -> list[pathlib.Path]:
  """Removes the temporary folders of saves that failed or were killed. -> the removed paths."""
  directory = pathlib.Path(directory)
  partial = sorted(directory.glob(PARTIAL_GLOB)) if directory.is_dir() else []
  for path in partial:
    shutil.rmtree(path, ignore_errors=True)
  return partial


def _remove_partial_once_quiet(directory, quiet_s: float = 0.5, limit_s: float = 10.0) -> None:
  """remove_partial, repeated until no partial folder has come back for `quiet_s`.

  After a failed save tensorstore's threads go on finishing the abandoned writes, and a write
  re-creates the folders above its file; on a loaded machine that can come after the first
  removal. The wait is paid only on a failed save.
  """
  deadline = time.monotonic() + limit_s
  remove_partial(directory)
  quiet_since = time.monotonic()
  while time.monotonic() < deadline and time.monotonic() - quiet_since < quiet_s:
    time.sleep(0.05)
    if remove_partial(directory):
      quiet_since = time.monotonic()


def _os_error(e: BaseException) -> Optional[OSError]:
  """The OSError behind `e`. orbax re-raises its writer threads' errors, sometimes wrapped, and
  tensorstore reports a failed write as ValueError("... [os_error_code='28']")."""
  seen = set()
  while e is not None and id(e) not in seen:
    if isinstance(e, OSError):
      return e
    code = re.search(r"os_error_code='?(\d+)", str(e))
    if code:
      return OSError(int(code.group(1)), os.strerror(int(code.group(1))))
    seen.add(id(e))
    e = e.__cause__ or e.__context__
  return None


class _HeldStderr:
  """File descriptor 2 sent to a temporary file while orbax saves: its writer threads and
  tensorstore's callbacks print there directly, not through anything a caller could silence.

  `release()` puts the terminal back and replays what was held. `abandon()` is for a failed
  save: tensorstore's threads go on finishing the abandoned writes and print "RuntimeError: Event
  loop is closed" at any later moment, from threads of their own or from Python's, through fd 2 or
  sys.stderr. So fd 2 never reaches the terminal again, and sys.stderr becomes the terminal for the
  main thread only, which is where the one error line and anything the user's code prints come from.
  """

  def __enter__(self):
    sys.stderr.flush()
    self._held = tempfile.TemporaryFile()
    self._terminal = os.dup(2)
    os.dup2(self._held.fileno(), 2)
    return self

  def release(self) -> None:
    sys.stderr.flush()
    os.dup2(self._terminal, 2)
    os.close(self._terminal)
    self._held.seek(0)
    text = self._held.read()
    if text:
      sys.stderr.write(text.decode(errors="replace"))
      sys.stderr.flush()

  def abandon(self) -> None:
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    terminal = open(self._terminal, "w", buffering=1, errors="backslashreplace")  # noqa: SIM115
    sys.stderr = _MainThreadOnly(terminal)
    # Their coroutines and event loops, collected on the main thread, would be reported there.
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited",
                            category=RuntimeWarning)
    sys.unraisablehook = _drop_closed_event_loop(sys.unraisablehook)
    logging.getLogger("asyncio").disabled = True  # "Exception in callback" from those writes

  def __exit__(self, *exc):
    self._held.close()


class _MainThreadOnly:
  """A stream that drops what any thread but the main one writes."""

  def __init__(self, stream):
    self._stream = stream

  def write(self, text):
    if threading.current_thread() is not threading.main_thread():
      return len(text)
    return self._stream.write(text)

  def __getattr__(self, name):
    return getattr(self._stream, name)


def _drop_closed_event_loop(hook):
  def unraisable(report):
    if not (isinstance(report.exc_value, RuntimeError)
            and "Event loop is closed" in str(report.exc_value)):
      hook(report)
  return unraisable


class Checkpointer:

  def __init__(self, directory: pathlib.Path, max_to_keep: int = 2):
    self._directory = pathlib.Path(directory).resolve()
    remove_partial(self._directory)  # before orbax lists the steps to restore from
    self._failed = False
    self._manager = ocp.CheckpointManager(
        self._directory,
        options=ocp.CheckpointManagerOptions(
            max_to_keep=max_to_keep, enable_async_checkpointing=False, create=True))

  def latest_step(self) -> Optional[int]:
    return self._manager.latest_step()

  def save(self, step: int, state) -> None:
    with _HeldStderr() as held:
      try:
        self._manager.save(step, args=ocp.args.StandardSave(state), force=True)
        self._manager.wait_until_finished()
      except Exception as e:  # noqa: BLE001  (re-raised below unless a file-system error)
        cause = _os_error(e)
        if cause is None:
          held.release()
          raise
        held.abandon()
        failure = e
      else:
        held.release()
        return
    self._failed = True
    _remove_partial_once_quiet(self._directory)
    error = CheckpointSaveError(f"cannot save checkpoint {step} to {self._directory}: "
                                f"{cause.strerror or cause}")
    error.errno = cause.errno
    raise error from failure

  def restore(self, step: int, like):
    """Restores onto the structure, dtypes and shardings of `like` (arrays or ShapeDtypeStructs)."""
    abstract = jax.tree_util.tree_map(ocp.utils.to_shape_dtype_struct, like)
    return self._manager.restore(step, args=ocp.args.StandardRestore(abstract))

  def close(self):
    if not self._failed:
      self._manager.close()
      return
    # After a failed save the manager re-reports the failure while closing; it was reported,
    # and fd 2 is away from the terminal for good (_HeldStderr.abandon).
    with contextlib.suppress(Exception):
      self._manager.close()
    remove_partial(self._directory)  # a write still in flight at the save's cleanup
