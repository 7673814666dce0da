"""Likelihood models of 8-bit colour images (CIFAR-10, thesis section 4.2.2 and Table 4.2).

Every model outputs, per pixel, the parameters of a discretized logistic mixture
(objectives/likelihood.py: K logits, and per component C means, C log-scales and C (C - 1) / 2
coefficients that make channel c's mean linear in the channels before it in the same pixel), so
all channels of a pixel are predicted at once, as in PixelCNN++. Inputs are [B, H, W, C] in
[-1, 1] (v / 127.5 - 1).

- `ColorPixelCNN` (`pixelcnnpp`): our PixelCNN++-like model. The blind-spot-free gated
  vertical/horizontal stacks of models/pixelcnn.py over the C-channel image (every channel of a
  pixel is one pixel's features: the output at pixel i sees pixels < i in raster order, all
  their channels), two gated 1x1 layers, and a linear map to the mixture parameters. Not built:
  PixelCNN++'s down/up-sampling U-net with short-cut connections, its dropout and its
  concatenated ELU; the mixture head and the per-pixel channel factorization are PixelCNN++'s.
- `ColorVAE` (`color_vae`): a convolutional VAE for 32x32 images, 3x3 convolutions (32 -> 16
  -> 8 -> 4 and back), whose decoder gives a factorized (across pixels) mixture per pixel; with
  `num_iaf_steps` > 0 its posterior is an inverse autoregressive flow (nn/iaf.py), the IAF-VAE of
  Table 4.2.
- `ColorPixelVAE` (`color_pixelvae`): the same encoder and upsampling decoder; its 32x32
  features condition every gated layer of a `ColorPixelCNN` through 1x1 maps (as the MNIST
  `gated_pixelvae` does).
"""

import chex
import flax.linen as nn
import jax.numpy as jnp

from gen_models.nn import iaf
from gen_models.models.pixelcnn import GatedPixelCNN
from gen_models.objectives import likelihood as lik

IMAGE_SIZE = 32


def check_color_images(x):
  chex.assert_rank(x, 4)
  if x.shape[1] != IMAGE_SIZE or x.shape[2] != IMAGE_SIZE:
    raise ValueError(f"the colour models take 32x32 images [B, 32, 32, C], got {tuple(x.shape)}")


class ColorPixelCNN(GatedPixelCNN):
  """x [B, H, W, C] in [-1, 1] (any H, W) -> mixture parameters [B, H, W, P]; `cond` (None,
  [B, D] or [B, H, W, D]) conditions every gated layer, the head included. The binary model's
  gated stacks and head with a logistic-mixture output (same param layout)."""

  num_mixtures: int = 10

  @property
  def is_autoregressive(self) -> bool:
    return True

  def check_input(self, x) -> None:
    chex.assert_rank(x, 4)
    if self.num_layers < 1:
      raise ValueError(f"ColorPixelCNN needs num_layers >= 1, got {self.num_layers}")

  def out_features(self, x) -> int:
    return lik.mixture_num_params(x.shape[-1], self.num_mixtures)


class ColorEncoder(nn.Module):
  """x [B, 32, 32, C] -> (mean, log_var) [B, Z] of q(z0 | x), and a context [B, context_dim]
  for the flow (None when context_dim is 0)."""

  latent_dim: int
  channels: int = 64
  context_dim: int = 0

  @nn.compact
  def __call__(self, x):
    check_color_images(x)
    c1, c2 = self.channels, 2 * self.channels
    h = x
    for i, (f, s) in enumerate([(c1, 1), (c1, 2), (c1, 1), (c2, 2), (c2, 1), (c2, 2)]):
      h = nn.relu(nn.Conv(f, (3, 3), strides=(s, s), padding="SAME", name=f"conv_{i}")(h))
    h = h.reshape(h.shape[0], -1)  # [B, 4 * 4 * c2]
    mean, log_var = jnp.split(nn.Dense(2 * self.latent_dim, name="out")(h), 2, axis=-1)
    context = nn.Dense(self.context_dim, name="context")(h) if self.context_dim else None
    return mean, log_var, context


class ColorUpsamplingDecoder(nn.Module):
  """z [B, Z] -> features [B, 32, 32, channels] (4 -> 8 -> 16 -> 32, 3x3 convolutions)."""

  channels: int = 64

  @nn.compact
  def __call__(self, z):
    chex.assert_rank(z, 2)
    c1, c2 = self.channels, 2 * self.channels
    h = nn.relu(nn.Dense(4 * 4 * c2, name="in")(z)).reshape(z.shape[0], 4, 4, c2)
    for i, f in enumerate([c2, c1, c1]):
      h = nn.relu(nn.Conv(f, (3, 3), padding="SAME", name=f"conv_{i}")(h))
      h = nn.relu(nn.ConvTranspose(f, (3, 3), strides=(2, 2), padding="SAME", name=f"up_{i}")(h))
    return nn.relu(nn.Conv(c1, (3, 3), padding="SAME", name="conv_out")(h))


