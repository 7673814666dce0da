"""Convolutional VAE for 28x28 binarized MNIST (thesis appendix A.0.5, MNIST table).

The encoder and the upsampling decoder are shared with the PixelVAE models; every convolution is
3x3 with ReLU, `channels` is the table's 32 and `2 * channels` its 64. No batch norm, so a model's
state is its params only.
"""

import chex
import flax.linen as nn
import jax.numpy as jnp

IMAGE_SHAPE = (28, 28, 1)


def check_images(x):
  chex.assert_rank(x, 4)
  if tuple(x.shape[1:]) != IMAGE_SHAPE:
    raise ValueError(f"expected images [B, 28, 28, 1], got shape {tuple(x.shape)}")


class Encoder(nn.Module):
  """x [B, 28, 28, 1] -> (mean [B, Z], log_var [B, Z]) of the diagonal Gaussian q(z|x)."""

  latent_dim: int
  channels: int = 32

  @nn.compact
  def __call__(self, x):
    check_images(x)
    c1, c2 = self.channels, 2 * self.channels
    conv = lambda f, s, i: nn.Conv(f, (3, 3), strides=(s, s), padding="SAME", name=f"conv_{i}")
    h = x
    for i, (f, s) in enumerate([(c1, 1), (c1, 2), (c1, 1), (c2, 2)]):
      h = nn.relu(conv(f, s, i)(h))  # 28 -> 14 -> 7
    h = jnp.pad(h, ((0, 0), (0, 1), (0, 1), (0, 0)))  # 7x7 -> 8x8 so two halvings stay exact
    for i, (f, s) in enumerate([(c2, 1), (c2, 2), (c2, 1), (c2, 1), (c2, 1)], start=4):
      h = nn.relu(conv(f, s, i)(h))  # 8 -> 4
    h = nn.Dense(2 * self.latent_dim, name="out")(h.reshape(h.shape[0], -1))
    mean, log_var = jnp.split(h, 2, axis=-1)
    return mean, log_var


class UpsamplingDecoder(nn.Module):
  """z [B, Z] -> features [B, 28, 28, channels] (the decoder table up to the PixelCNN layers)."""

  channels: int = 32

  @nn.compact
  def __call__(self, z):
    chex.assert_rank(z, 2)
    c1, c2 = self.channels, 2 * self.channels
    conv = lambda f, i: nn.Conv(f, (3, 3), padding="SAME", name=f"conv_{i}")
    up = lambda f, i: nn.ConvTranspose(f, (3, 3), strides=(2, 2), padding="SAME", name=f"up_{i}")
    h = nn.relu(nn.Dense(4 * 4 * c2, name="in")(z)).reshape(z.shape[0], 4, 4, c2)
    h = nn.relu(conv(c2, 0)(h))
    h = nn.relu(conv(c2, 1)(h))
    h = nn.relu(up(c2, 0)(h))  # 4 -> 8
    h = nn.relu(conv(c2, 2)(h))
    h = h[:, :7, :7]  # the encoder's 7 -> 8 padding, undone
    h = nn.relu(up(c1, 1)(h))  # 7 -> 14
    h = nn.relu(conv(c1, 3)(h))
    h = nn.relu(up(c1, 2)(h))  # 14 -> 28
    return nn.relu(conv(c1, 4)(h))


class ConvVAE(nn.Module):
  """VAE with a factorized Bernoulli decoder: one logit per pixel from a 1x1 conv."""

  latent_dim: int
  channels: int = 32

  has_latent = True
  is_autoregressive = False

  def setup(self):
    self.encoder = Encoder(self.latent_dim, self.channels)
    self.decoder = UpsamplingDecoder(self.channels)
    self.out = nn.Dense(1)

  def encode(self, x):
    """x [B, 28, 28, 1] in {0, 1} -> (mean, log_var) [B, Z]."""
    return self.encoder(x)

  def decode(self, z, x=None):
    """z [B, Z] -> Bernoulli logits [B, 28, 28, 1]; x is ignored (no autoregression)."""
    del x
    chex.assert_shape(z, (None, self.latent_dim))
    return self.out(self.decoder(z))

  def __call__(self, x, z):
    """decode(z, x), after running encode so `init` creates every parameter."""
    self.encode(x)
    return self.decode(z, x)
