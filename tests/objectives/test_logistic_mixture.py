"""The discretized logistic mixture of 8-bit pixels (PixelCNN++): a normalized pmf over the 256
levels, equal to SciPy logistic CDF differences, and a sampler whose histogram is that pmf."""

import math

import jax
import jax.numpy as jnp
import numpy as np
from scipy import special, stats

from gen_models.objectives import likelihood as lik

LEVELS = np.arange(256) / 127.5 - 1.0
# jitted once each: op-by-op dispatch of these small graphs costs seconds on a busy CPU
pixel_log_probs = jax.jit(lik.logistic_mixture_pixel_log_probs, static_argnums=2)
log_likelihood = jax.jit(lik.logistic_mixture_log_likelihood, static_argnums=2)
sample = jax.jit(lik.sample_logistic_mixture, static_argnums=(2, 3))


def _random_params(rng, lead, channels, mixtures, scale_shift=0.0):
  """Raw mixture parameters [*lead, P] with log-scales spanning sharp to broad components."""
  k = mixtures
  params = rng.normal(0, 1, size=lead + (lik.mixture_num_params(channels, k),))
  rest = params[..., k:].reshape(lead + (-1, k))  # a view: rows means, log-scales, coeffs
  rest[..., channels:2 * channels, :] = scale_shift + rng.uniform(
      -4.5, 0.5, size=rest[..., channels:2 * channels, :].shape)
  return params.astype(np.float32)


