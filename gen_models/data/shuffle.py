"""Stateless epoch shuffling shared by the in-memory sources: batch `index` is a pure function
of (seed, index), so a resumed run reads exactly the batches an uninterrupted one would."""

import numpy as np


def epoch_batch_indices(seed: int, index: int, num_items: int, batch_size: int) -> np.ndarray:
  """Item indices of batch `index`. [batch_size] int64.

  Batch i is the (i mod E)-th slice of epoch i // E's permutation, E = num_items // batch_size
  (each epoch's last partial batch is dropped); epoch e's permutation comes from a NumPy
  generator seeded by (seed, e).
  """
  epoch, offset = divmod(int(index), num_items // batch_size)
  permutation = np.random.default_rng([seed, epoch]).permutation(num_items)
  return permutation[offset * batch_size:(offset + 1) * batch_size]
