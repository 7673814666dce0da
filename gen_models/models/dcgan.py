"""DCGAN generator and discriminator (Radford et al.) for 32x32 (CIFAR-10), 28x28 (MNIST) and
64x64 (LSUN bedrooms, the thesis' section 3.5.1 setting, from an image folder).

Generator: z -> linear to 4x4x(4w), BN, ReLU -> 5x5 stride-2 transposed convs to 8x8x(2w),
16x16x(w) (each BN, ReLU) -> 32x32xC, tanh. For 28x28 the 8x8 map is cropped to 7x7 so the
two remaining doublings give 14x14 and 28x28 (the WGAN-GP authors' MNIST DCGAN). For 64x64 the
linear layer makes 4x4x(8w) and one more doubling (8w, 4w, 2w, w) precedes the output layer.
Discriminator: 5x5 stride-2 convs to w, 2w, 4w channels with leaky ReLU(0.2), flatten, linear.
No batch norm in the discriminator by default: WGAN-GP forbids it (section 3.4) and Chapter 4
omits it (batch statistics would leak the batch's distribution); layer norm is the penalty's
replacement, and batch norm is the option for the other objectives (section 3.5.1's baseline).

Options for the architecture zoo of section 3.5.1 (defaults give the plain DCGAN above):
`constant_width` (every generator layer w filters, "no BN and a constant number of filters"),
`activation` ('relu' / 'leaky_relu' / 'tanh', or 'gated': each layer emits 2F channels, its
norm acts on all 2F, and tanh(a) * sigmoid(b) of the two halves gives F).
"""

import chex
import flax.linen as nn
import jax.numpy as jnp

from gen_models.nn.gated import gate

IMAGE_SIZES = (28, 32, 64)
OUTPUT_ACTIVATIONS = {"tanh": jnp.tanh, "sigmoid": nn.sigmoid}
ACTIVATIONS = {"relu": nn.relu, "leaky_relu": lambda h: nn.leaky_relu(h, 0.2), "tanh": jnp.tanh,
               "gated": gate}


def _check_activation(name: str) -> int:
  """-> the channel multiplier of activation `name` (2 for the gate, which halves them)."""
  if name not in ACTIVATIONS:
    raise ValueError(f"unknown DCGAN activation {name!r}; known: {sorted(ACTIVATIONS)}")
  return 2 if name == "gated" else 1


class DCGANGenerator(nn.Module):
  """z [B, latent] -> images [B, image_size, image_size, channels]."""

  width: int = 64
  channels: int = 3
  image_size: int = 32
  norm: str = "batch_norm"  # or "none"
  output_activation: str = "tanh"
  activation: str = "relu"
  constant_width: bool = False

  @nn.compact
  def __call__(self, z, train: bool = True):
    chex.assert_rank(z, 2)
    if self.image_size not in IMAGE_SIZES:
      raise ValueError(f"DCGAN image_size must be one of {IMAGE_SIZES}, got {self.image_size}")
    if self.output_activation not in OUTPUT_ACTIVATIONS:
      raise ValueError(f"unknown output_activation {self.output_activation!r}; "
                       f"known: {sorted(OUTPUT_ACTIVATIONS)}")
    if self.norm not in ("batch_norm", "none"):
      raise ValueError(f"unknown DCGAN generator norm {self.norm!r}; known: batch_norm, none")
    k = _check_activation(self.activation)

    def norm_act(h, name):
      if self.norm == "batch_norm":
        h = nn.BatchNorm(use_running_average=not train, momentum=0.9, name=name)(h)
      return ACTIVATIONS[self.activation](h)

    w = self.width
    multipliers = (8, 4, 2, 1) if self.image_size == 64 else (4, 2, 1)
    widths = tuple(w if self.constant_width else m * w for m in multipliers)
    h = nn.Dense(4 * 4 * widths[0] * k, name="linear")(z).reshape(z.shape[0], 4, 4, -1)
    h = norm_act(h, "norm_0")
    for i, features in enumerate(widths[1:]):
      h = nn.ConvTranspose(k * features, (5, 5), strides=(2, 2), padding="SAME",
                           name=f"deconv_{i}")(h)
      if i == 0 and self.image_size == 28:
        h = h[:, :7, :7, :]
      h = norm_act(h, f"norm_{i + 1}")
    h = nn.ConvTranspose(self.channels, (5, 5), strides=(2, 2), padding="SAME", name="deconv_out")(h)
    return OUTPUT_ACTIVATIONS[self.output_activation](h)


CRITIC_NORMS = ("none", "layer_norm", "batch_norm")


class DCGANCritic(nn.Module):
  """x [B, H, W, C] -> scores (logits for the DCGAN objective) [B].

  norm 'batch_norm' always normalizes with the statistics of the batch it is given (no running
  averages): the task applies it with a mutable, discarded `batch_stats` collection.
  """

  width: int = 64
  norm: str = "none"  # or "layer_norm", "batch_norm"
  activation: str = "leaky_relu"

  @nn.compact
  def __call__(self, x):
    chex.assert_rank(x, 4)
    if self.norm not in CRITIC_NORMS:
      raise ValueError(f"unknown DCGAN critic norm {self.norm!r}; known: {CRITIC_NORMS}")
    k = _check_activation(self.activation)
    h = x
    for i, features in enumerate((self.width, 2 * self.width, 4 * self.width)):
      h = nn.Conv(k * features, (5, 5), strides=(2, 2), padding="SAME", name=f"conv_{i}")(h)
      if i > 0:  # Radford et al. normalise all but the first layer
        if self.norm == "layer_norm":
          h = nn.LayerNorm(reduction_axes=(1, 2, 3), feature_axes=-1, name=f"norm_{i}")(h)
        elif self.norm == "batch_norm":
          h = nn.BatchNorm(use_running_average=False, momentum=0.9, name=f"norm_{i}")(h)
      h = ACTIVATIONS[self.activation](h)
    return nn.Dense(1, name="linear")(h.reshape(h.shape[0], -1))[:, 0]
