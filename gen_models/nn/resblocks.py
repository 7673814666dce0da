"""Pre-activation residual blocks for the image GANs of appendix B.3, and their resampling.

Layout is NHWC: x is [B, H, W, C]. A block computes
  up:    shortcut(x) + conv(relu(norm(conv(upsample(relu(norm(x)))))))
  down:  shortcut(x) + meanpool(conv(relu(norm(conv(relu(norm(x)))))))
  plain: shortcut(x) + conv(relu(norm(conv(relu(norm(x))))))
following the WGAN-GP authors' CIFAR-10 ResNet (the thesis defers to it for details): the
generator upsamples by nearest neighbour before a block's first convolution, the critic mean
pools after its second; the shortcut is a 1x1 convolution whenever the block resamples or
changes the width, the identity otherwise.
"""

from typing import Optional

import chex
import flax.linen as nn
import jax.numpy as jnp

NORMS = ("none", "batch_norm", "layer_norm")

# He-style uniform init over fan_avg, as in the WGAN-GP authors' residual convolutions.
conv_init = nn.initializers.variance_scaling(2.0, "fan_avg", "uniform")
shortcut_init = nn.initializers.variance_scaling(1.0, "fan_avg", "uniform")


def upsample_nearest(x):
  """Nearest-neighbour 2x upsampling. [B, H, W, C] -> [B, 2H, 2W, C]."""
  return jnp.repeat(jnp.repeat(x, 2, axis=1), 2, axis=2)


