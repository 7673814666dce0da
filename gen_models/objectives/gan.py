"""GAN objectives of Chapter 3: WGAN-GP, WGAN with weight clipping, DCGAN, LSGAN.

Conventions: `critic_fn(x) -> [B]` maps a batch to real-valued scores (logits for DCGAN);
every loss is a scalar that its player *minimizes*.
"""

from typing import Callable

import chex
import jax
import jax.numpy as jnp

OBJECTIVES = ("wgan_gp", "wgan_clip", "dcgan", "lsgan")


def wgan_critic_loss(real_scores, fake_scores):
  """E[D(fake)] - E[D(real)]: the negative of the Wasserstein estimate."""
  return jnp.mean(fake_scores) - jnp.mean(real_scores)


def wgan_generator_loss(fake_scores):
  return -jnp.mean(fake_scores)


def interpolates(real, fake, key):
  """x_hat = eps x + (1 - eps) x_fake, eps ~ U[0, 1] per example. [B, ...] -> [B, ...]."""
  eps = jax.random.uniform(key, (real.shape[0],) + (1,) * (real.ndim - 1), dtype=real.dtype)
  return eps * real + (1.0 - eps) * fake


def input_gradient_norms(critic_fn: Callable, x):
  """||grad_x D(x)||_2 per example. x: [B, ...] -> [B].

  Summing the scores before differentiating gives per-example gradients because a critic
  without batch norm treats examples independently.
  """
  grads = jax.grad(lambda inputs: jnp.sum(critic_fn(inputs)))(x)
  chex.assert_equal_shape([grads, x])
  sq = jnp.sum(jnp.square(grads).reshape(x.shape[0], -1), axis=-1)
  return jnp.sqrt(sq + 1e-12)  # the tiny floor keeps d/dx sqrt finite at a zero gradient


def gradient_penalty(critic_fn: Callable, x_hat, one_sided: bool = False):
  """E[(||grad D(x_hat)|| - 1)^2] (two-sided) or E[max(0, ||grad D|| - 1)^2] (one-sided)."""
  excess = input_gradient_norms(critic_fn, x_hat) - 1.0
  if one_sided:
    excess = jnp.maximum(excess, 0.0)
  return jnp.mean(jnp.square(excess))


def dcgan_discriminator_loss(real_logits, fake_logits):
  """-E[log sigmoid(D(x))] - E[log(1 - sigmoid(D(G(z))))]."""
  return jnp.mean(jax.nn.softplus(-real_logits)) + jnp.mean(jax.nn.softplus(fake_logits))


def dcgan_generator_loss(fake_logits, non_saturating: bool = True):
  """Non-saturating: -E[log sigmoid(D(G(z)))]; minimax: E[log(1 - sigmoid(D(G(z))))]."""
  if non_saturating:
    return jnp.mean(jax.nn.softplus(-fake_logits))
  return -jnp.mean(jax.nn.softplus(fake_logits))


def lsgan_discriminator_loss(real_scores, fake_scores):
  """1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2] (targets b=1 real, a=0 fake)."""
  return 0.5 * jnp.mean(jnp.square(real_scores - 1.0)) + 0.5 * jnp.mean(jnp.square(fake_scores))


def lsgan_generator_loss(fake_scores):
  """1/2 E[(D(G(z)) - 1)^2] (target c=1)."""
  return 0.5 * jnp.mean(jnp.square(fake_scores - 1.0))


def clip_weights(params, c: float):
  """Hard clipping of every critic parameter to [-c, c] (Arjovsky et al.)."""
  return jax.tree_util.tree_map(lambda p: jnp.clip(p, -c, c), params)


def critic_objective(cfg, critic_fn: Callable, real, fake, key):
  """The critic's loss under objective `cfg.name`, and its parts for logging.

  real, fake: [B, ...]. Returns (loss, metrics dict of scalars).
  """
  chex.assert_equal_shape([real, fake])
  real_scores, fake_scores = critic_fn(real), critic_fn(fake)
  chex.assert_shape([real_scores, fake_scores], (real.shape[0],))
  metrics = {"critic_real": jnp.mean(real_scores), "critic_fake": jnp.mean(fake_scores)}
  if cfg.name in ("wgan_gp", "wgan_clip"):
    loss = wgan_critic_loss(real_scores, fake_scores)
    metrics["wasserstein_estimate"] = -loss
    if cfg.name == "wgan_gp":
      penalty = gradient_penalty(critic_fn, interpolates(real, fake, key), cfg.gp_one_sided)
      metrics["gradient_penalty"] = penalty
      loss = loss + cfg.gp_weight * penalty
  elif cfg.name == "dcgan":
    loss = dcgan_discriminator_loss(real_scores, fake_scores)
  elif cfg.name == "lsgan":
    loss = lsgan_discriminator_loss(real_scores, fake_scores)
  else:
    raise ValueError(f"unknown GAN objective {cfg.name!r}; known: {OBJECTIVES}")
  metrics["critic_loss"] = loss
  return loss, metrics


def generator_objective(cfg, fake_scores):
  """The generator's loss under objective `cfg.name`. fake_scores: [B]."""
  if cfg.name in ("wgan_gp", "wgan_clip"):
    return wgan_generator_loss(fake_scores)
  if cfg.name == "dcgan":
    return dcgan_generator_loss(fake_scores, cfg.non_saturating)
  if cfg.name == "lsgan":
    return lsgan_generator_loss(fake_scores)
  raise ValueError(f"unknown GAN objective {cfg.name!r}; known: {OBJECTIVES}")



def acgan_classification_loss(logits, labels):
  """AC-GAN's auxiliary term (Odena et al.): mean cross-entropy -E[log softmax(logits)[label]].

  logits: [B, K] class logits from the critic's auxiliary head; labels: [B] int in [0, K).
  The critic minimises it on real images with their labels, the generator on its samples with
  the labels it was conditioned on; each side weights it by a config value.
  """
  chex.assert_rank(logits, 2)
  chex.assert_shape(labels, (logits.shape[0],))
  log_probs = jax.nn.log_softmax(logits, axis=-1)
  return -jnp.mean(jnp.take_along_axis(log_probs, labels[:, None].astype(jnp.int32), axis=-1))
