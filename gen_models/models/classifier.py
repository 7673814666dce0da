"""A compact CIFAR-10 classifier: the feature and logit network of the project's offline
classifier score and classifier Frechet distance (gen_models/evaluation/offline_score.py).

ResNet-9-style layout (conv-pool stages, two of them followed by a residual block), scaled down so
that a 2-core CPU trains it to a useful accuracy in minutes:

  stem   conv3x3(w0)                                    32x32
  stage1 conv3x3(w1) -> maxpool2 -> residual(w1)        16x16
  stage2 conv3x3(w2) -> maxpool2                         8x8
  stage3 conv3x3(w3) -> maxpool2 -> residual(w3)         4x4
  global average pool -> features [B, w3] -> dense -> logits [B, 10]

Every conv is followed by batch norm and ReLU. Evaluation (`train=False`) uses the running
batch statistics, so an image's features never depend on the other images in its batch.
"""

from typing import Sequence

import chex
import flax.linen as nn
import jax.numpy as jnp


class ConvBN(nn.Module):
  """conv3x3 (no bias: batch norm supplies it) -> [maxpool2] -> batch norm -> ReLU."""

  features: int
  pool: bool = False
  bn_momentum: float = 0.9

  @nn.compact
  def __call__(self, x, train: bool):
    x = nn.Conv(self.features, (3, 3), padding="SAME", use_bias=False)(x)
    if self.pool:
      x = nn.max_pool(x, (2, 2), strides=(2, 2))
    x = nn.BatchNorm(use_running_average=not train, momentum=self.bn_momentum)(x)
    return nn.relu(x)


class Residual(nn.Module):
  """x + ConvBN(ConvBN(x))."""

  features: int
  bn_momentum: float = 0.9

  @nn.compact
  def __call__(self, x, train: bool):
    h = ConvBN(self.features, bn_momentum=self.bn_momentum, name="conv_a")(x, train)
    h = ConvBN(self.features, bn_momentum=self.bn_momentum, name="conv_b")(h, train)
    return x + h


class CifarClassifier(nn.Module):
  """images [B, 32, 32, 3] in [-1, 1] -> {'features': [B, widths[-1]], 'logits': [B, classes]}."""

  widths: Sequence[int] = (32, 64, 128, 256)
  num_classes: int = 10
  bn_momentum: float = 0.9

  @nn.compact
  def __call__(self, x, train: bool = False):
    chex.assert_rank(x, 4)
    if len(self.widths) != 4:
      raise ValueError(f"CifarClassifier needs 4 widths (stem, 3 stages), got {self.widths}")
    w0, w1, w2, w3 = self.widths
    m = self.bn_momentum
    x = ConvBN(w0, bn_momentum=m, name="stem")(x, train)
    x = ConvBN(w1, pool=True, bn_momentum=m, name="stage1")(x, train)
    x = Residual(w1, bn_momentum=m, name="res1")(x, train)
    x = ConvBN(w2, pool=True, bn_momentum=m, name="stage2")(x, train)
    x = ConvBN(w3, pool=True, bn_momentum=m, name="stage3")(x, train)
    x = Residual(w3, bn_momentum=m, name="res3")(x, train)
    features = jnp.mean(x, axis=(1, 2))  # [B, w3], the Frechet-distance features
    logits = nn.Dense(self.num_classes, name="logits")(features)
    return {"features": features, "logits": logits}


def build_classifier(cfg) -> CifarClassifier:
  """From a config with `widths`, `num_classes` and `bn_momentum` (see presets/classifier.py)."""
  if cfg.name != "cifar_resnet":
    raise ValueError(f"unknown classifier {cfg.name!r}; known: ['cifar_resnet']")
  return CifarClassifier(widths=tuple(cfg.widths), num_classes=cfg.num_classes,
                         bn_momentum=cfg.bn_momentum)
