"""Orbax checkpoints of the whole train state, saved synchronously so a kill loses no step."""

import pathlib
from typing import Optional

import jax
import orbax.checkpoint as ocp


class Checkpointer:

  def __init__(self, directory: pathlib.Path, max_to_keep: int = 2):
    self._manager = ocp.CheckpointManager(
        pathlib.Path(directory).resolve(),
        options=ocp.CheckpointManagerOptions(
            max_to_keep=max_to_keep, enable_async_checkpointing=False, create=True))

  def latest_step(self) -> Optional[int]:
    return self._manager.latest_step()

  def save(self, step: int, state) -> None:
    self._manager.save(step, args=ocp.args.StandardSave(state), force=True)
    self._manager.wait_until_finished()

  def restore(self, step: int, like):
    """Restores onto the structure, dtypes and shardings of `like` (arrays or ShapeDtypeStructs)."""
    abstract = jax.tree_util.tree_map(ocp.utils.to_shape_dtype_struct, like)
    return self._manager.restore(step, args=ocp.args.StandardRestore(abstract))

  def close(self):
    self._manager.close()
