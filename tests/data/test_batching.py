"""map_batches: one compiled shape, padding invisible, order kept, per-batch keys differ."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gen_models.data import batching


def test_pads_to_one_shape_and_keeps_order():
  seen = []

  def fn(chunk):
    seen.append(chunk.shape)
    return chunk.sum(axis=(1, 2))

  inputs = np.arange(7 * 2 * 3, dtype=np.float32).reshape(7, 2, 3)
  out = batching.map_batches(fn, inputs, batch_size=3)
  np.testing.assert_array_equal(out, inputs.sum(axis=(1, 2)))
  assert set(seen) == {(3, 2, 3)}


def test_dict_outputs_with_keys_and_dtype():
  x = np.arange(7 * 3, dtype=np.float32).reshape(7, 3)
  calls = []

  def score_batch(batch, key):
    calls.append(batch.shape[0])
    return {"s": jnp.sum(batch, axis=1), "u": jax.random.uniform(key, (batch.shape[0],))}

  scores = batching.map_batches(score_batch, x, 3, key=jax.random.key(0), dtype=np.float64)
  assert calls == [3, 3, 3]  # one compiled shape
  assert scores["s"].dtype == np.float64 and scores["s"].shape == (7,)
  np.testing.assert_allclose(scores["s"], x.sum(1))
  assert len(np.unique(scores["u"][:6].round(6))) == 6  # batches get different keys


def test_empty_input_is_an_error():
  with pytest.raises(ValueError, match="at least one"):
    batching.map_batches(lambda v: v, np.zeros((0, 2)), 3)
