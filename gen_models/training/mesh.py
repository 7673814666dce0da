"""The device mesh: one `data` axis over every device of every process (one process: its local
devices); state replicated, batches split."""

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P


def data_mesh() -> Mesh:
  return Mesh(np.asarray(jax.devices()), ("data",))


def replicated(mesh: Mesh) -> NamedSharding:
  return NamedSharding(mesh, P())


def stacked_batch_sharding(mesh: Mesh) -> NamedSharding:
  """For batches shaped [steps_per_update, B, ...]: split B over devices."""
  return NamedSharding(mesh, P(None, "data"))


def put_batch(batch, sharding: NamedSharding):
  """A host batch (pytree of [steps, B, ...] arrays, the same on every process) as global arrays:
  each process contributes its own rows of B (those of its devices)."""
  if jax.process_count() == 1:
    return jax.device_put(batch, sharding)

  def put(x):
    index = sharding.addressable_devices_indices_map(x.shape).values()
    rows = [i[1].indices(x.shape[1]) for i in index]
    local = x[:, min(r[0] for r in rows):max(r[1] for r in rows)]
    return jax.make_array_from_process_local_data(sharding, local, x.shape)
  return jax.tree_util.tree_map(put, batch)


def check_divisible(batch_size: int, mesh: Mesh):
  n = mesh.devices.size
  if batch_size % n:
    raise ValueError(f"data.batch_size={batch_size} is not divisible by the {n} devices")
