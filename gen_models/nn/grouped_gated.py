"""Gated PixelCNN stacks over *grouped* channels, with weight-normalized convolutions (the
hierarchical PixelVAE's decoders, thesis section 2.3.1 and the appendix "LSUN bedrooms and 64x64
ImageNet").

Channel groups generalize the binary stacks of nn/gated.py to the original PixelCNN's RGB
ordering: the input channels of one position are split into `groups` contiguous groups (an RGB
image with groups=3: R, G, B), and so are the hidden features and the outputs. At the current
position, output group g of the first layer (type A) sees input groups < g; later layers and the
head (type B) see groups <= g. Positions above and to the left are seen in full (every group).
With groups=1 (a latent map whose channels are modelled independently given the positions
before, or a logistic-mixture head that models a pixel's channels jointly) the stacks behave as
nn/gated.py's: the current position is hidden from the first layer.

The gated activation pairs channel i of the first half of a pre-activation with channel i of
the second half, so a pre-activation of 2C channels carries the groups of the C features twice.

Every convolution of the stacks is weight-normalized (Salimans & Kingma 2016): kernel =
g * (v * mask) / ||v * mask||, the norm taken per output channel over the (unmasked) taps and
input channels, so the masked direction has unit norm. The conditioning maps (functions of the
latents only) are plain dense layers.

Param layout (read by `plain_params` and the cached sampler, sampling/autoregressive.py):
`layer_{l}` with `v_conv`, `h_conv`, `v_to_h`, `h_out` (each {v, g, b}) and `v_cond`, `h_cond`
(Dense); `head_{0,1}` with `conv` ({v, g, b}) and `cond`; `out` ({v, g, b}).
"""

from typing import Any, Optional

import flax.linen as nn
import jax.numpy as jnp
import numpy as np
from jax import lax

from gen_models.nn.gated import condition, gate, shift_down

MASK_TYPES = ("A", "B")


def channel_groups(num_channels: int, groups: int) -> np.ndarray:
  """[num_channels] group ids: `groups` contiguous blocks of equal size."""
  if groups < 1 or num_channels % groups:
    raise ValueError(f"{num_channels} channels cannot be split into {groups} equal groups")
  return np.arange(num_channels) * groups // num_channels


def group_mask(in_groups: np.ndarray, out_groups: np.ndarray, mask_type: str) -> np.ndarray:
  """[in, out] 0/1: type A connects input group i to output group o when i < o, type B when
  i <= o."""
  if mask_type not in MASK_TYPES:
    raise ValueError(f"unknown mask type {mask_type!r}; known: {MASK_TYPES}")
  i, o = np.asarray(in_groups)[:, None], np.asarray(out_groups)[None, :]
  return ((i < o) if mask_type == "A" else (i <= o)).astype(np.float32)


def weight_norm_kernel(v, g, mask=None):
  """g * (v * mask) / ||v * mask||, the norm over every axis but the last (output channels).
  An output channel whose taps are all masked gets a zero kernel."""
  if mask is not None:
    v = v * mask
  sq = jnp.sum(jnp.square(v), axis=tuple(range(v.ndim - 1)))
  return v * (g * lax.rsqrt(jnp.maximum(sq, 1e-24)))


class WNConv(nn.Module):
  """A weight-normalized (optionally masked) convolution, NHWC. Params v [kh, kw, in, out],
  g [out] (init 1), b [out] (init 0)."""

  features: int
  kernel_size: tuple
  padding: Any = "SAME"
  mask: Optional[Any] = None  # [kh, kw, in, out] 0/1, or None

  @nn.compact
  def __call__(self, x):
    shape = tuple(self.kernel_size) + (x.shape[-1], self.features)
    v = self.param("v", nn.initializers.normal(0.05), shape)
    g = self.param("g", nn.initializers.ones, (self.features,))
    b = self.param("b", nn.initializers.zeros, (self.features,))
    kernel = weight_norm_kernel(v, g, None if self.mask is None else jnp.asarray(self.mask))
    y = lax.conv_general_dilated(x, kernel.astype(x.dtype), (1, 1), self.padding,
                                 dimension_numbers=("NHWC", "HWIO", "NHWC"))
    return y + b


def _masked_1x1(in_groups, out_groups, mask_type="B"):
  return group_mask(in_groups, out_groups, mask_type)[None, None]


def h_conv_mask(width: int, in_groups, out_groups, first: bool) -> np.ndarray:
  """[1, width, in, out]: every tap left of the current column open; the current column (last
  tap) group-masked, type A in the first layer, B after."""
  mask = np.ones((1, width, len(in_groups), len(out_groups)), np.float32)
  mask[0, -1] = group_mask(in_groups, out_groups, "A" if first else "B")
  return mask


class GroupedGatedStackLayer(nn.Module):
  """One layer of the blind-spot-free vertical + horizontal stacks (nn/gated.py's
  `GatedStackLayer`) with channel groups and weight normalization."""

  channels: int
  kernel_size: int
  first: bool
  groups: int = 1

  @nn.compact
  def __call__(self, v, h, cond=None):
    """v, h [B, H, W, C_in] -> (v, h) [B, H, W, channels]."""
    k, p, c, c2 = self.kernel_size, self.kernel_size // 2, self.channels, 2 * self.channels
    if k % 2 == 0:
      raise ValueError(f"gated stacks need an odd kernel size, got {k}")
    in_g = channel_groups(h.shape[-1], self.groups)
    hid_g = channel_groups(c, self.groups)
    pre_g = np.tile(hid_g, 2)
    v_pre = WNConv(c2, (p + 1, k), padding=((p, 0), (p, p)), name="v_conv")(v)
    h_pre = WNConv(c2, (1, p + 1), padding=((0, 0), (p, 0)),
                   mask=h_conv_mask(p + 1, in_g, pre_g, self.first), name="h_conv")(h)
    h_pre = h_pre + WNConv(c2, (1, 1), name="v_to_h")(shift_down(v_pre))
    v_out = gate(v_pre + condition(c2, cond, "v_cond"))
    h_out = WNConv(c, (1, 1), mask=_masked_1x1(hid_g, hid_g), name="h_out")(
        gate(h_pre + condition(c2, cond, "h_cond")))
    if not self.first:
      h_out = h + h_out
    return v_out, h_out


class GroupedGatedConv1x1(nn.Module):
  """gate(masked 1x1(h) + V cond), type B over the groups: the head's gated layers."""

  channels: int
  groups: int = 1

  @nn.compact
  def __call__(self, h, cond=None):
    in_g = channel_groups(h.shape[-1], self.groups)
    pre_g = np.tile(channel_groups(self.channels, self.groups), 2)
    pre = WNConv(2 * self.channels, (1, 1), mask=_masked_1x1(in_g, pre_g), name="conv")(h)
    return gate(pre + condition(2 * self.channels, cond, "cond"))


def output_groups(groups: int, out_per_group: int) -> np.ndarray:
  """Group ids of the head's outputs: group-major, `out_per_group` outputs per group."""
  return np.repeat(np.arange(groups), out_per_group)
