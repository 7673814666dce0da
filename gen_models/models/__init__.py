"""Model families as Flax modules, built from `config.model`."""

from gen_models.models.dcgan import DCGANCritic, DCGANGenerator
from gen_models.models.gan_mlp import MLPCritic, MLPGenerator
from gen_models.models.hierarchical_pixelvae import (build_hierarchical_pixelvae,
                                                     hierarchical_config)
from gen_models.models.image import (build_image_model, image_config, image_model_traits,
                                     is_color_model)
from gen_models.models.resnet_gan import ResNetCritic, ResNetGenerator
from gen_models.models.text_gan import TextCNNCritic, TextCNNGenerator

GENERATORS = ("mlp", "resnet", "dcgan", "text_cnn")
CRITICS = ("mlp", "resnet", "dcgan", "text_cnn")


def _unconditional(cfg, num_classes, role):
  if num_classes:
    raise ValueError(f"{role} {cfg.name!r} has no class conditioning; use 'resnet' for AC-GAN "
                     f"or model.num_classes=0")


def build_generator(cfg, data_dim: int, num_classes: int = 0):
  """data_dim: the last axis of the data (coordinates for an MLP, channels for images)."""
  if cfg.name == "mlp":
    _unconditional(cfg, num_classes, "generator")
    size = cfg.image_size  # > 0: an image generator, [B, size, size, data_dim]
    out_shape = (size, size, data_dim) if size else ()
    return MLPGenerator(depth=cfg.depth, width=cfg.width,
                        out_dim=size * size * data_dim if size else data_dim,
                        activation=cfg.activation, norm=cfg.norm, out_shape=out_shape,
                        output_activation=cfg.output_activation)
  if cfg.name == "resnet":
    return ResNetGenerator(width=cfg.width, channels=data_dim, image_size=cfg.image_size,
                           num_classes=num_classes, depth=cfg.depth)
  if cfg.name == "dcgan":
    _unconditional(cfg, num_classes, "generator")
    return DCGANGenerator(width=cfg.width, channels=data_dim, image_size=cfg.image_size,
                          norm=cfg.norm, output_activation=cfg.output_activation,
                          activation=cfg.activation, constant_width=cfg.constant_width)
  if cfg.name == "text_cnn":  # data_dim: the vocabulary size
    _unconditional(cfg, num_classes, "generator")
    return TextCNNGenerator(vocab_size=data_dim, seq_len=cfg.seq_len, width=cfg.width,
                            num_blocks=cfg.num_blocks)
  raise ValueError(f"unknown generator {cfg.name!r}; known: {list(GENERATORS)}")


def critic_batch_norm(cfg) -> bool:
  """Whether critic config `cfg` normalizes with batch statistics (the text critic has no
  normalization, hence no `norm` key)."""
  return cfg.name != "text_cnn" and cfg.norm == "batch_norm"


def build_critic(cfg, num_classes: int = 0, allow_batch_norm: bool = False):
  """allow_batch_norm: the caller's objective has no gradient penalty (GANTask allows it for
  every objective but WGAN-GP); such a critic normalizes with each batch's own statistics."""
  if critic_batch_norm(cfg) and not allow_batch_norm:
    raise ValueError("batch norm in the critic breaks the per-example gradient penalty "
                     "(thesis section 3.4); use model.critic.norm='layer_norm' or 'none'")
  if cfg.name == "mlp":
    _unconditional(cfg, num_classes, "critic")
    return MLPCritic(depth=cfg.depth, width=cfg.width, activation=cfg.activation, norm=cfg.norm)
  if cfg.name == "resnet":
    return ResNetCritic(width=cfg.width, norm=cfg.norm, num_classes=num_classes,
                        depth=cfg.depth)
  if cfg.name == "dcgan":
    _unconditional(cfg, num_classes, "critic")
    return DCGANCritic(width=cfg.width, norm=cfg.norm, activation=cfg.activation)
  if cfg.name == "text_cnn":
    _unconditional(cfg, num_classes, "critic")
    return TextCNNCritic(width=cfg.width, num_blocks=cfg.num_blocks)
  raise ValueError(f"unknown critic {cfg.name!r}; known: {list(CRITICS)}")


__all__ = ["DCGANCritic", "DCGANGenerator", "MLPCritic", "MLPGenerator", "ResNetCritic",
           "ResNetGenerator", "TextCNNCritic", "TextCNNGenerator", "build_critic",
           "build_generator", "build_hierarchical_pixelvae", "build_image_model",
           "critic_batch_norm", "hierarchical_config", "image_config", "image_model_traits",
           "is_color_model"]
