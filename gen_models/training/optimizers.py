"""Optimizers from config (the thesis' per-objective settings: presets/gan_objectives.py)."""

import jax.numpy as jnp
import ml_collections
import optax

def optimizer_config(name="adam", learning_rate=1e-4, b1=0.9, b2=0.999, decay=0.99,
                     eps=1e-8, linear_decay=False) -> ml_collections.ConfigDict:
  """A complete optimizer config (every field present so overrides can reach each one).

  linear_decay: decay the learning rate linearly to 0 over the run (`train.num_steps`).
  """
  return ml_collections.ConfigDict(dict(
      name=name, learning_rate=learning_rate, b1=b1, b2=b2, decay=decay, eps=eps,
      linear_decay=linear_decay))


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


def averaged_params(average, params, decay: float, step):
  """One update of an exponential moving average of the parameters (Polyak averaging).

  The weight of the new params is 1 - min(decay, (1 + step) / (10 + step)): early on, when the
  params move fast, the average follows them closely instead of remembering the random init
  (the `num_updates` rule of TensorFlow's ExponentialMovingAverage). `step`: the number of
  updates before this one.
  """
  effective = jnp.minimum(decay, (1.0 + step) / (10.0 + step))
  return optax.incremental_update(params, average, 1.0 - effective)
