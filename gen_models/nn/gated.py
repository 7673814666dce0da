"""Gated PixelCNN layers (van den Oord et al. 2016b, "Conditional Image Generation with PixelCNN
Decoders"; thesis section 1.6.3).

Gated activation: tanh(a) * sigmoid(b), with a and b the two halves of the pre-activation.

Blind-spot-free stacks. A *vertical* stack convolves over a (k//2 + 1) x k window ending at the
current row, so its features at row i depend on rows <= i only. A *horizontal* stack convolves
over a 1 x (k//2 + 1) window ending at the current column (type A: the current column excluded).
The vertical pre-activation, shifted down one row (so it only carries rows < i), enters the
horizontal stack through a 1x1 convolution; the horizontal stack has a residual connection. The
output at (i, j) thus sees every pixel above row i plus the pixels left of j in row i, without
the upper-right blind spot of stacked masked k x k convolutions.

Conditioning h (thesis section 2.4.1): every gated layer adds V h to its pre-activation, where h
is either a feature map [B, H, W, D] (V is a 1x1 convolution) or a vector [B, D] (V is a linear
map broadcast over positions).
"""

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

from gen_models.nn.masked import MASK_TYPES, MaskedConv2D


def gate(h):
  """[..., 2C] -> [..., C]: tanh of the first half times sigmoid of the second half."""
  a, b = jnp.split(h, 2, axis=-1)
  return jnp.tanh(a) * nn.sigmoid(b)


def shift_down(x):
  """[B, H, W, C] -> [B, H, W, C], row i of the output = row i - 1 of x, row 0 = zeros."""
  return jnp.pad(x, ((0, 0), (1, 0), (0, 0), (0, 0)))[:, :-1]


def horizontal_mask(width: int, mask_type: str) -> np.ndarray:
  """[width] of 0/1 for a horizontal kernel whose last tap is the current column."""
  if mask_type not in MASK_TYPES:
    raise ValueError(f"unknown mask type {mask_type!r}; known: {MASK_TYPES}")
  mask = np.ones(width, np.float32)
  if mask_type == "A":
    mask[-1] = 0.0
  return mask


def condition(features: int, cond, name: str):
  """The conditioning term V cond (broadcastable to [B, H, W, features]), or 0 without cond.

  cond: None, [B, D] (linear map, broadcast over positions) or [B, H, W, D] (1x1 conv). Must be
  called inside a compact method; `name` names the Dense layer so samplers can find its params.
  """
  if cond is None:
    return 0.0
  if cond.ndim == 2:
    return nn.Dense(features, name=name)(cond)[:, None, None, :]
  if cond.ndim == 4:
    return nn.Dense(features, name=name)(cond)
  raise ValueError(f"conditioning must be [B, D] or [B, H, W, D], got shape {cond.shape}")


class GatedResidualBlock(nn.Module):
  """x + 1x1(gate(masked_conv_B(x) + V cond)) with a single k x k masked convolution.

  The PixelCNN gated residual block of the appendix A table, kept for reference: stacking it
  inherits the blind spot of masked convolutions; the models use `GatedStackLayer` instead.
  """

  kernel_size: int

  @nn.compact
  def __call__(self, x, cond=None):
    """x: [B, H, W, C] -> [B, H, W, C]."""
    c = x.shape[-1]
    pre = MaskedConv2D(2 * c, self.kernel_size, "B", name="masked")(x)
    pre = pre + condition(2 * c, cond, "cond")
    return x + nn.Dense(c, name="out")(gate(pre))


class GatedConv1x1(nn.Module):
  """gate(1x1(h) + V cond): a per-position gated layer (the output head of the gated models)."""

  channels: int

  @nn.compact
  def __call__(self, h, cond=None):
    """h: [B, H, W, C_in] -> [B, H, W, channels]."""
    pre = nn.Dense(2 * self.channels, name="conv")(h)
    return gate(pre + condition(2 * self.channels, cond, "cond"))


class GatedStackLayer(nn.Module):
  """One layer of the vertical + horizontal gated stacks.

  Param names (read by the cached sampler): `v_conv` [(k//2+1), k, C_in, 2C] vertical kernel,
  `h_conv` [1, k//2+1, C_in, 2C] horizontal kernel (last tap masked when `first`), `v_to_h` 1x1
  from the down-shifted vertical pre-activation, `h_out` 1x1 after the gate, `v_cond` / `h_cond`
  the conditioning maps.
  """

  channels: int
  kernel_size: int
  first: bool  # type-A horizontal tap and no residual: the input is the image itself

  @nn.compact
  def __call__(self, v, h, cond=None):
    """v, h: [B, H, W, C_in] -> (v, h) [B, H, W, channels]."""
    k, p, c2 = self.kernel_size, self.kernel_size // 2, 2 * self.channels
    if k % 2 == 0:
      raise ValueError(f"gated stacks need an odd kernel size, got {k}")
    v_pre = nn.Conv(c2, (p + 1, k), padding=((p, 0), (p, p)), name="v_conv")(v)
    h_mask = horizontal_mask(p + 1, "A" if self.first else "B")
    h_mask = np.broadcast_to(h_mask[None, :, None, None], (1, p + 1, h.shape[-1], c2))
    h_pre = nn.Conv(c2, (1, p + 1), padding=((0, 0), (p, 0)), mask=jnp.asarray(h_mask),
                    name="h_conv")(h)
    h_pre = h_pre + nn.Dense(c2, name="v_to_h")(shift_down(v_pre))
    v_out = gate(v_pre + condition(c2, cond, "v_cond"))
    h_out = nn.Dense(self.channels, name="h_out")(gate(h_pre + condition(c2, cond, "h_cond")))
    if not self.first:
      h_out = h + h_out
    return v_out, h_out
