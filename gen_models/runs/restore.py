"""A run read back from its directory: config, data source, task and a restored train state."""

import dataclasses
import pathlib
from typing import Any, Optional

import jax
import ml_collections

from gen_models.runs import single
from gen_models.training import checkpointing, mesh as mesh_lib, rundir, trainer


@dataclasses.dataclass
class RestoredRun:
  config: ml_collections.ConfigDict
  source: Any
  task: Any
  state: Any
  step: int

  def eval_key(self):
    """The key the trainer's evaluation used at this step (trainer.run_keys)."""
    return jax.random.fold_in(trainer.run_keys(self.config.train.seed)[2], self.step)


def load_config(workdir) -> ml_collections.ConfigDict:
  """The resolved config.json of a run directory, as a ConfigDict."""
  workdir = pathlib.Path(workdir)
  config = rundir.read_json(workdir / "config.json")
  if config is None:
    raise rundir.RunDirError(f"{workdir} is not a run directory (no config.json)")
  if "protocol" in config:
    raise rundir.RunDirError(f"{workdir} is a protocol directory; pass one of its sub-runs "
                             f"(e.g. {workdir}/<name>)")
  return ml_collections.ConfigDict(_tuples(config))


def _tuples(value):
  """JSON lists back to the tuples the experiment configs use, so that `--config.a=(x, y)`
  overrides them (ml_collections cannot override a list field)."""
  if isinstance(value, dict):
    return {k: _tuples(v) for k, v in value.items()}
  if isinstance(value, list):
    return tuple(_tuples(v) for v in value)
  return value


def checkpoint_steps(workdir) -> list[int]:
  folder = pathlib.Path(workdir) / "checkpoints"
  if not folder.is_dir():
    return []
  return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit() and p.is_dir())


def restore(workdir, config, step: Optional[int] = None) -> RestoredRun:
  """Builds `config`'s source and task and restores checkpoint `step` (default: the latest)."""
  workdir = pathlib.Path(workdir)
  steps = checkpoint_steps(workdir)
  if not steps:
    raise rundir.RunDirError(f"{workdir} holds no checkpoint to restore")
  step = steps[-1] if step is None else step
  if step not in steps:
    raise rundir.RunDirError(f"{workdir} has no checkpoint at step {step}; it has {steps}")
  single.validate(config)
  source, task = single.build(config)
  repl = mesh_lib.replicated(mesh_lib.data_mesh())
  batch = source.batches(0, task.batches_per_step)
  like = jax.eval_shape(task.init, trainer.run_keys(config.train.seed)[0], batch)
  like = jax.tree_util.tree_map(
      lambda s: jax.ShapeDtypeStruct(s.shape, s.dtype, sharding=repl), like)
  ckpt = checkpointing.Checkpointer(workdir / "checkpoints", config.train.keep_checkpoints)
  try:
    state = ckpt.restore(step, like)
  except (ValueError, KeyError) as e:
    raise rundir.RunDirError(f"checkpoint {step} in {workdir} does not fit its config.json "
                             f"({type(e).__name__}: {str(e)[:200]})") from None
  finally:
    ckpt.close()
  return RestoredRun(config, source, task, state, step)
