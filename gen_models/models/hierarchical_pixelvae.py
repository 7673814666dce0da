"""The hierarchical PixelVAE (thesis section 2.3.1, sections 2.4.2-2.4.3, appendix "LSUN bedrooms
and 64x64 ImageNet"): two stochastic levels, every decoder a conditional PixelCNN.

Generation is top-down, p(z2) p(z1 | z2) p(x | z1); inference composes deterministic ResNets
upward, q(z1 | x) q(z2 | x) (z2 is inferred from the same features h1 that give z1, not from z1):

  x [S, S, 3] --Encoder1--> h1 [L, L, *] --1x1--> q(z1 | x): diagonal Gaussian [L, L, Z1]
  h1 --Encoder2--> 4x4 --linear--> q(z2 | x): diagonal Gaussian [Z2] (z2 is a 1x1 map)
  z2 ~ N(0, I) --VectorDecoder--> features [L, L, *] --> p(z1 | z2): a gated PixelCNN over the
      z1 map with diagonal Gaussian outputs; the Z1 channels of a position are independent
      given the positions before it (raster order)
  z1 --SpatialDecoder--> features [S, S, *] --> p(x | z1): a gated PixelCNN over the RGB
      sub-pixels, R then G then B inside a pixel, a 256-way softmax each (or, option, a
      discretized logistic mixture per pixel, all channels at once)

Sizes: S the data's image size (32 or 64), L = S / 4 (8 at 32x32; 16 at 64x64, as in the
authors' 64px settings, so the 64x64 model has one more up/down-sampling stage in the top level
and its bottom level works at twice the resolution). z2 has a standard normal prior: it is a
single spatial position, and the thesis models the dimensions within a position independently,
so an autoregressive prior over one position would be a factorized Gaussian anyway (the
authors' code uses a unit Gaussian there).

ResNets: pre-activation residual blocks (nn/resblocks.py `ELUResidualBlock`: two 3x3 convs,
ELU, batch norm; stride-2 second conv to downsample, sub-pixel first conv to upsample). The
PixelCNNs use the weight-normalized grouped gated stacks of nn/grouped_gated.py (no batch norm).

Ablations (section 2.4.2) by config: `num_levels` 1 (a single-level PixelVAE: one latent vector,
the authors' one_level mode), `latent_decoder` "gaussian" (p(z1 | z2) a diagonal Gaussian read
off the features by a 1x1 conv: not autoregressive), `pixel_decoder` "factorized" (p(x | z1) a
softmax per sub-pixel read off the features: a two-level convolutional VAE). `latent_decoder`
"standard_normal" makes p(z1) = N(0, I) (a check of the Monte-Carlo KL, tests only).
"""

import math

import chex
import flax.linen as nn
import jax.numpy as jnp
import ml_collections
import numpy as np

from gen_models.nn import grouped_gated as gg
from gen_models.nn.resblocks import ELUResidualBlock
from gen_models.objectives import likelihood as lik

NAME = "hierarchical_pixelvae"
PIXEL_DECODERS = ("pixelcnn", "factorized")
LATENT_DECODERS = ("pixelcnn", "gaussian", "standard_normal")
PIXEL_OUTPUTS = ("softmax", "logistic_mixture")
NUM_LEVELS = 256
LATENT_STRIDE = 4  # z1 is a map at 1/4 of the image size (8x8 at 32x32, 16x16 at 64x64)
LOG_VAR_BOUND = 6.0  # log-variances are soft-clamped to (-6, 6): std in (0.05, 20)


def bounded_log_var(raw):
  return LOG_VAR_BOUND * jnp.tanh(raw / LOG_VAR_BOUND)


def split_gaussian(out):
  """[..., 2Z] -> (mean, log_var) [..., Z]."""
  mean, raw = jnp.split(out, 2, axis=-1)
  return mean, bounded_log_var(raw)