def _scipy_log_prob(params, x, mixtures):
  """log p(pixel) per pixel: [N, P], [N, C] in [-1, 1] -> [N], in float64 with SciPy's CDF."""
  n, c = x.shape
  k = mixtures
  logits = params[:, :k].astype(np.float64)
  rest = params[:, k:].reshape(n, -1, k).astype(np.float64)
  means, log_scales = rest[:, :c], np.maximum(rest[:, c:2 * c], lik.MIN_LOG_SCALE)
  coeffs = np.tanh(rest[:, 2 * c:])
  log_mix = logits - special.logsumexp(logits, axis=1, keepdims=True)
  total = log_mix.copy()
  for ch in range(c):
    mean = means[:, ch].copy()
    for j in range(ch):
      mean += coeffs[:, ch * (ch - 1) // 2 + j] * x[:, j:j + 1]
    scale = np.exp(log_scales[:, ch])
    xc = x[:, ch:ch + 1]
    upper = np.where(xc > 0.999, 1.0, stats.logistic.cdf(xc + 1 / 255, mean, scale))
    lower = np.where(xc < -0.999, 0.0, stats.logistic.cdf(xc - 1 / 255, mean, scale))
    with np.errstate(divide="ignore"):  # far-tail bins underflow to 0 in float64 too
      total += np.log(upper - lower)
  return special.logsumexp(total, axis=1)


def test_num_params_and_bad_width():
  assert lik.mixture_num_params(3, 10) == 100  # PixelCNN++'s 10 components per pixel
  assert lik.mixture_num_params(1, 5) == 15
  try:
    lik.unpack_mixture_params(jnp.zeros((2, 7)), 3, 1)
  except ValueError as e:
    assert "expected 10" in str(e)
  else:
    raise AssertionError("a wrong parameter width must be rejected")


def test_one_channel_pmf_sums_to_one_over_all_256_levels():
  rng = np.random.default_rng(0)
  for shift in (0.0, -2.5):  # broad components, and sharp ones where tails hit the fallback
    params = _random_params(rng, (1,), 1, 3, shift)
    x = LEVELS.reshape(256, 1, 1, 1).astype(np.float32)
    log_p = pixel_log_probs(
        jnp.broadcast_to(params, (256, 1, 1, params.shape[-1])), x, 3)
    np.testing.assert_allclose(np.exp(np.asarray(log_p, np.float64)).sum(), 1.0, atol=2e-4)


def test_two_channel_joint_pmf_sums_to_one_over_all_65536_pairs():
  """Enumerates every (v0, v1): the second channel's mean moves with the first."""
  params = _random_params(np.random.default_rng(1), (1,), 2, 2)
  v0, v1 = np.meshgrid(LEVELS, LEVELS, indexing="ij")
  x = np.stack([v0.ravel(), v1.ravel()], -1).reshape(-1, 1, 1, 2).astype(np.float32)
  log_p = pixel_log_probs(
      jnp.broadcast_to(params, (x.shape[0], 1, 1, params.shape[-1])), x, 2)
  np.testing.assert_allclose(np.exp(np.asarray(log_p, np.float64)).sum(), 1.0, atol=5e-4)


def test_three_channel_log_likelihood_matches_scipy_cdf_differences():
  rng = np.random.default_rng(2)
  b, h, w, k = 2, 3, 4, 4
  params = _random_params(rng, (b, h, w), 3, k, scale_shift=1.0)
  v = rng.integers(0, 256, size=(b, h, w, 3))
  v[0, 0, 0] = (0, 255, 0)  # both edge bins
  v[1, 2, 3] = (255, 0, 255)
  x = (v / 127.5 - 1.0).astype(np.float32)
  got = log_likelihood(jnp.asarray(params), jnp.asarray(x), k)
  per_pixel = _scipy_log_prob(params.reshape(-1, params.shape[-1]),
                              x.reshape(-1, 3).astype(np.float64), k)
  np.testing.assert_allclose(got, per_pixel.reshape(b, -1).sum(1), rtol=2e-5, atol=1e-3)
  bpd = lik.nats_to_bits_per_dim(-got, h * w * 3)
  np.testing.assert_allclose(bpd, -per_pixel.reshape(b, -1).sum(1) / (h * w * 3 * math.log(2)),
                             rtol=2e-5)


def test_log_likelihood_gradients_are_finite_at_extreme_parameters():
  params = np.zeros((1, 1, 2, lik.mixture_num_params(3, 2)), np.float32)
  params[..., 2:] = 40.0  # means far right of every pixel, log-scales clipped at the floor
  x = jnp.full((1, 1, 2, 3), -1.0)
  grad = jax.jit(jax.grad(lambda p: lik.logistic_mixture_log_likelihood(p, x, 2).sum()))(
      jnp.asarray(params))
  assert np.all(np.isfinite(grad))


def test_sampler_histogram_matches_the_pmf():
  rng = np.random.default_rng(3)
  params = _random_params(rng, (1,), 1, 3, scale_shift=-1.0)
  n = 40_000
  draws = sample(jax.random.key(0),
                                      jnp.broadcast_to(params, (n, params.shape[-1])), 1, 3)
  levels = np.round((np.asarray(draws)[:, 0] + 1.0) * 127.5).astype(int)
  np.testing.assert_allclose(np.asarray(draws)[:, 0], LEVELS[levels], atol=1e-6)  # on the grid
  counts = np.bincount(levels, minlength=256)
  pmf = np.exp(_scipy_log_prob(np.repeat(params, 256, 0), LEVELS[:, None], 3))
  # chi-square over levels with expected count >= 5 (the rest pooled)
  big = pmf * n >= 5
  observed = np.append(counts[big], counts[~big].sum())
  expected = np.append(pmf[big], pmf[~big].sum()) * n
  keep = expected > 0
  expected = expected[keep] * observed.sum() / expected[keep].sum()
  assert stats.chisquare(observed[keep], expected).pvalue > 1e-3


def test_sampler_second_channel_follows_the_first():
  """One component, channel 1's mean = m1 + tanh(a) x0: the conditional law given the sampled
  x0 matches the pmf's conditional (checked through the conditional mean of the levels)."""
  k = 1
  params = np.zeros((lik.mixture_num_params(2, k),), np.float32)
  params[1:3] = (0.0, 0.0)  # means
  params[3:5] = (-1.0, -4.0)  # log-scales: x0 broad, x1 sharp
  params[5] = 2.0  # tanh(2) ~ 0.96
  n = 20_000
  draws = np.asarray(sample(jax.random.key(1),
                                                 jnp.broadcast_to(params, (n, params.size)), 2, k))
  residual = draws[:, 1] - np.tanh(2.0) * draws[:, 0]
  assert abs(residual.mean()) < 0.01 and residual.std() < 0.1
  assert np.corrcoef(draws[:, 0], draws[:, 1])[0, 1] > 0.9
