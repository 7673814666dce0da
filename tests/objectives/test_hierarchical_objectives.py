"""The hierarchical PixelVAE's objective pieces against closed forms: the one-sample KL against an
autoregressive prior is unbiased (Monte Carlo vs analytic), the IWAE bound rises with k and stays
above the ELBO, the 256-way softmax is a normalized pmf, bits/dim = nats / (D ln 2)."""

import math

import jax
import jax.numpy as jnp
import numpy as np

from gen_models.objectives import likelihood as lik


def test_single_sample_kl_is_unbiased_for_the_analytic_kl():
  k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
  mean_q, lv_q = jax.random.normal(k1, (2, 3, 3, 2)), 0.5 * jax.random.normal(k2, (2, 3, 3, 2))
  mean_p, lv_p = 0.5 * jax.random.normal(k3, (2, 3, 3, 2)), jnp.full((2, 3, 3, 2), 0.3)
  analytic = lik.diag_gaussian_kl(mean_q, lv_q, mean_p, lv_p)
  z = jax.vmap(lambda k: lik.reparameterize(k, mean_q, lv_q))(
      jax.random.split(jax.random.key(1), 20000))
  mc = jax.vmap(lambda zi: lik.single_sample_kl(zi, mean_q, lv_q, mean_p, lv_p))(z).mean(0)
  np.testing.assert_allclose(mc, analytic, rtol=0.03)
  # the standard normal prior: the analytic KL every VAE here uses
  zero = jnp.zeros_like(mean_q)
  np.testing.assert_allclose(lik.diag_gaussian_kl(mean_q, lv_q, zero, zero),
                             lik.gaussian_kl_to_standard(mean_q.reshape(2, -1),
                                                         lv_q.reshape(2, -1)), rtol=1e-5)


def test_iwae_rises_with_k_and_stays_above_the_elbo():
  """A linear Gaussian model z ~ N(0, 1), x | z ~ N(z, s^2), with a deliberately poor
  posterior: log p(x) = log N(x; 0, 1 + s^2) is known, the ELBO is below it, and IWAE_k climbs
  from the ELBO (k = 1 in expectation) towards it."""
  s2, x = 0.25, jnp.array([0.3, -1.2, 2.0])
  mean_q, lv_q = 0.5 * x, jnp.full_like(x, math.log(0.5))

  def log_weights(key):
    def fn(ids):
      def one(i):
        z = lik.reparameterize(jax.random.fold_in(key, i), mean_q, lv_q)
        return (-0.5 * (math.log(2 * math.pi * s2) + (x - z) ** 2 / s2)
                - 0.5 * (math.log(2 * math.pi) + z ** 2)
                + 0.5 * (math.log(2 * math.pi) + lv_q + (z - mean_q) ** 2 / jnp.exp(lv_q)))
      return jax.vmap(one)(ids)
    return fn

  exact = -0.5 * (np.log(2 * np.pi * (1 + s2)) + np.asarray(x) ** 2 / (1 + s2))
  keys = jax.random.split(jax.random.key(2), 100)

  def bound(k):  # the mean over 100 repetitions of IWAE_k, [3]
    fn = jax.jit(jax.vmap(lambda kk: lik.iwae_from_log_weights(log_weights(kk), 3, k, 100)))
    return np.asarray(fn(keys)).mean(0)

  elbo, b10, b1000 = bound(1), bound(10), bound(1000)
  assert np.all(elbo < b10) and np.all(b10 < b1000), (elbo, b10, b1000)
  assert np.all(b1000 <= exact + 0.01), (b1000, exact)  # a bound, up to Monte Carlo noise
  np.testing.assert_allclose(b1000, exact, atol=0.05)
  # chunking never changes the estimate
  np.testing.assert_allclose(lik.iwae_from_log_weights(log_weights(keys[0]), 3, 10, 3),
                             lik.iwae_from_log_weights(log_weights(keys[0]), 3, 10, 10),
                             rtol=1e-6)


def test_256_way_softmax_is_a_normalized_pmf_and_bits_per_dim():
  logits = jax.random.normal(jax.random.key(3), (1, 1, 1, 2 * 256)) * 3.0
  levels = jnp.arange(256)
  # every (R, G) pair of a 1x1 two-channel image: probabilities sum to one
  x = jnp.stack(jnp.meshgrid(levels, levels, indexing="ij"), -1).reshape(-1, 1, 1, 2)
  x = x / 127.5 - 1.0
  log_p = jax.vmap(lambda v: lik.categorical_log_likelihood(logits, v[None])[0])(x)
  np.testing.assert_allclose(float(jnp.sum(jnp.exp(log_p))), 1.0, rtol=1e-4)
  np.testing.assert_array_equal(lik.to_levels(levels / 127.5 - 1.0), levels)
  np.testing.assert_allclose(lik.nats_to_bits_per_dim(3072 * math.log(2) * 3.5, 3072), 3.5)
  np.testing.assert_allclose(lik.nats_to_bits_per_dim(1000.0, 12288), 1000 / (12288 * math.log(2)))
