"""Optimizers from config, and the thesis' settings for each GAN objective (appendix B.2)."""

import ml_collections
import optax

# Appendix B.2 and Algorithm 1. RMSProp uses PyTorch's default decay 0.99 (the original WGAN
# implementation was PyTorch); `decay` is a config value for anyone matching TF's 0.9.
THESIS_GAN_OPTIMIZERS = {
    "wgan_gp": dict(name="adam", learning_rate=1e-4, b1=0.5, b2=0.9),
    "wgan_clip": dict(name="rmsprop", learning_rate=5e-5),
    "dcgan": dict(name="adam", learning_rate=2e-4, b1=0.5, b2=0.999),
    "lsgan": dict(name="rmsprop", learning_rate=1e-4),
}
# n_critic: 5 for both WGANs (Algorithm 1 and Arjovsky et al.), 1 for DCGAN and LSGAN.
THESIS_N_CRITIC = {"wgan_gp": 5, "wgan_clip": 5, "dcgan": 1, "lsgan": 1}


def optimizer_config(name="adam", learning_rate=1e-4, b1=0.9, b2=0.999, decay=0.99,
                     eps=1e-8, linear_decay_steps=0) -> ml_collections.ConfigDict:
  """A complete optimizer config (every field present so overrides can reach each one)."""
  return ml_collections.ConfigDict(dict(
      name=name, learning_rate=learning_rate, b1=b1, b2=b2, decay=decay, eps=eps,
      linear_decay_steps=linear_decay_steps))


def thesis_optimizer(objective: str) -> ml_collections.ConfigDict:
  if objective not in THESIS_GAN_OPTIMIZERS:
    raise ValueError(f"no thesis optimizer for objective {objective!r}")
  return optimizer_config(**THESIS_GAN_OPTIMIZERS[objective])


def build_optimizer(cfg) -> optax.GradientTransformation:
  """Adam, RMSProp or SGD; a linear decay to 0 over `linear_decay_steps` updates when > 0."""
  lr = cfg.learning_rate
  if cfg.linear_decay_steps > 0:
    lr = optax.linear_schedule(cfg.learning_rate, 0.0, cfg.linear_decay_steps)
  if cfg.name == "adam":
    return optax.adam(lr, b1=cfg.b1, b2=cfg.b2, eps=cfg.eps)
  if cfg.name == "rmsprop":
    return optax.rmsprop(lr, decay=cfg.decay, eps=cfg.eps)
  if cfg.name == "sgd":
    return optax.sgd(lr)
  raise ValueError(f"unknown optimizer {cfg.name!r}; known: ['adam', 'rmsprop', 'sgd']")
