"""The one batch-mapping helper: a function of fixed-size batches applied over a whole array."""

from typing import Callable, Optional

import jax
import numpy as np


def map_batches(fn: Callable, inputs, batch_size: int, key=None, dtype=None):
  """Concatenates fn(inputs[i:i + batch_size]) over consecutive slices of inputs [N, ...].

  The last slice is padded to `batch_size` by repeating its final row (the extra outputs are
  dropped), so a jitted `fn` compiles for one shape only. With `key`, slice j is called as
  fn(slice, fold_in(key, j)). `fn` may return an array [b, ...] or a dict of them; the result is
  the same structure of NumPy arrays [N, ...] (cast to `dtype` when given).
  """
  n = len(inputs)
  if n == 0:
    raise ValueError("map_batches needs at least one input")
  if batch_size < 1:
    raise ValueError(f"batch_size must be positive, got {batch_size}")
  outputs = []
  for j, start in enumerate(range(0, n, batch_size)):
    chunk = np.asarray(inputs[start:start + batch_size])
    real = len(chunk)
    if real < batch_size:
      chunk = np.concatenate([chunk, np.repeat(chunk[-1:], batch_size - real, axis=0)])
    out = fn(chunk) if key is None else fn(chunk, jax.random.fold_in(key, j))
    outputs.append(jax.tree_util.tree_map(lambda v: _cast(v, dtype)[:real], jax.device_get(out)))
  return jax.tree_util.tree_map(lambda *parts: np.concatenate(parts), *outputs)


def _cast(value, dtype: Optional[np.dtype]) -> np.ndarray:
  return np.asarray(value) if dtype is None else np.asarray(value, dtype)
