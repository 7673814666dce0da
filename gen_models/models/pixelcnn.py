"""PixelCNN and Gated PixelCNN over binary single-channel images (thesis sections 1.6.3, 2.4.1).

Both map x [B, H, W, 1] in {0, 1} to Bernoulli logits [B, H, W, 1]; logit (i, j) depends only on
the pixels before (i, j) in raster order (and on the conditioning, for the PixelVAE decoders).

`num_layers` counts every masked layer: the first (type A, `first_kernel_size`, 7x7 in the
appendix table) plus `num_layers - 1` type-B layers of `kernel_size` (5x5). The appendix writes
the same architecture as "7x7 block, then [5x5] x N", so our num_layers is the table's N + 1.
"""

import chex
import flax.linen as nn
import jax.numpy as jnp

from gen_models.nn.gated import GatedConv1x1, GatedStackLayer
from gen_models.nn.masked import MaskedConv2D, MaskedResidualBlock


def check_binary_images(x):
  chex.assert_rank(x, 4)
  if x.shape[-1] != 1:
    raise ValueError(f"PixelCNNs here model single-channel images [B, H, W, 1], got {x.shape}")


class PixelCNN(nn.Module):
  """Masked conv A, then residual masked conv B layers (ReLU), two 1x1 ReLU layers, 1 logit.

  `features` [B, H, W, D] (the PixelVAE decoder's upsampled z) enter the first layer as if
  concatenated with the image: they get their own unmasked k x k kernel, because they are a
  function of z only, so hiding their centre (as a type-A mask over the concatenation would)
  would only throw information away. With num_layers = 0 the image is ignored and the head
  reads `features` alone (a VAE-like decoder with the same features, Figure 2.4's 0 layers).

  It has the blind spot of stacked masked convolutions (tests/models document it).
  """

  num_layers: int
  channels: int = 32
  first_kernel_size: int = 7
  kernel_size: int = 5

  has_latent = False
  latent_dim = 0

  @property
  def is_autoregressive(self) -> bool:
    return self.num_layers > 0

  @nn.compact
  def __call__(self, x, features=None):
    """x: [B, H, W, 1] -> logits [B, H, W, 1]."""
    check_binary_images(x)
    if self.num_layers == 0:
      if features is None:
        raise ValueError("a PixelCNN with num_layers=0 needs conditioning features")
      h = features
    else:
      h = MaskedConv2D(self.channels, self.first_kernel_size, "A", name="masked_a")(x)
      if features is not None:
        chex.assert_shape(features, x.shape[:3] + (None,))
        k = self.first_kernel_size
        h = h + nn.Conv(self.channels, (k, k), padding="SAME", name="features_in")(features)
      h = nn.relu(h)
      for i in range(self.num_layers - 1):
        h = MaskedResidualBlock(self.kernel_size, name=f"res_{i}")(h)
    for i in range(2):
      h = nn.relu(nn.Dense(self.channels, name=f"head_{i}")(h))
    return nn.Dense(1, name="out")(h)


class GatedPixelCNN(nn.Module):
  """Vertical/horizontal gated stacks (`GatedStackLayer`), two gated 1x1 layers, 1 logit.

  `cond` (None, [B, D] or [B, H, W, D]) conditions every gated layer, the head included. With
  num_layers = 0 the head sees zeros and its gates only the conditioning (a VAE-like decoder).

  Param layout (the cached sampler in gen_models/sampling/autoregressive.py reads it):
  `layer_{l}` (GatedStackLayer params), `head_{0,1}` (GatedConv1x1), `out` (Dense to 1 logit).
  """

  num_layers: int
  channels: int = 32
  first_kernel_size: int = 7
  kernel_size: int = 5

  has_latent = False
  latent_dim = 0

  @property
  def is_autoregressive(self) -> bool:
    return self.num_layers > 0

  def kernel_sizes(self):
    return [self.first_kernel_size] + [self.kernel_size] * (self.num_layers - 1)

  def check_input(self, x) -> None:
    check_binary_images(x)

  def out_features(self, x) -> int:
    """Outputs per pixel: one Bernoulli logit (subclasses: other per-pixel likelihoods)."""
    del x
    return 1

  @nn.compact
  def __call__(self, x, cond=None):
    """x: [B, H, W, C] -> [B, H, W, out_features(x)] (binary MNIST: one logit)."""
    self.check_input(x)
    if self.num_layers == 0:
      if cond is None:
        raise ValueError("a gated PixelCNN with num_layers=0 needs conditioning")
      h = jnp.zeros(x.shape[:3] + (self.channels,), x.dtype)
    else:
      v = h = x
      for i, k in enumerate(self.kernel_sizes()):
        v, h = GatedStackLayer(self.channels, k, first=(i == 0), name=f"layer_{i}")(v, h, cond)
    for i in range(2):
      h = GatedConv1x1(self.channels, name=f"head_{i}")(h, cond)
    return nn.Dense(self.out_features(x), name="out")(h)
