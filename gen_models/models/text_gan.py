"""The 1-D CNNs of the character-level WGAN-GP language model (thesis section 3.5.4, table 3.1).

Following the WGAN-GP authors' setup: the generator maps z [B, 128] linearly to a [B, L, w]
sequence, applies `num_blocks` residual blocks, then a 1x1 convolution to V logits and a
softmax over V at every position (no sampling: the critic sees the distributions). The critic
maps one-hot (or softmax) sequences [B, L, V] through a 1x1 convolution to w channels, the same
residual blocks, and a linear layer on the flattened [L * w] features to a score.
Residual block: x + residual_scale * conv5(relu(conv5(relu(x)))), with scale 0.3.
"""

import chex
import flax.linen as nn
import jax


class ResBlock1D(nn.Module):
  """[B, L, C] -> [B, L, C]."""

  kernel_size: int = 5
  residual_scale: float = 0.3

  @nn.compact
  def __call__(self, x):
    channels = x.shape[-1]
    h = nn.Conv(channels, (self.kernel_size,), padding="SAME", name="conv_0")(nn.relu(x))
    h = nn.Conv(channels, (self.kernel_size,), padding="SAME", name="conv_1")(nn.relu(h))
    return x + self.residual_scale * h


class TextCNNGenerator(nn.Module):
  """z [B, latent] -> per-position character distributions [B, seq_len, vocab_size]."""

  vocab_size: int
  seq_len: int = 32
  width: int = 512
  num_blocks: int = 5
  kernel_size: int = 5
  residual_scale: float = 0.3

  @nn.compact
  def __call__(self, z, train: bool = True):
    del train  # no batch statistics
    chex.assert_rank(z, 2)
    h = nn.Dense(self.seq_len * self.width, name="linear")(z)
    h = h.reshape(z.shape[0], self.seq_len, self.width)
    for i in range(self.num_blocks):
      h = ResBlock1D(self.kernel_size, self.residual_scale, name=f"block_{i}")(h)
    logits = nn.Conv(self.vocab_size, (1,), name="conv_out")(h)
    return jax.nn.softmax(logits, axis=-1)


class TextCNNCritic(nn.Module):
  """x [B, seq_len, vocab_size] -> scores [B]."""

  width: int = 512
  num_blocks: int = 5
  kernel_size: int = 5
  residual_scale: float = 0.3

  @nn.compact
  def __call__(self, x):
    chex.assert_rank(x, 3)
    h = nn.Conv(self.width, (1,), name="conv_in")(x)
    for i in range(self.num_blocks):
      h = ResBlock1D(self.kernel_size, self.residual_scale, name=f"block_{i}")(h)
    return nn.Dense(1, name="linear")(h.reshape(h.shape[0], -1))[:, 0]