class GroupedGatedPixelCNN(nn.Module):
  """Gated vertical/horizontal stacks over grouped channels (nn/grouped_gated.py), two gated
  1x1 layers and a masked 1x1 output: x [B, H, W, C_in] -> [B, H, W, groups * out_per_group].
  Output group g at (i, j) depends on the positions before (i, j) in raster order and on input
  groups < g at (i, j). With num_layers 0 the head sees zeros (a factorized decoder)."""

  num_layers: int
  channels: int
  out_per_group: int
  groups: int = 1
  first_kernel_size: int = 5
  kernel_size: int = 3

  def kernel_sizes(self):
    return [self.first_kernel_size] + [self.kernel_size] * (self.num_layers - 1)

  @nn.compact
  def __call__(self, x, cond=None):
    chex.assert_rank(x, 4)
    if self.num_layers == 0:
      h = jnp.zeros(x.shape[:3] + (self.channels,), x.dtype)
    else:
      v = h = x
      for i, k in enumerate(self.kernel_sizes()):
        v, h = gg.GroupedGatedStackLayer(self.channels, k, first=(i == 0), groups=self.groups,
                                         name=f"layer_{i}")(v, h, cond)
    for i in range(2):
      h = gg.GroupedGatedConv1x1(self.channels, self.groups, name=f"head_{i}")(h, cond)
    mask = gg.group_mask(gg.channel_groups(self.channels, self.groups),
                         gg.output_groups(self.groups, self.out_per_group), "B")
    return gg.WNConv(self.groups * self.out_per_group, (1, 1), mask=mask[None, None],
                     name="out")(h)


