"""Model families as Flax modules, built from `config.model`."""

from gen_models.models.gan_mlp import MLPCritic, MLPGenerator
from gen_models.models.image import build_image_model, image_config, image_model_traits


def build_generator(cfg, data_dim: int):
  if cfg.name == "mlp":
    return MLPGenerator(depth=cfg.depth, width=cfg.width, out_dim=data_dim,
                        activation=cfg.activation, norm=cfg.norm)
  raise ValueError(f"unknown generator {cfg.name!r}; known: ['mlp']")


def build_critic(cfg):
  if cfg.name == "mlp":
    if cfg.norm == "batch_norm":
      raise ValueError("batch norm in the critic breaks the per-example gradient penalty "
                       "(thesis section 3.4); use model.critic.norm='layer_norm' or 'none'")
    return MLPCritic(depth=cfg.depth, width=cfg.width, activation=cfg.activation, norm=cfg.norm)
  raise ValueError(f"unknown critic {cfg.name!r}; known: ['mlp']")


__all__ = ["MLPCritic", "MLPGenerator", "build_critic", "build_generator", "build_image_model",
           "image_config", "image_model_traits"]
