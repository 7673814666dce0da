"""The device mesh: one `data` axis over all local devices; state replicated, batches split."""

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P


def data_mesh() -> Mesh:
  return Mesh(np.asarray(jax.local_devices()), ("data",))


def replicated(mesh: Mesh) -> NamedSharding:
  return NamedSharding(mesh, P())


def stacked_batch_sharding(mesh: Mesh) -> NamedSharding:
  """For batches shaped [steps_per_update, B, ...]: split B over devices."""
  return NamedSharding(mesh, P(None, "data"))


def check_divisible(batch_size: int, mesh: Mesh):
  n = mesh.devices.size
  if batch_size % n:
    raise ValueError(f"data.batch_size={batch_size} is not divisible by the {n} local devices")