class ColorVAE(nn.Module):
  """VAE with a discretized logistic mixture decoder that is factorized across pixels; an IAF
  posterior when num_iaf_steps > 0 (then `encode` also returns the flow's context)."""

  latent_dim: int
  num_mixtures: int = 1
  channels: int = 64
  num_iaf_steps: int = 0
  iaf_hidden: int = 256
  image_channels: int = 3

  has_latent = True
  is_autoregressive = False

  def setup(self):
    context_dim = self.iaf_hidden if self.num_iaf_steps else 0
    self.encoder = ColorEncoder(self.latent_dim, self.channels, context_dim)
    self.decoder = ColorUpsamplingDecoder(self.channels)
    self.out = nn.Dense(lik.mixture_num_params(self.image_channels, self.num_mixtures))
    if self.num_iaf_steps:
      self.flow = iaf.IAFFlow(self.num_iaf_steps, self.iaf_hidden)

  def encode(self, x):
    """x [B, 32, 32, C] -> (mean, log_var [B, Z], context [B, H] or None)."""
    return self.encoder(x)

  def transform(self, z0, context):
    """z0 [B, Z] ~ N(mean, diag var) -> (z_T [B, Z], log|det dz_T/dz0| [B]); the identity
    without flow steps."""
    if not self.num_iaf_steps:
      return z0, jnp.zeros(z0.shape[:1], z0.dtype)
    return self.flow(z0, context)

  def decode(self, z, x=None):
    """z [B, Z] -> mixture parameters [B, 32, 32, P]; x is ignored (no autoregression)."""
    del x
    chex.assert_shape(z, (None, self.latent_dim))
    return self.out(self.decoder(z))

  def __call__(self, x, z):
    """decode(z, x), after running encode (and the flow) so `init` creates every parameter."""
    _, _, context = self.encode(x)
    self.transform(z, context)
    return self.decode(z, x)


class ColorPixelVAE(nn.Module):
  """The colour encoder, the upsampling decoder, and a `ColorPixelCNN` conditioned on its 32x32
  features at every gated layer: p(x | z) = prod_i p(x_i | x_<i, z)."""

  latent_dim: int
  num_layers: int
  num_mixtures: int = 10
  channels: int = 64
  first_kernel_size: int = 7
  kernel_size: int = 5

  has_latent = True
  is_autoregressive = True

  def setup(self):
    self.encoder = ColorEncoder(self.latent_dim, self.channels)
    self.decoder = ColorUpsamplingDecoder(self.channels)
    self.pixelcnn = ColorPixelCNN(
        num_layers=self.num_layers, num_mixtures=self.num_mixtures, channels=self.channels,
        first_kernel_size=self.first_kernel_size, kernel_size=self.kernel_size)

  def encode(self, x):
    return self.encoder(x)

  def transform(self, z0, context):
    del context
    return z0, jnp.zeros(z0.shape[:1], z0.dtype)

  def conditioning(self, z):
    chex.assert_shape(z, (None, self.latent_dim))
    return self.decoder(z)

  def decode(self, z, x):
    """Mixture parameters [B, 32, 32, P] of p(x_i | x_<i, z); x [B, 32, 32, C] in [-1, 1]."""
    check_color_images(x)
    return self.pixelcnn(x, cond=self.conditioning(z))

  def __call__(self, x, z):
    self.encode(x)
    return self.decode(z, x)


# ---- registry: name -> has_latent, defaults (full-length CIFAR-10 runs) -----------------------
# The thesis gives no CIFAR-10 architecture sizes. Ours: PixelCNN++'s 10 logistics per pixel and
# 128 channels over 12 gated layers; a VAE with a single discretized logistic per sub-pixel (as
# the IAF paper's CIFAR-10 decoder) and a 128-d latent; IAF with 2 steps of 256 hidden units.
COLOR_MODELS = {"pixelcnnpp": False, "color_vae": True, "iaf_vae": True, "color_pixelvae": True}
_DEFAULTS = {
    "pixelcnnpp": dict(latent_dim=0, num_ar_layers=12, channels=128, num_mixtures=10,
                       num_iaf_steps=0),
    "color_vae": dict(latent_dim=128, num_ar_layers=0, channels=64, num_mixtures=1,
                      num_iaf_steps=0),
    "iaf_vae": dict(latent_dim=128, num_ar_layers=0, channels=64, num_mixtures=1,
                    num_iaf_steps=2),
    "color_pixelvae": dict(latent_dim=128, num_ar_layers=4, channels=64, num_mixtures=10,
                           num_iaf_steps=0),
}


def color_config(name: str, **overrides) -> dict:
  """Default fields of colour model `name` with `overrides` applied (unknown keys rejected)."""
  cfg = dict(name=name, first_kernel_size=7, kernel_size=5, iaf_hidden=256, **_DEFAULTS[name])
  for key, value in overrides.items():
    if key not in cfg:
      raise ValueError(f"unknown image model field {key!r}; known: {sorted(cfg)}")
    cfg[key] = value
  return cfg


def build_color_model(cfg, image_channels: int = 3):
  if cfg.num_mixtures < 1:
    raise ValueError(f"{cfg.name} needs num_mixtures >= 1, got {cfg.num_mixtures}")
  if COLOR_MODELS[cfg.name] and cfg.latent_dim < 1:
    raise ValueError(f"{cfg.name} needs latent_dim >= 1, got {cfg.latent_dim}")
  if cfg.name in ("pixelcnnpp", "color_pixelvae") and cfg.num_ar_layers < 1:
    raise ValueError(f"{cfg.name} needs num_ar_layers >= 1, got {cfg.num_ar_layers}")
  if cfg.name == "pixelcnnpp":
    return ColorPixelCNN(num_layers=cfg.num_ar_layers, num_mixtures=cfg.num_mixtures,
                         channels=cfg.channels, first_kernel_size=cfg.first_kernel_size,
                         kernel_size=cfg.kernel_size)
  if cfg.name == "color_pixelvae":
    return ColorPixelVAE(cfg.latent_dim, cfg.num_ar_layers, cfg.num_mixtures, cfg.channels,
                         cfg.first_kernel_size, cfg.kernel_size)
  return ColorVAE(cfg.latent_dim, cfg.num_mixtures, cfg.channels, cfg.num_iaf_steps,
                  cfg.iaf_hidden, image_channels)
