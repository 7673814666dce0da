"""One training over several processes (hosts): jax.distributed, and which process writes.

`initialize()` starts JAX's distributed runtime, before any other JAX call, when asked to
(explicit coordinator address, number of processes and process id) or when launched as several
tasks of a SLURM step (`srun -n N`) or of Open MPI (`mpirun -n N`), which JAX detects itself.
Then the mesh spans every process' devices (mesh.py), each process feeds its rows of every
batch, and only process 0 writes the run directory (rundir.write_json, metrics, figures);
checkpoints are written by orbax from every process (it coordinates them).
"""

import os

_STATE = {"process_id": 0, "num_processes": 1}


def launched_as_several_processes() -> bool:
  """A SLURM step or Open MPI job of more than one task (a single-task job needs no runtime)."""
  if "SLURM_STEP_ID" in os.environ and "SLURM_PROCID" in os.environ:
    return int(os.environ.get("SLURM_STEP_NUM_TASKS", os.environ.get("SLURM_NTASKS", "1"))) > 1
  if "OMPI_COMM_WORLD_SIZE" in os.environ:
    return int(os.environ["OMPI_COMM_WORLD_SIZE"]) > 1
  return False


def initialize(coordinator_address=None, num_processes=None, process_id=None) -> bool:
  """Starts the distributed runtime if asked or launched as several processes; True if so."""
  explicit = (coordinator_address, num_processes, process_id)
  if any(v is not None for v in explicit) and None in explicit:
    raise ValueError("--coordinator_address, --num_processes and --process_id go together")
  if coordinator_address is None and not launched_as_several_processes():
    return False
  import jax
  # Collectives between CPU processes (the tests: several processes on one machine) need an
  # implementation; gloo is jax's default in recent versions, named here for older ones.
  jax.config.update("jax_cpu_collectives_implementation", "gloo")
  if coordinator_address is None:
    jax.distributed.initialize()
  else:
    jax.distributed.initialize(coordinator_address=coordinator_address,
                               num_processes=num_processes, process_id=process_id)
  _STATE.update(process_id=jax.process_index(), num_processes=jax.process_count())
  return True


def process_id() -> int:
  return _STATE["process_id"]


def num_processes() -> int:
  return _STATE["num_processes"]


def is_primary() -> bool:
  """Whether this process writes the run directory (process 0, or the only process)."""
  return _STATE["process_id"] == 0


class NullWriter:
  """MetricWriter's interface for processes other than 0 (they compute, process 0 writes)."""

  def write(self, step, metrics) -> None:
    del step, metrics

  def write_images(self, step, images) -> None:
    del step, images

  def close(self) -> None:
    pass
