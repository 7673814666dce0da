"""Likelihood objectives of Chapter 2 (sections 1.5 and 2.3): Bernoulli pixels, the Gaussian KL,
the negative ELBO, exact autoregressive NLL and the importance-sampled (IWAE) estimate.

Conventions: every quantity is in nats *per image* (summed over pixels), shaped [B]; a
log-likelihood is higher-is-better, an NLL or loss is its negative. Latent models expose
`log_px_given_z(z [B, Z]) -> [B]`, so these functions never see parameters.
"""

import math
from typing import Callable

import chex
import jax
import jax.numpy as jnp

LOG_2PI = math.log(2.0 * math.pi)


def _sum_per_example(values):
  """[B, ...] -> [B]."""
  return jnp.sum(values.reshape(values.shape[0], -1), axis=-1)


def bernoulli_log_likelihood(logits, x):
  """log p(x | logits) = sum x log s(l) + (1 - x) log s(-l), summed per example. [B, ...] -> [B].

  Written as x l - softplus(l), which never evaluates log(0): exact for |l| in the hundreds.
  """
  chex.assert_equal_shape([logits, x])
  logits = logits.astype(jnp.float32)
  return _sum_per_example(x * logits - jax.nn.softplus(logits))


def gaussian_kl_to_standard(mean, log_var):
  """KL(N(mean, diag exp(log_var)) || N(0, I)) = 1/2 sum(exp(lv) + mean^2 - 1 - lv). [B, Z] -> [B]."""
  chex.assert_equal_shape([mean, log_var])
  return 0.5 * jnp.sum(jnp.exp(log_var) + jnp.square(mean) - 1.0 - log_var, axis=-1)


def diag_gaussian_log_density(z, mean, log_var):
  """log N(z; mean, diag exp(log_var)), summed over the last axis. [..., Z] -> [...]."""
  return -0.5 * jnp.sum(LOG_2PI + log_var + jnp.square(z - mean) * jnp.exp(-log_var), axis=-1)


def standard_normal_log_density(z):
  """log N(z; 0, I). [..., Z] -> [...]."""
  return -0.5 * jnp.sum(LOG_2PI + jnp.square(z), axis=-1)


def reparameterize(key, mean, log_var):
  """z = mean + exp(log_var / 2) * eps, eps ~ N(0, I): differentiable in (mean, log_var)."""
  eps = jax.random.normal(key, mean.shape, mean.dtype)
  return mean + jnp.exp(0.5 * log_var) * eps


def negative_elbo(mean, log_var, log_px_given_z: Callable, key) -> dict:
  """One-sample negative ELBO -log p(x|z) + KL(q(z|x) || p(z)), z ~ q (eq. 1.22 with L = 1).

  mean, log_var: [B, Z], the encoder's q(z|x). Returns per-example [B] arrays: `reconstruction`
  (-log p(x|z), nats), `kl` (analytic) and `nelbo` (their sum, an upper bound on -log p(x) in
  expectation).
  """
  chex.assert_rank([mean, log_var], 2)
  z = reparameterize(key, mean, log_var)
  reconstruction = -log_px_given_z(z)
  kl = gaussian_kl_to_standard(mean, log_var)
  chex.assert_shape([reconstruction, kl], (mean.shape[0],))
  return {"reconstruction": reconstruction, "kl": kl, "nelbo": reconstruction + kl}


def autoregressive_nll(logits, x):
  """Exact -log p(x) of a binary autoregressive model whose logits[i] saw only x[<i]. -> [B]."""
  return -bernoulli_log_likelihood(logits, x)


def _log_weights(mean, log_var, log_px_given_z, key, sample_ids):
  """log p(x, z_i) - log q(z_i | x) for the samples with ids `sample_ids` [C] -> [C, B].

  The noise of sample i depends only on (key, i), so how samples are grouped into chunks
  never changes the estimate.
  """
  def one(i):
    z = reparameterize(jax.random.fold_in(key, i), mean, log_var)
    return (log_px_given_z(z) + standard_normal_log_density(z)
            - diag_gaussian_log_density(z, mean, log_var))

  return jax.vmap(one)(sample_ids)


def iwae_log_likelihood(mean, log_var, log_px_given_z: Callable, key, num_samples: int,
                        chunk_size: int = 100):
  """Importance-sampled log p(x) ~= log (1/k) sum_i p(x, z_i) / q(z_i | x), z_i ~ q(z | x).

  A stochastic lower bound (in expectation) that tightens as k = num_samples grows (Burda et
  al.'s IWAE bound; thesis section 2.4.1 uses k = 5000). Samples are processed `chunk_size` at
  a time by a `lax.scan` that carries a running logsumexp, so memory is O(chunk_size x B),
  independent of k. mean, log_var: [B, Z]; returns [B] nats.
  """
  chex.assert_rank([mean, log_var], 2)
  if num_samples < 1 or chunk_size < 1:
    raise ValueError(f"num_samples and chunk_size must be >= 1, got {num_samples}, {chunk_size}")
  chunk_size = min(chunk_size, num_samples)
  num_chunks, remainder = divmod(num_samples, chunk_size)

  def add_chunk(running, ids):
    log_w = _log_weights(mean, log_var, log_px_given_z, key, ids)
    return jnp.logaddexp(running, jax.nn.logsumexp(log_w, axis=0)), None

  running = jnp.full((mean.shape[0],), -jnp.inf, jnp.float32)
  ids = jnp.arange(num_chunks * chunk_size).reshape(num_chunks, chunk_size)
  running, _ = jax.lax.scan(add_chunk, running, ids)
  if remainder:
    running, _ = add_chunk(running, jnp.arange(num_chunks * chunk_size, num_samples))
  return running - math.log(num_samples)


def nats_to_bits_per_dim(nats, num_dims: int):
  """Nats per image -> bits per dimension: nats / (D ln 2)."""
  return nats / (num_dims * math.log(2.0))


def bits_per_dim_to_nats(bits_per_dim, num_dims: int):
  return bits_per_dim * num_dims * math.log(2.0)
