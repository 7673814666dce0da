"""Likelihood objectives against NumPy references, Monte Carlo and a closed-form latent model."""

import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

from gen_models.objectives import likelihood as lik


def test_bernoulli_log_likelihood_matches_numpy():
  rng = np.random.default_rng(0)
  logits = rng.normal(0, 3, size=(4, 5, 5, 1))
  x = (rng.uniform(size=logits.shape) < 0.4).astype(np.float64)
  p = 1.0 / (1.0 + np.exp(-logits))
  expected = np.sum(x * np.log(p) + (1 - x) * np.log1p(-p), axis=(1, 2, 3))
  got = lik.bernoulli_log_likelihood(jnp.asarray(logits, jnp.float32), jnp.asarray(x, jnp.float32))
  np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_bernoulli_log_likelihood_is_stable_at_extreme_logits():
  logits = jnp.array([[200.0, -200.0, 200.0, -200.0]])
  x = jnp.array([[1.0, 0.0, 0.0, 1.0]])
  # the two confident-right pixels cost ~0, the two confident-wrong ones 200 nats each
  np.testing.assert_allclose(lik.bernoulli_log_likelihood(logits, x), [-400.0], rtol=1e-6)


def test_autoregressive_nll_normalizes_over_all_binary_images():
  """A 3-pixel autoregressive model: exp(-NLL) summed over all 8 images must be 1."""
  w = np.array([[0.0, 0.0, 0.0], [1.3, 0.0, 0.0], [-0.7, 2.1, 0.0]])  # strictly lower-triangular
  b = np.array([0.2, -0.5, 0.9])
  images = jnp.asarray(list(itertools.product([0.0, 1.0], repeat=3)), jnp.float32)
  logits = images @ jnp.asarray(w.T, jnp.float32) + jnp.asarray(b, jnp.float32)  # pixel i sees x[<i]
  probs = jnp.exp(-lik.autoregressive_nll(logits, images))
  np.testing.assert_allclose(jnp.sum(probs), 1.0, rtol=1e-5)


def test_gaussian_kl_matches_monte_carlo():
  rng = np.random.default_rng(1)
  mean = rng.normal(0, 1, size=(3, 4))
  log_var = rng.normal(0, 0.7, size=(3, 4))
  n = 200_000
  z = mean + np.exp(0.5 * log_var) * rng.normal(size=(n, 3, 4))
  log_ratio = (stats.norm.logpdf(z, mean, np.exp(0.5 * log_var)).sum(-1)
               - stats.norm.logpdf(z).sum(-1))  # [n, 3]
  estimate, stderr = log_ratio.mean(0), log_ratio.std(0) / np.sqrt(n)
  kl = np.asarray(lik.gaussian_kl_to_standard(jnp.asarray(mean, jnp.float32),
                                               jnp.asarray(log_var, jnp.float32)))
  assert np.all(np.abs(kl - estimate) < 4 * stderr + 1e-4), (kl, estimate, stderr)
  np.testing.assert_allclose(
      lik.diag_gaussian_log_density(jnp.asarray(z[:5], jnp.float32), mean, log_var),
      stats.norm.logpdf(z[:5], mean, np.exp(0.5 * log_var)).sum(-1), rtol=1e-4)


