"""The hierarchical PixelVAE's decoders: causality and no blind spot by exact Jacobians (RGB
sub-pixels in raster order, R -> G -> B; latent maps by position), weight normalization."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gen_models.models.hierarchical_pixelvae import GroupedGatedPixelCNN
from gen_models.nn import grouped_gated as gg


def _dependencies(net, x, cond=None):
  """[H*W*G, H*W*C] bool: output group g at position i depends on input channel c at i'."""
  variables = net.init(jax.random.key(0), x, cond)
  # larger weights than the init, so no dependency hides below float resolution
  variables = jax.tree_util.tree_map(lambda p: 2.0 * p, variables)
  b, h, w, c = x.shape
  groups, f = net.groups, net.out_per_group

  def out(a):
    o = net.apply(variables, a, cond)[0].reshape(h * w, groups, f)
    return jnp.sum(jnp.abs(o) ** 2, axis=-1)  # [HW, G]: every output of a group
  jac = jax.jit(jax.jacrev(out))(x)  # [HW, G, 1, H, W, C]
  return np.asarray(jac[:, :, 0] != 0).reshape(h * w * groups, h * w * c)


def _expected(h, w, groups, channels):
  """Output group g at raster position i may see input (i', c) iff i' < i, or i' = i and c's
  group < g; and, with enough layers, sees every one of them (no blind spot)."""
  cg = gg.channel_groups(channels, groups)
  exp = np.zeros((h * w, groups, h * w, channels), bool)
  for i in range(h * w):
    exp[i, :, :i, :] = True
    for g in range(groups):
      exp[i, g, i, :] = cg < g
  return exp.reshape(h * w * groups, h * w * channels)


def test_pixel_level_is_causal_over_rgb_subpixels_without_blind_spot():
  # 4x4 RGB image; kernels 5, 3, 3 reach 4 rows up and 4 columns either side: the whole past.
  net = GroupedGatedPixelCNN(num_layers=3, channels=6, out_per_group=2, groups=3)
  x = jax.random.normal(jax.random.key(1), (1, 4, 4, 3))
  cond = jax.random.normal(jax.random.key(2), (1, 4, 4, 2))
  np.testing.assert_array_equal(_dependencies(net, x, cond), _expected(4, 4, 3, 3))


def test_latent_level_is_causal_over_positions_without_blind_spot():
  """A latent map [4, 4, 2]: the outputs at position j (both channels' Gaussian parameters)
  depend on every channel at positions < j and on nothing at j or after."""
  net = GroupedGatedPixelCNN(num_layers=3, channels=4, out_per_group=4, groups=1)
  z = jax.random.normal(jax.random.key(3), (1, 4, 4, 2))
  np.testing.assert_array_equal(_dependencies(net, z), _expected(4, 4, 1, 2))


def test_group_masks_by_hand():
  groups = gg.channel_groups(3, 3)
  np.testing.assert_array_equal(gg.group_mask(groups, groups, "A"),
                                [[0, 1, 1], [0, 0, 1], [0, 0, 0]])
  np.testing.assert_array_equal(gg.group_mask(groups, groups, "B"),
                                [[1, 1, 1], [0, 1, 1], [0, 0, 1]])
  np.testing.assert_array_equal(gg.channel_groups(6, 3), [0, 0, 1, 1, 2, 2])
  with pytest.raises(ValueError, match="equal groups"):
    gg.channel_groups(4, 3)


def test_weight_norm_gives_unit_norm_directions():
  mask = gg.h_conv_mask(3, gg.channel_groups(3, 3), np.tile(gg.channel_groups(6, 3), 2), True)
  conv = gg.WNConv(12, (1, 3), padding=((0, 0), (2, 0)), mask=mask)
  x = jax.random.normal(jax.random.key(4), (1, 4, 4, 3))
  params = conv.init(jax.random.key(5), x)["params"]
  g = jnp.linspace(0.5, 2.0, 12)
  kernel = np.asarray(gg.weight_norm_kernel(params["v"], g, mask))
  norms = np.sqrt(np.sum(kernel ** 2, axis=(0, 1, 2)))
  np.testing.assert_allclose(norms, np.asarray(g), rtol=1e-5)  # direction unit-norm, scale g
  np.testing.assert_array_equal(kernel[mask == 0], 0.0)  # masked taps stay zero
  np.testing.assert_allclose(  # the layer's output is the conv with that kernel
      conv.apply({"params": {**params, "g": g}}, x),
      jax.lax.conv_general_dilated(x, kernel, (1, 1), ((0, 0), (2, 0)),
                                   dimension_numbers=("NHWC", "HWIO", "NHWC")) + params["b"],
      rtol=1e-5, atol=1e-6)
