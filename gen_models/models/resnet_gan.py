"""The CIFAR-10 ResNet generator and critic of appendix B.3 (and their AC-GAN variants).

Generator: z [B, 128] -> linear to 4x4x128 -> log2(image_size / 4) up-sampling residual blocks
(3 for 32x32) -> BN, ReLU, 3x3 conv to C channels, tanh. Class-conditional batch norm when
`num_classes > 0`.
Critic: two down-sampling residual blocks, two plain ones, ReLU, global mean pool, linear to a
score; with `num_classes > 0` a second linear head gives AC-GAN class logits. No batch norm in
the critic for WGAN-GP (thesis section 3.4): its norm is "none" or per-example "layer_norm";
"batch_norm" (for the other objectives) always uses the statistics of the batch it is given.

`depth` (0: the B.3 layout above) makes both networks deep for the architecture zoo (section
3.5.1's "101-layer ResNet G and D"): depth counts the weight layers on the main path, two per
residual block plus the input and output layers, so there are (depth - 2) // 2 blocks (49 for
depth 101). The generator splits them into log2(image_size / 4) stages, each opened by an up
block (later stages get any remainder); the critic opens with B.3's down block and splits the
rest into a 16x16 stage closed by the second down block and an 8x8 stage of plain blocks (the
8x8 stage gets any remainder). Generator depth 8 (3 blocks) and critic depth 10 (4 blocks)
reproduce B.3.
"""

import math

import chex
import flax.linen as nn

from gen_models.nn.resblocks import ConditionalBatchNorm, ResidualBlock, conv_init


def blocks_for_depth(depth: int) -> int:
  """Residual blocks of a network with `depth` main-path weight layers (see the docstring)."""
  return (depth - 2) // 2


def stage_sizes(num_blocks: int, num_stages: int) -> list[int]:
  """num_blocks split into num_stages near-equal parts, the remainder to the last stages."""
  base, extra = divmod(num_blocks, num_stages)
  return [base + (1 if i >= num_stages - extra else 0) for i in range(num_stages)]


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
  depth: int = 0  # 0: appendix B.3 (one up block per doubling)

  def plan(self) -> list:
    """The blocks' resampling, in order: 'up' opens each stage, None is a plain block."""
    ups = num_up_blocks(self.image_size, self.base_size)
    blocks = blocks_for_depth(self.depth) if self.depth else ups
    if blocks < ups:
      raise ValueError(f"ResNet generator depth {self.depth} gives {blocks} residual blocks, "
                       f"fewer than the {ups} up-sampling ones {self.image_size}x"
                       f"{self.image_size} needs (depth >= {2 * ups + 2})")
    return [r for n in stage_sizes(blocks, ups) for r in ["up"] + [None] * (n - 1)]

  @nn.compact
  def __call__(self, z, labels=None, train: bool = True):
    chex.assert_rank(z, 2)
    s = self.base_size
    h = nn.Dense(s * s * self.width, name="linear")(z).reshape(z.shape[0], s, s, self.width)
    for i, resample in enumerate(self.plan()):
      h = ResidualBlock(self.width, resample, "batch_norm", self.num_classes, name=f"block_{i}")(
          h, labels, train)
    h = nn.relu(ConditionalBatchNorm(self.num_classes, name="norm_out")(h, labels, train))
    h = nn.Conv(self.channels, (3, 3), padding="SAME", kernel_init=conv_init, name="conv_out")(h)
    return nn.tanh(h)


class ResNetCritic(nn.Module):
  """x [B, H, W, C] -> scores [B], or (scores [B], class logits [B, K]) when num_classes > 0."""

  width: int = 128
  norm: str = "none"
  num_classes: int = 0
  depth: int = 0  # 0: appendix B.3 (down, down, plain, plain)

  def plan(self) -> list:
    """The blocks' resampling, in order: B.3's down block, a 16x16 stage closed by the second
    down block, then the 8x8 stage of plain blocks."""
    blocks = blocks_for_depth(self.depth) if self.depth else 4
    if blocks < 2:
      raise ValueError(f"ResNet critic depth {self.depth} gives {blocks} residual blocks; it "
                       f"needs at least 2, the down-sampling ones (depth >= 6)")
    mid = max(1, (blocks - 1) // 2)  # the 16x16 stage, its closing down block included
    return ["down"] + [None] * (mid - 1) + ["down"] + [None] * (blocks - 1 - mid)

  @nn.compact
  def __call__(self, x):
    chex.assert_rank(x, 4)
    h = x
    for i, resample in enumerate(self.plan()):
      h = ResidualBlock(self.width, resample, self.norm, preactivate=i > 0, name=f"block_{i}")(h)
    features = nn.relu(h).mean(axis=(1, 2))  # [B, width]
    scores = nn.Dense(1, name="linear")(features)[:, 0]
    if self.num_classes == 0:
      return scores
    return scores, nn.Dense(self.num_classes, name="classifier")(features)