class LinearGaussian:
  """z ~ N(0, I_Z), x | z ~ N(W z + b, s^2 I_D): p(x) = N(b, W W^T + s^2 I), in closed form,
  with a deliberately imperfect diagonal q (posterior mean shifted, variances inflated)."""

  def __init__(self, seed=0, z_dim=3, x_dim=6, s=0.5, batch=5):
    rng = np.random.default_rng(seed)
    self.w = rng.normal(size=(x_dim, z_dim))
    self.b = rng.normal(size=x_dim)
    self.s = s
    self.x = self.b + rng.normal(size=(batch, z_dim)) @ self.w.T + s * rng.normal(size=(batch, x_dim))
    cov_x = self.w @ self.w.T + s ** 2 * np.eye(x_dim)
    self.log_px = stats.multivariate_normal(self.b, cov_x).logpdf(self.x)  # [B]
    post_cov = np.linalg.inv(np.eye(z_dim) + self.w.T @ self.w / s ** 2)
    self.post_mean = (self.x - self.b) @ self.w @ post_cov / s ** 2  # [B, Z]
    self.post_cov = post_cov
    self.q_mean = self.post_mean + 0.4
    self.q_log_var = np.log(2.0 * np.diag(post_cov))[None].repeat(batch, 0)

  def log_px_given_z(self, z):
    mean = z @ jnp.asarray(self.w.T, jnp.float32) + jnp.asarray(self.b, jnp.float32)
    x = jnp.asarray(self.x, jnp.float32)
    return jnp.sum(-0.5 * (jnp.log(2 * jnp.pi * self.s ** 2) + jnp.square(x - mean) / self.s ** 2),
                   axis=-1)

  def kl_q_to_posterior(self):
    """KL(q(z|x) || p(z|x)) per example, both Gaussian: the ELBO's gap to log p(x)."""
    inv = np.linalg.inv(self.post_cov)
    var_q = np.exp(self.q_log_var)
    d = self.post_mean - self.q_mean
    return 0.5 * (np.einsum("ii,bi->b", inv, var_q) + np.einsum("bi,ij,bj->b", d, inv, d)
                  - self.q_mean.shape[1] + np.linalg.slogdet(self.post_cov)[1]
                  - np.sum(self.q_log_var, -1))

  def q(self):
    return jnp.asarray(self.q_mean, jnp.float32), jnp.asarray(self.q_log_var, jnp.float32)


def test_negative_elbo_is_log_px_minus_posterior_kl_in_expectation():
  model = LinearGaussian()
  mean, log_var = model.q()
  keys = jax.random.split(jax.random.key(0), 4000)
  terms = jax.jit(jax.vmap(lambda k: lik.negative_elbo(mean, log_var, model.log_px_given_z, k)))(keys)
  np.testing.assert_allclose(terms["nelbo"], terms["reconstruction"] + terms["kl"], rtol=1e-6)
  elbo = -np.asarray(terms["nelbo"], np.float64)  # [R, B]
  expected = model.log_px - model.kl_q_to_posterior()
  stderr = elbo.std(0) / np.sqrt(len(keys))
  assert np.all(np.abs(elbo.mean(0) - expected) < 4 * stderr), (elbo.mean(0), expected)
  assert np.all(model.kl_q_to_posterior() > 0.1)  # q really is imperfect


def test_iwae_approaches_log_px_from_below_as_k_grows():
  model = LinearGaussian()
  mean, log_var = model.q()
  repeats = 40
  gaps, bounds = [], []
  for k in (1, 10, 100, 1000):
    est = jax.jit(jax.vmap(lambda key: lik.iwae_log_likelihood(
        mean, log_var, model.log_px_given_z, key, k, chunk_size=250)))(
            jax.random.split(jax.random.key(k), repeats))
    est = np.asarray(est, np.float64)  # [R, B]
    gap = model.log_px - est.mean(0)
    stderr = est.std(0) / np.sqrt(repeats)
    assert np.all(gap > -3 * stderr - 1e-3), f"k={k}: mean estimate above log p(x) by {-gap}"
    gaps.append(gap.mean())
    bounds.append(stderr.mean())
  assert all(a > b for a, b in zip(gaps, gaps[1:])), gaps
  assert gaps[-1] < 0.1 * gaps[0], gaps  # k = 1000 closes most of the ELBO's gap


def test_chunked_iwae_equals_unchunked():
  model = LinearGaussian(seed=3)
  mean, log_var = model.q()
  key = jax.random.key(5)

  def estimate(chunk_size):
    return jax.jit(lambda k: lik.iwae_log_likelihood(mean, log_var, model.log_px_given_z, k, 50,
                                                     chunk_size))(key)

  whole = estimate(50)
  for chunk_size in (10, 7):  # 5 equal chunks; 7 chunks of 7 plus a remainder chunk of 1
    np.testing.assert_allclose(estimate(chunk_size), whole, rtol=1e-5)
  # and by hand: logsumexp over the 50 individual log-weights
  log_w = jax.jit(lambda k: lik._log_weights(mean, log_var, model.log_px_given_z, k,
                                             jnp.arange(50)))(key)  # [50, B]
  np.testing.assert_allclose(whole, jax.nn.logsumexp(log_w, axis=0) - np.log(50), rtol=1e-5)


