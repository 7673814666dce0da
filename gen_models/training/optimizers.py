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
                     eps=1e-8, linear_decay=False) -> ml_collections.ConfigDict:
  """A complete optimizer config (every field present so overrides can reach each one).

  linear_decay: decay the learning rate linearly to 0 over the run (`train.num_steps`).
  """
  return ml_collections.ConfigDict(dict(
      name=name, learning_rate=learning_rate, b1=b1, b2=b2, decay=decay, eps=eps,
      linear_decay=linear_decay))


def thesis_optimizer(objective: str) -> ml_collections.ConfigDict:
  if objective not in THESIS_GAN_OPTIMIZERS:
    raise ValueError(f"no thesis optimizer for objective {objective!r}")
  return optimizer_config(**THESIS_GAN_OPTIMIZERS[objective])


def build_optimizer(cfg, total_updates: int) -> optax.GradientTransformation:
  """Adam, RMSProp or SGD; with `cfg.linear_decay`, the rate falls linearly to 0 over
  `total_updates` updates of this optimizer (e.g. n_critic x num_steps for a critic)."""
  lr = cfg.learning_rate
  if cfg.linear_decay:
    lr = optax.linear_schedule(cfg.learning_rate, 0.0, max(1, total_updates))
  if cfg.name == "adam":
    return optax.adam(lr, b1=cfg.b1, b2=cfg.b2, eps=cfg.eps)
  if cfg.name == "rmsprop":
    return optax.rmsprop(lr, decay=cfg.decay, eps=cfg.eps)
  if cfg.name == "sgd":
    return optax.sgd(lr)
  raise ValueError(f"unknown optimizer {cfg.name!r}; known: ['adam', 'rmsprop', 'sgd']")
