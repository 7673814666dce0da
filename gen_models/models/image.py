"""The Chapter 2 image-model families: default configs, traits and the builder.

Config fields: `name`, `latent_dim` (0 for pure PixelCNNs), `num_ar_layers` (every masked layer:
the 7x7 type-A one plus the 5x5 ones, i.e. the appendix table's N + 1; 0 allowed for the
upsampling PixelVAEs), `channels` (32), `first_kernel_size` (7), `kernel_size` (5).

The thesis gives no latent size or layer count for Table 2.1. Defaults: latent_dim 64 and
5x5 masked filters (the authors' public MNIST PixelVAE script defaults), 12 layers for the
PixelCNNs and the no-upsampling PixelVAE, 3 for the upsampling PixelVAEs ("very few PixelCNN
layers", section 2.3).

The colour models of Chapter 4 (CIFAR-10: `pixelcnnpp`, `color_vae`, `iaf_vae`,
`color_pixelvae`) live in models/color.py, with their own fields (`num_mixtures`,
`num_iaf_steps`, `iaf_hidden`); the functions below dispatch to it.
"""

import ml_collections

from gen_models.models import color
from gen_models.models.pixelcnn import GatedPixelCNN, PixelCNN
from gen_models.models.pixelvae import PixelVAE
from gen_models.models.vae import ConvVAE

# name -> (has_latent, gated, upsample); None where the field does not apply.
IMAGE_MODELS = {
    "vae": (True, None, None),
    "pixelcnn": (False, False, None),
    "gated_pixelcnn": (False, True, None),
    "pixelvae": (True, False, True),
    "gated_pixelvae": (True, True, True),
    "gated_pixelvae_noup": (True, True, False),
}
DEFAULT_AR_LAYERS = {"vae": 0, "pixelcnn": 12, "gated_pixelcnn": 12, "pixelvae": 3,
                     "gated_pixelvae": 3, "gated_pixelvae_noup": 12}


def _check_name(name: str) -> None:
  if name not in IMAGE_MODELS and name not in color.COLOR_MODELS:
    raise ValueError(f"unknown image model {name!r}; known: "
                     f"{sorted(IMAGE_MODELS) + sorted(color.COLOR_MODELS)}")


def is_color_model(cfg) -> bool:
  """Colour models (models/color.py) output discretized logistic mixtures over 8-bit pixels;
  the others Bernoulli logits over binary pixels."""
  return cfg.name in color.COLOR_MODELS


def image_config(name: str, **overrides) -> ml_collections.ConfigDict:
  """Default config of model family `name`, with `overrides` applied (unknown keys rejected)."""
  _check_name(name)
  if name in color.COLOR_MODELS:
    return ml_collections.ConfigDict(color.color_config(name, **overrides))
  has_latent = IMAGE_MODELS[name][0]
  cfg = ml_collections.ConfigDict(dict(
      name=name, latent_dim=64 if has_latent else 0, num_ar_layers=DEFAULT_AR_LAYERS[name],
      channels=32, first_kernel_size=7, kernel_size=5))
  for key, value in overrides.items():
    if key not in cfg:
      raise ValueError(f"unknown image model field {key!r}; known: {sorted(cfg.keys())}")
    cfg[key] = value
  return cfg


def image_model_traits(cfg) -> tuple[bool, bool]:
  """(has_latent, is_autoregressive) of the model `build_image_model(cfg)` builds."""
  _check_name(cfg.name)
  if cfg.name in color.COLOR_MODELS:
    return color.COLOR_MODELS[cfg.name], cfg.num_ar_layers > 0
  has_latent = IMAGE_MODELS[cfg.name][0]
  if cfg.name == "vae":
    return True, False
  return has_latent, cfg.num_ar_layers > 0


def build_image_model(cfg, image_channels: int = 3):
  """The Flax module of family `cfg.name` (see the model modules for the apply interface);
  `image_channels` sizes the colour VAE's output (the other models read it off their input)."""
  _check_name(cfg.name)
  if cfg.name in color.COLOR_MODELS:
    return color.build_color_model(cfg, image_channels)
  has_latent, gated, upsample = IMAGE_MODELS[cfg.name]
  if has_latent and cfg.latent_dim < 1:
    raise ValueError(f"{cfg.name} needs latent_dim >= 1, got {cfg.latent_dim}")
  if cfg.name == "vae":
    return ConvVAE(cfg.latent_dim, cfg.channels)
  if not has_latent and cfg.num_ar_layers < 1:
    raise ValueError(f"{cfg.name} needs num_ar_layers >= 1, got {cfg.num_ar_layers}")
  if cfg.num_ar_layers < 0:
    raise ValueError(f"num_ar_layers must be >= 0, got {cfg.num_ar_layers}")
  if not upsample and cfg.num_ar_layers < 1:
    raise ValueError(f"{cfg.name} needs num_ar_layers >= 1 (z only enters through the gated "
                     "layers' conditioning)")
  sizes = (cfg.channels, cfg.first_kernel_size, cfg.kernel_size)
  if not has_latent:
    net = GatedPixelCNN if gated else PixelCNN
    return net(cfg.num_ar_layers, *sizes)
  return PixelVAE(cfg.latent_dim, cfg.num_ar_layers, *sizes, gated=gated, upsample=upsample)