def test_iwae_with_one_sample_is_an_elbo_sample():
  """k = 1: log p(x|z) + log p(z) - log q(z|x) has the ELBO as its mean over keys."""
  model = LinearGaussian(seed=2)
  mean, log_var = model.q()
  keys = jax.random.split(jax.random.key(1), 4000)
  est = np.asarray(jax.jit(jax.vmap(lambda k: lik.iwae_log_likelihood(
      mean, log_var, model.log_px_given_z, k, 1)))(keys), np.float64)
  expected = model.log_px - model.kl_q_to_posterior()
  assert np.all(np.abs(est.mean(0) - expected) < 4 * est.std(0) / np.sqrt(len(keys)))


def test_bits_per_dim_conversions():
  np.testing.assert_allclose(lik.nats_to_bits_per_dim(784 * np.log(2.0), 784), 1.0)
  np.testing.assert_allclose(lik.bits_per_dim_to_nats(lik.nats_to_bits_per_dim(81.3, 784), 784),
                             81.3)


def test_iwae_rejects_bad_sizes():
  mean = jnp.zeros((2, 3))
  with pytest.raises(ValueError, match="num_samples"):
    lik.iwae_log_likelihood(mean, mean, lambda z: jnp.zeros(2), jax.random.key(0), 0)


def _affine_flow(scale, shift):
  """z0 -> scale * z0 + shift with log|det| = sum log|scale|: q' = N(scale m + shift, scale^2 v)."""
  scale, shift = jnp.asarray(scale, jnp.float32), jnp.asarray(shift, jnp.float32)
  return lambda z0: (scale * z0 + shift, jnp.full(z0.shape[:1], jnp.sum(jnp.log(jnp.abs(scale)))))


def test_flow_elbo_and_iwae_match_the_equivalent_gaussian_posterior():
  """An affine flow on q gives another diagonal Gaussian q'; the flow ELBO's expectation must be
  log p(x) - KL(q' || p(z|x)) (a wrong log-det sign or term would shift it), and the flow IWAE
  must close the gap as k grows."""
  model = LinearGaussian()
  mean, log_var = model.q()
  scale, shift = np.array([0.5, -1.3, 0.8]), np.array([0.2, -0.1, 0.3])  # log|det| -0.65
  flow = _affine_flow(scale, shift)
  keys = jax.random.split(jax.random.key(1), 4000)
  terms = jax.jit(jax.vmap(lambda k: lik.negative_elbo_flow(mean, log_var, flow,
                                                            model.log_px_given_z, k)))(keys)
  equivalent = LinearGaussian()
  equivalent.q_mean = scale * model.q_mean + shift
  equivalent.q_log_var = model.q_log_var + np.log(scale ** 2)
  elbo = -np.asarray(terms["nelbo"], np.float64)
  expected = model.log_px - equivalent.kl_q_to_posterior()
  stderr = elbo.std(0) / np.sqrt(len(keys))
  assert np.all(np.abs(elbo.mean(0) - expected) < 4 * stderr + 1e-3), (elbo.mean(0), expected)
  kl = np.asarray(terms["kl"], np.float64).mean(0)
  analytic = lik.gaussian_kl_to_standard(*(jnp.asarray(a, jnp.float32) for a in
                                           (equivalent.q_mean, equivalent.q_log_var)))
  np.testing.assert_allclose(kl, analytic, atol=6 * np.asarray(terms["kl"]).std(0).max() / 63)
  iwae = np.asarray(jax.jit(jax.vmap(lambda k: lik.iwae_log_likelihood(
      mean, log_var, model.log_px_given_z, k, 1000, 250, transform=flow)))(
          jax.random.split(jax.random.key(2), 20)), np.float64).mean(0)
  gap = model.log_px - iwae
  assert np.all(gap > -0.05) and np.all(gap < 0.2 * (model.log_px - expected)), gap
