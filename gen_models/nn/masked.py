"""Masked convolutions of PixelCNN (van den Oord et al. 2016a, thesis section 1.6.3).

Pixels are ordered in raster order (rows top to bottom, left to right within a row). A type-A
mask hides the centre tap, so a first layer never sees the pixel it predicts; a type-B mask keeps
it, because in later layers the centre holds features of the pixels *before* the centre.

Only single-channel images are supported: the RGB channel grouping of the original PixelCNN (R
before G before B inside one pixel) is not implemented, so every input channel is treated as one
pixel's features (fine for binarized MNIST and for conditioning features).
"""

import flax.linen as nn
import jax.numpy as jnp
import numpy as np

MASK_TYPES = ("A", "B")


def causal_mask(kernel_h: int, kernel_w: int, mask_type: str) -> np.ndarray:
  """[kernel_h, kernel_w] of 0/1: taps strictly above the centre row, and taps left of the centre
  in the centre row; the centre itself only for type B."""
  if mask_type not in MASK_TYPES:
    raise ValueError(f"unknown mask type {mask_type!r}; known: {MASK_TYPES}")
  if kernel_h % 2 == 0 or kernel_w % 2 == 0:
    raise ValueError(f"masked convolutions need odd kernel sizes, got {kernel_h}x{kernel_w}")
  mask = np.zeros((kernel_h, kernel_w), np.float32)
  cy, cx = kernel_h // 2, kernel_w // 2
  mask[:cy, :] = 1.0
  mask[cy, :cx] = 1.0
  if mask_type == "B":
    mask[cy, cx] = 1.0
  return mask


class MaskedConv2D(nn.Module):
  """k x k convolution with a PixelCNN mask, 'SAME' padding: [B, H, W, C_in] -> [B, H, W, F].

  The stored `kernel` param is unmasked; the mask multiplies it on every call (flax's `Conv.mask`),
  so masked taps get zero gradient and never influence outputs.
  """

  features: int
  kernel_size: int
  mask_type: str

  @nn.compact
  def __call__(self, x):
    k = self.kernel_size
    mask = causal_mask(k, k, self.mask_type)
    full_mask = np.broadcast_to(mask[:, :, None, None], (k, k, x.shape[-1], self.features))
    return nn.Conv(self.features, (k, k), padding="SAME", mask=jnp.asarray(full_mask),
                   name="conv")(x)


class MaskedResidualBlock(nn.Module):
  """h + relu(masked_conv_B(h)): the ungated PixelCNN / PixelVAE residual layer."""

  kernel_size: int

  @nn.compact
  def __call__(self, h):
    """h: [B, H, W, C] -> [B, H, W, C]."""
    return h + nn.relu(MaskedConv2D(h.shape[-1], self.kernel_size, "B", name="masked")(h))
