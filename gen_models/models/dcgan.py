"""DCGAN generator and discriminator (Radford et al.) for 32x32 (CIFAR-10) and 28x28 (MNIST).

Generator: z -> linear to 4x4x(4w), BN, ReLU -> 5x5 stride-2 transposed convs to 8x8x(2w),
16x16x(w) (each BN, ReLU) -> 32x32xC, tanh. For 28x28 the 8x8 map is cropped to 7x7 so the
two remaining doublings give 14x14 and 28x28 (the WGAN-GP authors' MNIST DCGAN).
Discriminator: 5x5 stride-2 convs to w, 2w, 4w channels with leaky ReLU(0.2), flatten, linear.
No batch norm in the discriminator: WGAN-GP forbids it (section 3.4) and Chapter 4 omits it
(batch statistics would leak the batch's distribution); layer norm is the optional replacement.
"""

import chex
import flax.linen as nn
import jax.numpy as jnp

IMAGE_SIZES = (28, 32)
OUTPUT_ACTIVATIONS = {"tanh": jnp.tanh, "sigmoid": nn.sigmoid}


class DCGANGenerator(nn.Module):
  """z [B, latent] -> images [B, image_size, image_size, channels]."""

  width: int = 64
  channels: int = 3
  image_size: int = 32
  norm: str = "batch_norm"  # or "none"
  output_activation: str = "tanh"

  @nn.compact
  def __call__(self, z, train: bool = True):
    chex.assert_rank(z, 2)
    if self.image_size not in IMAGE_SIZES:
      raise ValueError(f"DCGAN image_size must be one of {IMAGE_SIZES}, got {self.image_size}")
    if self.output_activation not in OUTPUT_ACTIVATIONS:
      raise ValueError(f"unknown output_activation {self.output_activation!r}; "
                       f"known: {sorted(OUTPUT_ACTIVATIONS)}")

    def norm_relu(h, name):
      if self.norm == "batch_norm":
        h = nn.BatchNorm(use_running_average=not train, momentum=0.9, name=name)(h)
      elif self.norm != "none":
        raise ValueError(f"unknown DCGAN generator norm {self.norm!r}; known: batch_norm, none")
      return nn.relu(h)

    w = self.width
    h = nn.Dense(4 * 4 * 4 * w, name="linear")(z).reshape(z.shape[0], 4, 4, 4 * w)
    h = norm_relu(h, "norm_0")
    for i, features in enumerate((2 * w, w)):
      h = nn.ConvTranspose(features, (5, 5), strides=(2, 2), padding="SAME", name=f"deconv_{i}")(h)
      if i == 0 and self.image_size == 28:
        h = h[:, :7, :7, :]
      h = norm_relu(h, f"norm_{i + 1}")
    h = nn.ConvTranspose(self.channels, (5, 5), strides=(2, 2), padding="SAME", name="deconv_out")(h)
    return OUTPUT_ACTIVATIONS[self.output_activation](h)


class DCGANCritic(nn.Module):
  """x [B, H, W, C] -> scores (logits for the DCGAN objective) [B]."""

  width: int = 64
  norm: str = "none"  # or "layer_norm"

  @nn.compact
  def __call__(self, x):
    chex.assert_rank(x, 4)
    h = x
    for i, features in enumerate((self.width, 2 * self.width, 4 * self.width)):
      h = nn.Conv(features, (5, 5), strides=(2, 2), padding="SAME", name=f"conv_{i}")(h)
      if self.norm == "layer_norm" and i > 0:  # Radford et al. normalise all but the first
        h = nn.LayerNorm(reduction_axes=(1, 2, 3), feature_axes=-1, name=f"norm_{i}")(h)
      elif self.norm not in ("none", "layer_norm"):
        raise ValueError(f"unknown DCGAN critic norm {self.norm!r}; known: none, layer_norm")
      h = nn.leaky_relu(h, 0.2)
    return nn.Dense(1, name="linear")(h.reshape(h.shape[0], -1))[:, 0]