def plain_params(net: GroupedGatedPixelCNN, params, in_channels: int) -> dict:
  """The effective (weight-normalized, masked) kernels of `net` in the plain layout the cached
  sampler reads (sampling/autoregressive.py `sample_cached_stacks`): layers[l] = {v_conv
  {kernel [p+1, k, C_in, 2C], bias}, h_conv {kernel [p+1, C_in, 2C], bias}, v_to_h, h_out
  {kernel [in, out], bias}, v_cond?, h_cond?}, head = [{conv, cond?}] * 2, out."""
  def wn(p, mask=None):
    return {"kernel": gg.weight_norm_kernel(p["v"], p["g"], mask), "bias": p["b"]}

  def dense(p, mask=None):
    out = wn(p, mask)
    return {"kernel": out["kernel"][0, 0], "bias": out["bias"]}

  c, groups = net.channels, net.groups
  hid_g = gg.channel_groups(c, groups)
  pre_g = np.tile(hid_g, 2)
  layers = []
  for l, k in enumerate(net.kernel_sizes()):
    lp = params[f"layer_{l}"]
    in_g = gg.channel_groups(in_channels if l == 0 else c, groups)
    h_conv = wn(lp["h_conv"], gg.h_conv_mask(k // 2 + 1, in_g, pre_g, l == 0))
    layer = {"v_conv": wn(lp["v_conv"]),
             "h_conv": {"kernel": h_conv["kernel"][0], "bias": h_conv["bias"]},
             "v_to_h": dense(lp["v_to_h"]),
             "h_out": dense(lp["h_out"], gg.group_mask(hid_g, hid_g, "B")[None, None])}
    for name in ("v_cond", "h_cond"):
      if name in lp:
        layer[name] = lp[name]
    layers.append(layer)
  head = []
  in_g = hid_g
  for i in range(2):
    hp = params[f"head_{i}"]
    entry = {"conv": dense(hp["conv"], gg.group_mask(in_g, pre_g, "B")[None, None])}
    if "cond" in hp:
      entry["cond"] = hp["cond"]
    head.append(entry)
  out_mask = gg.group_mask(hid_g, gg.output_groups(groups, net.out_per_group), "B")
  return {"layers": layers, "head": head, "out": dense(params["out"], out_mask[None, None])}


def _log2_stages(big: int, small: int, what: str) -> int:
  n = int(round(math.log2(big / small))) if small > 0 and big >= small else -1
  if n < 0 or small * 2 ** n != big:
    raise ValueError(f"{what}: {big} must be {small} times a power of 2")
  return n


class Encoder1(nn.Module):
  """x [B, S, S, 3] in [-1, 1] -> h1 [B, L, L, widths[-1]]: a 1x1 conv, then per stage
  `blocks` residual blocks and a downsampling block to the next stage's width."""

  widths: tuple
  blocks: int

  @nn.compact
  def __call__(self, x, train):
    h = nn.Conv(self.widths[0], (1, 1), name="input")(x)
    for s, width in enumerate(self.widths):
      for b in range(self.blocks):
        h = ELUResidualBlock(width, name=f"stage{s}_res{b}")(h, train)
      if s + 1 < len(self.widths):
        h = ELUResidualBlock(self.widths[s + 1], "down", name=f"stage{s}_down")(h, train)
    return h


class Encoder2(nn.Module):
  """h [B, L, L, *] -> (mean, log_var) [B, Z] of a vector latent: residual blocks down to 4x4,
  flatten, linear."""

  width: int
  blocks: int
  latent_dim: int

  @nn.compact
  def __call__(self, h, train):
    num_down = _log2_stages(h.shape[1], 4, "the top encoder's input size")
    for s in range(num_down + 1):
      for b in range(self.blocks):
        h = ELUResidualBlock(self.width, name=f"stage{s}_res{b}")(h, train)
      if s < num_down:
        h = ELUResidualBlock(self.width, "down", name=f"stage{s}_down")(h, train)
    h = nn.elu(nn.BatchNorm(use_running_average=not train, momentum=0.9, name="bn_out")(h))
    return split_gaussian(nn.Dense(2 * self.latent_dim, name="out")(h.reshape(h.shape[0], -1)))


class VectorDecoder(nn.Module):
  """z [B, Z] -> features [B, size, size, width]: linear to 4x4, residual blocks, upsampling
  blocks (the top-level decoder's deterministic part)."""

  width: int
  blocks: int
  size: int

  @nn.compact
  def __call__(self, z, train):
    num_up = _log2_stages(self.size, 4, "the top decoder's output size")
    h = nn.Dense(16 * self.width, name="input")(z).reshape(z.shape[0], 4, 4, self.width)
    for s in range(num_up + 1):
      if s > 0:
        h = ELUResidualBlock(self.width, "up", name=f"stage{s}_up")(h, train)
      for b in range(self.blocks):
        h = ELUResidualBlock(self.width, name=f"stage{s}_res{b}")(h, train)
    return nn.elu(nn.BatchNorm(use_running_average=not train, momentum=0.9, name="bn_out")(h))


class SpatialDecoder(nn.Module):
  """A map [B, L, L, *] -> features [B, S, S, widths[0]]: a 1x1 conv, residual blocks and
  upsampling blocks, the encoder's widths in reverse (the bottom-level decoder's deterministic
  part)."""

  widths: tuple
  blocks: int

  @nn.compact
  def __call__(self, z, train):
    widths = tuple(reversed(self.widths))
    h = nn.Conv(widths[0], (1, 1), name="input")(z)
    for s, width in enumerate(widths):
      if s > 0:
        h = ELUResidualBlock(width, "up", name=f"stage{s}_up")(h, train)
      for b in range(self.blocks):
        h = ELUResidualBlock(width, name=f"stage{s}_res{b}")(h, train)
    return nn.elu(nn.BatchNorm(use_running_average=not train, momentum=0.9, name="bn_out")(h))


class HierarchicalPixelVAE(nn.Module):
  """See the module docstring. Inputs x [B, S, S, 3] on the 256 levels of [-1, 1]."""

  image_size: int
  num_levels: int
  latent_size: int
  z1_channels: int
  z2_dim: int
  res_channels: tuple
  top_channels: int
  blocks_per_stage: int
  pixel_decoder: str
  latent_decoder: str
  pixel_output: str
  num_mixtures: int
  pixel_layers: int
  pixel_channels: int
  latent_layers: int
  latent_channels: int
  first_kernel_size: int
  kernel_size: int
  image_channels: int = 3

  has_latent = True

  @property
  def is_autoregressive(self) -> bool:
    return self.pixel_decoder == "pixelcnn"

  # ---- shapes ------------------------------------------------------------------------------
  def z1_shape(self, n: int) -> tuple:
    """z1: a [L, L, Z1] map with two levels; the single level's latent is a [Z] vector."""
    if self.num_levels == 1:
      return (n, self.z2_dim)
    return (n, self.latent_size, self.latent_size, self.z1_channels)

  def pixel_groups(self) -> int:
    return self.image_channels if self.pixel_output == "softmax" else 1

  def pixel_out_per_group(self) -> int:
    if self.pixel_output == "softmax":
      return NUM_LEVELS
    return lik.mixture_num_params(self.image_channels, self.num_mixtures)

  def pixel_net(self, detached: bool = True) -> GroupedGatedPixelCNN:
    """p(x | z1)'s PixelCNN: a submodule in `setup`, a stand-alone module (for the samplers,
    applied to params['pixel_cnn']) when `detached`."""
    extra = {"parent": None} if detached else {}
    return GroupedGatedPixelCNN(self.pixel_layers, self.pixel_channels, self.pixel_out_per_group(),
                                self.pixel_groups(), self.first_kernel_size, self.kernel_size,
                                **extra)

  def latent_net(self, detached: bool = True) -> GroupedGatedPixelCNN:
    """p(z1 | z2)'s PixelCNN (params['z1_net'] when detached)."""
    extra = {"parent": None} if detached else {}
    return GroupedGatedPixelCNN(self.latent_layers, self.latent_channels, 2 * self.z1_channels, 1,
                                self.first_kernel_size, self.kernel_size, **extra)

  def setup(self):
    if self.num_levels not in (1, 2):
      raise ValueError(f"num_levels must be 1 or 2, got {self.num_levels}")
    if self.pixel_decoder not in PIXEL_DECODERS:
      raise ValueError(f"unknown pixel_decoder {self.pixel_decoder!r}; known: {PIXEL_DECODERS}")
    if self.latent_decoder not in LATENT_DECODERS:
      raise ValueError(f"unknown latent_decoder {self.latent_decoder!r}; known: "
                       f"{LATENT_DECODERS}")
    if self.pixel_output not in PIXEL_OUTPUTS:
      raise ValueError(f"unknown pixel_output {self.pixel_output!r}; known: {PIXEL_OUTPUTS}")
    stages = _log2_stages(self.image_size, self.latent_size, "image_size / latent_size")
    if len(self.res_channels) != stages + 1:
      raise ValueError(f"res_channels needs {stages + 1} widths (sizes {self.image_size} down to "
                       f"{self.latent_size}), got {tuple(self.res_channels)}")
    widths = tuple(self.res_channels)
    self.encoder1 = Encoder1(widths, self.blocks_per_stage)
    self.encoder2 = Encoder2(self.top_channels, self.blocks_per_stage,
                             self.z2_dim)
    self.pixel_features = SpatialDecoder(widths, self.blocks_per_stage)
    if self.num_levels == 2:
      self.q1_out = nn.Dense(2 * self.z1_channels)
      self.top_decoder = VectorDecoder(self.top_channels, self.blocks_per_stage,
                                       self.latent_size)
      if self.latent_decoder == "pixelcnn":
        self.z1_net = self.latent_net(detached=False)
      elif self.latent_decoder == "gaussian":
        self.z1_out = nn.Dense(2 * self.z1_channels)
    else:
      self.vector_decoder = VectorDecoder(self.top_channels, self.blocks_per_stage,
                                          self.latent_size)
    if self.pixel_decoder == "pixelcnn":
      self.pixel_cnn = self.pixel_net(detached=False)
    else:
      self.pixel_out = nn.Dense(self.pixel_groups() * self.pixel_out_per_group())

  # ---- inference ---------------------------------------------------------------------------
  def encode(self, x, train: bool = False):
    """x [B, S, S, C] -> {'z1': (mean, log_var)[, 'z2': (mean, log_var)]} of q(z_i | x):
    z1 [B, L, L, Z1] and z2 [B, Z2] with two levels; one level: z1 [B, Z]."""
    chex.assert_shape(x, (None, self.image_size, self.image_size, self.image_channels))
    h1 = self.encoder1(x, train)
    if self.num_levels == 1:
      return {"z1": self.encoder2(h1, train)}
    return {"z1": split_gaussian(self.q1_out(h1)), "z2": self.encoder2(h1, train)}

  # ---- generation --------------------------------------------------------------------------
  def z1_conditioning(self, z2, train: bool = False):
    """z2 [B, Z2] -> the features [B, L, L, top_channels] p(z1 | z2) is conditioned on."""
    chex.assert_shape(z2, (None, self.z2_dim))
    return self.top_decoder(z2, train)

  def z1_prior(self, z2, z1, train: bool = False):
    """(mean, log_var) [B, L, L, Z1] of p(z1 | z2); the outputs at position j saw z1 at
    positions < j only (the PixelCNN decoder) or none of z1."""
    chex.assert_shape(z1, self.z1_shape(z1.shape[0]))
    if self.latent_decoder == "standard_normal":
      return jnp.zeros_like(z1), jnp.zeros_like(z1)
    cond = self.z1_conditioning(z2, train)
    if self.latent_decoder == "gaussian":
      return split_gaussian(self.z1_out(cond))
    return split_gaussian(self.z1_net(z1, cond))

  def pixel_conditioning(self, z1, train: bool = False):
    """z1 -> the features [B, S, S, res_channels[0]] p(x | z1) is conditioned on."""
    chex.assert_shape(z1, self.z1_shape(z1.shape[0]))
    if self.num_levels == 1:
      return self.pixel_features(self.vector_decoder(z1, train), train)
    return self.pixel_features(z1, train)

  def pixel_outputs(self, z1, x, train: bool = False):
    """p(x | z1)'s per-pixel outputs [B, S, S, P]: 256 logits per sub-pixel, group-major
    (R's 256, G's, B's), or the logistic mixture's parameters."""
    cond = self.pixel_conditioning(z1, train)
    if self.pixel_decoder == "factorized":
      return self.pixel_out(cond)
    return self.pixel_cnn(x, cond)

  def __call__(self, x, z1, z2=None, train: bool = False):
    """Runs every part once (so `init` creates every parameter); -> pixel outputs."""
    self.encode(x, train)
    if self.num_levels == 2:
      self.z1_prior(z2, z1, train)
      if self.latent_decoder == "standard_normal":
        self.z1_conditioning(z2, train)
    return self.pixel_outputs(z1, x, train)


def hierarchical_config(**overrides) -> ml_collections.ConfigDict:
  """Default fields (a 32x32 model the size of the authors' '32px_small' settings: bottom
  widths 64/128/256 at 32/16/8, top width 512, z1 8x8x64, z2 512, pixel PixelCNN 128 wide,
  latent PixelCNN 256 wide), `overrides` applied (unknown keys rejected)."""
  cfg = dict(name=NAME, num_levels=2, z1_channels=64, z2_dim=512,
             res_channels=(64, 128, 256), top_channels=512, blocks_per_stage=2,
             pixel_decoder="pixelcnn", latent_decoder="pixelcnn", pixel_output="softmax",
             num_mixtures=10, pixel_layers=4, pixel_channels=126, latent_layers=4,
             latent_channels=256, first_kernel_size=5, kernel_size=3)
  for key, value in overrides.items():
    if key not in cfg:
      raise ValueError(f"unknown hierarchical_pixelvae field {key!r}; known: {sorted(cfg)}")
    cfg[key] = value
  return ml_collections.ConfigDict(cfg)


def build_hierarchical_pixelvae(cfg, data_shape) -> HierarchicalPixelVAE:
  """The model for images of `data_shape` [S, S, C] (S a multiple of 16): z1 at S / 4."""
  if cfg.name != NAME:
    raise ValueError(f"not a hierarchical PixelVAE config: {cfg.name!r}")
  size, width, image_channels = data_shape
  if size != width or size % 16:
    raise ValueError(f"the hierarchical PixelVAE takes square images with a side divisible by "
                     f"16, got {tuple(data_shape)}")
  return HierarchicalPixelVAE(
      image_size=size, num_levels=cfg.num_levels, latent_size=size // LATENT_STRIDE,
      z1_channels=cfg.z1_channels, z2_dim=cfg.z2_dim, res_channels=tuple(cfg.res_channels),
      top_channels=cfg.top_channels, blocks_per_stage=cfg.blocks_per_stage,
      pixel_decoder=cfg.pixel_decoder, latent_decoder=cfg.latent_decoder,
      pixel_output=cfg.pixel_output, num_mixtures=cfg.num_mixtures,
      pixel_layers=cfg.pixel_layers, pixel_channels=cfg.pixel_channels,
      latent_layers=cfg.latent_layers, latent_channels=cfg.latent_channels,
      first_kernel_size=cfg.first_kernel_size, kernel_size=cfg.kernel_size,
      image_channels=image_channels)
