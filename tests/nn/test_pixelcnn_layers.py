"""Masked convolutions and gated layers: masks by hand, receptive fields by exact Jacobians."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gen_models.nn import gated, masked


def _jacobian(fn, x):
  """d fn(x)[0, i, j, :].sum() / d x[0, i', j', :].sum() as [H, W, H, W] (batch of one)."""
  jac = jax.jit(jax.jacrev(lambda a: fn(a).sum(-1)[0]))(x)  # [H, W, 1, H, W, C]
  return np.asarray(jac.sum(-1)[:, :, 0])


def _init_apply(module, key, *args):
  variables = module.init(key, *args)
  return variables, lambda *a: module.apply(variables, *a)


def test_causal_masks_by_hand():
  expected_b = np.array([[1, 1, 1], [1, 1, 0], [0, 0, 0]], np.float32)
  np.testing.assert_array_equal(masked.causal_mask(3, 3, "B"), expected_b)
  expected_a = expected_b.copy()
  expected_a[1, 1] = 0
  np.testing.assert_array_equal(masked.causal_mask(3, 3, "A"), expected_a)
  np.testing.assert_array_equal(gated.horizontal_mask(3, "A"), [1, 1, 0])
  np.testing.assert_array_equal(gated.horizontal_mask(3, "B"), [1, 1, 1])
  with pytest.raises(ValueError, match="mask type"):
    masked.causal_mask(3, 3, "C")
  with pytest.raises(ValueError, match="odd"):
    masked.causal_mask(4, 4, "A")


@pytest.mark.parametrize("mask_type", ["A", "B"])
def test_masked_conv_gradient_is_the_masked_kernel(mask_type):
  """d out(i, j) / d x(i + dy, j + dx) must be kernel[dy + p, dx + p] * mask (cross-correlation)."""
  k, p = 5, 2
  module = masked.MaskedConv2D(1, k, mask_type)
  x = jax.random.normal(jax.random.key(0), (1, 9, 9, 1))
  variables, apply = _init_apply(module, jax.random.key(1), x)
  kernel = np.asarray(variables["params"]["conv"]["kernel"])[:, :, 0, 0]
  jac = _jacobian(apply, x)
  i, j = 4, 4
  window = jac[i, j, i - p:i + p + 1, j - p:j + p + 1]
  np.testing.assert_allclose(window, kernel * masked.causal_mask(k, k, mask_type), rtol=1e-6)
  assert np.count_nonzero(jac[i, j]) == np.count_nonzero(masked.causal_mask(k, k, mask_type))


def test_gate_matches_numpy():
  h = np.random.default_rng(0).normal(size=(3, 4, 6)).astype(np.float32)
  a, b = h[..., :3], h[..., 3:]
  np.testing.assert_allclose(gated.gate(jnp.asarray(h)), np.tanh(a) / (1 + np.exp(-b)), rtol=1e-5)


def test_shift_down():
  x = jnp.arange(12.0).reshape(1, 3, 4, 1)
  out = np.asarray(gated.shift_down(x))
  np.testing.assert_array_equal(out[0, 0], 0)
  np.testing.assert_array_equal(out[0, 1:], np.asarray(x)[0, :-1])


def _stack_layer_fns(first, k, cond=None, channels=4, size=9, in_channels=1):
  layer = gated.GatedStackLayer(channels, k, first=first)
  x = jax.random.normal(jax.random.key(2), (1, size, size, in_channels))
  variables = layer.init(jax.random.key(3), x, x, cond)
  v_fn = lambda a: layer.apply(variables, a, a, cond)[0]
  h_fn = lambda a: layer.apply(variables, a, a, cond)[1]
  return x, v_fn, h_fn


# Sizes shared with tests/models (channels 4, kernels 7 then 5) reuse compiled initializers.
@pytest.mark.parametrize("first, k", [(True, 7), (False, 5)])
def test_stack_layer_receptive_fields(first, k):
  """One layer, v and h fed the same input: the vertical output at (i, j) sees exactly rows
  i - p..i, columns j - p..j + p; the horizontal output sees the vertical window of the row
  above (rows i - 1 - p..i - 1) and the row to its left (the centre too unless `first`)."""
  p, size = k // 2, 9
  x, v_fn, h_fn = _stack_layer_fns(first, k, in_channels=1 if first else 4)
  i, j = 5, 4
  expected_v = np.zeros((size, size), bool)
  expected_v[i - p:i + 1, j - p:j + p + 1] = True
  np.testing.assert_array_equal(_jacobian(v_fn, x)[i, j] != 0, expected_v)
  expected_h = np.zeros((size, size), bool)
  expected_h[i - 1 - p:i, j - p:j + p + 1] = True
  expected_h[i, j - p:j + (0 if first else 1)] = True
  np.testing.assert_array_equal(_jacobian(h_fn, x)[i, j] != 0, expected_h)


def test_stack_layer_feature_map_conditioning_is_per_position():
  """With a [B, H, W, D] condition, the horizontal output at (i, j) depends on cond at (i, j)
  only (a 1x1 conv), and the vertical one too."""
  size = 6
  cond = jax.random.normal(jax.random.key(4), (1, size, size, 4))
  layer = gated.GatedStackLayer(4, 7, first=True)
  x = jax.random.normal(jax.random.key(5), (1, size, size, 1))
  variables = layer.init(jax.random.key(6), x, x, cond)
  for out in (0, 1):
    jac = _jacobian(lambda c: layer.apply(variables, x, x, c)[out], cond)
    for i, j in [(0, 0), (3, 2), (5, 5)]:
      expected = np.zeros((size, size), bool)
      expected[i, j] = True
      np.testing.assert_array_equal(jac[i, j] != 0, expected)


def test_vector_conditioning_reaches_every_position():
  cond = jax.random.normal(jax.random.key(7), (1, 3))
  head = gated.GatedConv1x1(4)
  x = jax.random.normal(jax.random.key(8), (1, 5, 5, 4))
  variables = head.init(jax.random.key(9), x, cond)
  jac = jax.jit(jax.jacrev(lambda c: head.apply(variables, x, c).sum(-1)))(cond)  # [1, 5, 5, 1, 4]
  assert np.all(np.abs(np.asarray(jac)).sum(-1) > 0)
  with pytest.raises(ValueError, match="conditioning"):
    head.init(jax.random.key(9), x, jnp.zeros((1, 5, 4)))


def test_gated_residual_block_is_causal_type_b():
  block = gated.GatedResidualBlock(5)
  x = jax.random.normal(jax.random.key(10), (1, 6, 6, 4))
  variables = block.init(jax.random.key(11), x)
  jac = _jacobian(lambda a: block.apply(variables, a), x).reshape(36, 36)
  np.testing.assert_array_equal(np.triu(jac, k=1), 0)  # never a later pixel
  assert np.all(np.diag(jac) != 0)  # type B (and the residual): the centre itself


def test_masked_residual_block_is_causal_type_b():
  block = masked.MaskedResidualBlock(5)
  x = jax.random.normal(jax.random.key(12), (1, 6, 6, 4))
  variables = block.init(jax.random.key(13), x)
  jac = _jacobian(lambda a: block.apply(variables, a), x).reshape(36, 36)
  np.testing.assert_array_equal(np.triu(jac, k=1), 0)
