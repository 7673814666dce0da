"""Orbax checkpoints of the whole train state, saved synchronously so a kill loses no step.

A save that fails (disk full, permissions) leaves the earlier checkpoints as they were, removes
its partial folder and raises CheckpointSaveError with one line; orbax's own report of the
failure (log records from its writer threads, tracebacks) is held back, so it does not bury
that line.
"""

import contextlib
import os
import pathlib
import re
import shutil
import sys
import tempfile
import threading
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


@contextlib.contextmanager
def _stderr_to(file):
  """Sends file descriptor 2 to `file`: orbax's writer threads and tensorstore's callbacks
  print there directly, not through anything a caller could silence."""
  sys.stderr.flush()
  saved = os.dup(2)
  os.dup2(file.fileno(), 2)
  try:
    yield
  finally:
    sys.stderr.flush()
    os.dup2(saved, 2)
    os.close(saved)


class _ForeignThreadsMuted:
  """sys.stderr, less what threads Python did not start write. After a failed save,
  tensorstore's threads finish the abandoned writes and print "RuntimeError: Event loop is
  closed" through sys.stderr at any later moment, even after the process reported the error."""

  def __init__(self, stream):
    self._stream = stream

  def write(self, text):
    if isinstance(threading.current_thread(), threading._DummyThread):  # noqa: SLF001
      return len(text)
    return self._stream.write(text)

  def __getattr__(self, name):
    return getattr(self._stream, name)


def _replay(file) -> None:
  file.seek(0)
  text = file.read()
  if text:
    sys.stderr.write(text.decode(errors="replace"))
    sys.stderr.flush()


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
    with tempfile.TemporaryFile() as held:
      failure = cause = None
      with _stderr_to(held):
        try:
          self._manager.save(step, args=ocp.args.StandardSave(state), force=True)
          self._manager.wait_until_finished()
        except Exception as e:  # noqa: BLE001  (re-raised below unless a file-system error)
          failure, cause = e, _os_error(e)
          if cause is not None and not isinstance(sys.stderr, _ForeignThreadsMuted):
            # Muted before fd 2 is restored: tensorstore's threads may print the moment it is,
            # and the abandoned writes' coroutines are reported as never awaited at exit.
            sys.stderr = _ForeignThreadsMuted(sys.stderr)
            warnings.filterwarnings("ignore", message="coroutine .* was never awaited",
                                    category=RuntimeWarning)
      if failure is None or cause is None:
        _replay(held)
        if failure is not None:
          raise failure
        return
      self._failed = True
      remove_partial(self._directory)
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
    # After a failed save the manager re-reports the failure while closing; it was reported.
    with tempfile.TemporaryFile() as held, _stderr_to(held), contextlib.suppress(Exception):
      self._manager.close()