def mean_pool(x):
  """2x2 mean pooling with stride 2. [B, H, W, C] -> [B, H/2, W/2, C]."""
  b, h, w, c = x.shape
  if h % 2 or w % 2:
    raise ValueError(f"mean_pool needs even height and width, got {h}x{w}")
  return x.reshape(b, h // 2, 2, w // 2, 2, c).mean(axis=(2, 4))


class ConditionalBatchNorm(nn.Module):
  """Batch norm whose scale and offset are looked up per class (de Vries et al.; AC-GAN G).

  x: [B, ..., C], labels: [B] int. With `num_classes == 0` it is ordinary batch norm with one
  learned scale and offset. Per-class scales start at 1 and offsets at 0, so every class starts
  from the same function and training separates them.
  """

  num_classes: int = 0
  momentum: float = 0.9
  epsilon: float = 1e-5

  @nn.compact
  def __call__(self, x, labels=None, train: bool = True):
    if self.num_classes == 0:
      return nn.BatchNorm(use_running_average=not train, momentum=self.momentum,
                          epsilon=self.epsilon, name="bn")(x)
    if labels is None:
      raise ValueError("ConditionalBatchNorm with num_classes > 0 needs labels")
    chex.assert_shape(labels, (x.shape[0],))
    h = nn.BatchNorm(use_running_average=not train, momentum=self.momentum,
                     epsilon=self.epsilon, use_scale=False, use_bias=False, name="bn")(x)
    c = x.shape[-1]
    scale = self.param("class_scale", nn.initializers.ones, (self.num_classes, c))
    offset = self.param("class_offset", nn.initializers.zeros, (self.num_classes, c))
    bshape = (x.shape[0],) + (1,) * (x.ndim - 2) + (c,)
    return h * scale[labels].reshape(bshape) + offset[labels].reshape(bshape)


class Normalize(nn.Module):
  """The block's normalization by name: none, (conditional) batch norm, or per-example layer
  norm over H, W, C (the critic's option: it keeps examples independent for the penalty)."""

  kind: str = "none"
  num_classes: int = 0

  @nn.compact
  def __call__(self, x, labels=None, train: bool = True):
    if self.kind == "none":
      return x
    if self.kind == "batch_norm":
      return ConditionalBatchNorm(self.num_classes, name="cbn")(x, labels, train)
    if self.kind == "layer_norm":
      return nn.LayerNorm(reduction_axes=(1, 2, 3), feature_axes=-1, name="ln")(x)
    raise ValueError(f"unknown norm {self.kind!r}; known: {NORMS}")


class ResidualBlock(nn.Module):
  """A pre-activation residual block with two 3x3 convolutions. [B, H, W, Cin] -> [B, H', W', F].

  resample: None, "up" (H' = 2H) or "down" (H' = H/2).
  preactivate: False for a critic's first block, which sees raw pixels: it skips the leading
    norm + ReLU (the WGAN-GP authors' first critic block).
  """

  features: int
  resample: Optional[str] = None
  norm: str = "none"
  num_classes: int = 0
  preactivate: bool = True

  @nn.compact
  def __call__(self, x, labels=None, train: bool = True):
    chex.assert_rank(x, 4)
    if self.resample not in (None, "up", "down"):
      raise ValueError(f"unknown resample {self.resample!r}; known: None, 'up', 'down'")
    conv = lambda name: nn.Conv(self.features, (3, 3), padding="SAME", kernel_init=conv_init,
                                name=name)
    h = x
    if self.preactivate:
      h = nn.relu(Normalize(self.norm, self.num_classes, name="norm_1")(h, labels, train))
    if self.resample == "up":
      h = upsample_nearest(h)
    h = conv("conv_1")(h)
    h = nn.relu(Normalize(self.norm, self.num_classes, name="norm_2")(h, labels, train))
    h = conv("conv_2")(h)
    if self.resample == "down":
      h = mean_pool(h)
    return self._shortcut(x) + h

  def _shortcut(self, x):
    if self.resample is None and x.shape[-1] == self.features:
      return x
    project = nn.Conv(self.features, (1, 1), kernel_init=shortcut_init, name="shortcut")
    if self.resample == "up":
      return project(upsample_nearest(x))
    if self.resample == "down":
      # A 1x1 conv (with bias) commutes with mean pooling; pooling first is 4x cheaper.
      return project(mean_pool(x))
    return project(x)


def depth_to_space(x, block: int = 2):
  """[B, H, W, C * block^2] -> [B, block H, block W, C] (TensorFlow's depth_to_space order)."""
  b, h, w, c = x.shape
  out = c // (block * block)
  x = x.reshape(b, h, w, block, block, out)
  return x.transpose(0, 1, 3, 2, 4, 5).reshape(b, h * block, w * block, out)


class ELUResidualBlock(nn.Module):
  """The hierarchical PixelVAE's pre-activation residual block (thesis appendix, "LSUN bedrooms
  and 64x64 ImageNet"): x + conv2(elu(bn(conv1(elu(bn(x)))))), two 3x3 convolutions, ELU, batch
  norm. `resample` "down": the second conv has stride 2; "up": the first conv is a sub-pixel
  conv (3x3 to 4F channels, then depth_to_space). The shortcut is the identity when the shape
  is kept, else a 1x1 conv resampled the same way (stride 2, or sub-pixel)."""

  features: int
  resample: Optional[str] = None

  @nn.compact
  def __call__(self, x, train: bool = True):
    chex.assert_rank(x, 4)
    if self.resample not in (None, "up", "down"):
      raise ValueError(f"unknown resample {self.resample!r}; known: None, 'up', 'down'")
    f = self.features
    bn = lambda name: nn.BatchNorm(use_running_average=not train, momentum=0.9, name=name)
    h = nn.elu(bn("bn_1")(x))
    if self.resample == "up":
      h = depth_to_space(nn.Conv(4 * f, (3, 3), padding="SAME", kernel_init=conv_init,
                                 name="conv_1")(h))
    else:
      h = nn.Conv(f, (3, 3), padding="SAME", kernel_init=conv_init, name="conv_1")(h)
    h = nn.elu(bn("bn_2")(h))
    stride = 2 if self.resample == "down" else 1
    h = nn.Conv(f, (3, 3), strides=(stride, stride), padding="SAME", kernel_init=conv_init,
                name="conv_2")(h)
    if self.resample is None and x.shape[-1] == f:
      return x + h
    if self.resample == "up":
      short = depth_to_space(nn.Conv(4 * f, (1, 1), kernel_init=shortcut_init,
                                     name="shortcut")(x))
    else:
      short = nn.Conv(f, (1, 1), strides=(stride, stride), kernel_init=shortcut_init,
                      name="shortcut")(x)
    return short + h
