"""The CIFAR-10 ResNet generator and critic of appendix B.3 (and their AC-GAN variants).

Generator: z [B, 128] -> linear to 4x4x128 -> log2(image_size / 4) up-sampling residual blocks
(3 for 32x32) -> BN, ReLU, 3x3 conv to C channels, tanh. Class-conditional batch norm when
`num_classes > 0`.
Critic: two down-sampling residual blocks, two plain ones, ReLU, global mean pool, linear to a
score; with `num_classes > 0` a second linear head gives AC-GAN class logits. No batch norm in
the critic (thesis section 3.4): its norm is "none" or per-example "layer_norm".
"""

import math

import chex
import flax.linen as nn

from gen_models.nn.resblocks import ConditionalBatchNorm, ResidualBlock, conv_init


def num_up_blocks(image_size: int, base_size: int = 4) -> int:
  n = math.log2(image_size / base_size) if image_size >= base_size else -1.0
  if n < 1 or n != int(n):
    raise ValueError(f"ResNet generator image_size must be {base_size} x 2^k (k >= 1), "
                     f"got {image_size}")
  return int(n)


class ResNetGenerator(nn.Module):
  """(z [B, latent], labels [B] or None) -> images [B, image_size, image_size, channels]."""

  width: int = 128
  channels: int = 3
  image_size: int = 32
  num_classes: int = 0
  base_size: int = 4

  @nn.compact
  def __call__(self, z, labels=None, train: bool = True):
    chex.assert_rank(z, 2)
    s = self.base_size
    h = nn.Dense(s * s * self.width, name="linear")(z).reshape(z.shape[0], s, s, self.width)
    for i in range(num_up_blocks(self.image_size, s)):
      h = ResidualBlock(self.width, "up", "batch_norm", self.num_classes, name=f"block_{i}")(
          h, labels, train)
    h = nn.relu(ConditionalBatchNorm(self.num_classes, name="norm_out")(h, labels, train))
    h = nn.Conv(self.channels, (3, 3), padding="SAME", kernel_init=conv_init, name="conv_out")(h)
    return nn.tanh(h)


class ResNetCritic(nn.Module):
  """x [B, H, W, C] -> scores [B], or (scores [B], class logits [B, K]) when num_classes > 0."""

  width: int = 128
  norm: str = "none"
  num_classes: int = 0

  @nn.compact
  def __call__(self, x):
    chex.assert_rank(x, 4)
    h = ResidualBlock(self.width, "down", self.norm, preactivate=False, name="block_0")(x)
    h = ResidualBlock(self.width, "down", self.norm, name="block_1")(h)
    h = ResidualBlock(self.width, None, self.norm, name="block_2")(h)
    h = ResidualBlock(self.width, None, self.norm, name="block_3")(h)
    features = nn.relu(h).mean(axis=(1, 2))  # [B, width]
    scores = nn.Dense(1, name="linear")(features)[:, 0]
    if self.num_classes == 0:
      return scores
    return scores, nn.Dense(self.num_classes, name="classifier")(features)
