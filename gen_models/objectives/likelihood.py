"""Likelihood objectives of Chapter 2 (sections 1.5 and 2.3): Bernoulli pixels, the Gaussian KL,
the negative ELBO, exact autoregressive NLL and the importance-sampled (IWAE) estimate; for
8-bit colour images (Chapter 4, CIFAR-10) the discretized logistic mixture of PixelCNN++.

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


def flow_posterior_sample(key, mean, log_var, transform: Callable):
  """z = f(z0), z0 ~ N(mean, diag exp(log_var)), with its density under the flow posterior:
  log q(z | x) = log N(z0; mean, var) - log|det dz/dz0|. transform(z0 [B, Z]) ->
  (z [B, Z], log_det [B]). -> (z [B, Z], log q [B])."""
  z0 = reparameterize(key, mean, log_var)
  z, log_det = transform(z0)
  chex.assert_equal_shape([z, z0])
  return z, diag_gaussian_log_density(z0, mean, log_var) - log_det


def negative_elbo_flow(mean, log_var, transform: Callable, log_px_given_z: Callable, key) -> dict:
  """One-sample negative ELBO with a normalizing-flow posterior (the IAF-VAE, Kingma et al.
  2016): the KL has no closed form, so `kl` is its one-sample estimate log q(z|x) - log p(z)
  at the same z as the reconstruction. Same [B] entries as `negative_elbo`."""
  chex.assert_rank([mean, log_var], 2)
  z, log_q = flow_posterior_sample(key, mean, log_var, transform)
  reconstruction = -log_px_given_z(z)
  kl = log_q - standard_normal_log_density(z)
  chex.assert_shape([reconstruction, kl], (mean.shape[0],))
  return {"reconstruction": reconstruction, "kl": kl, "nelbo": reconstruction + kl}


def autoregressive_nll(logits, x):
  """Exact -log p(x) of a binary autoregressive model whose logits[i] saw only x[<i]. -> [B]."""
  return -bernoulli_log_likelihood(logits, x)


def _log_weights(mean, log_var, log_px_given_z, key, sample_ids, transform=None):
  """log p(x, z_i) - log q(z_i | x) for the samples with ids `sample_ids` [C] -> [C, B].

  The noise of sample i depends only on (key, i), so how samples are grouped into chunks
  never changes the estimate. `transform`: an optional flow applied to the Gaussian draw.
  """
  def one(i):
    k = jax.random.fold_in(key, i)
    if transform is None:
      z = reparameterize(k, mean, log_var)
      log_q = diag_gaussian_log_density(z, mean, log_var)
    else:
      z, log_q = flow_posterior_sample(k, mean, log_var, transform)
    return log_px_given_z(z) + standard_normal_log_density(z) - log_q

  return jax.vmap(one)(sample_ids)


def iwae_log_likelihood(mean, log_var, log_px_given_z: Callable, key, num_samples: int,
                        chunk_size: int = 100, transform: Callable | None = None):
  """Importance-sampled log p(x) ~= log (1/k) sum_i p(x, z_i) / q(z_i | x), z_i ~ q(z | x).

  A stochastic lower bound (in expectation) that tightens as k = num_samples grows (Burda et
  al.'s IWAE bound; thesis section 2.4.1 uses k = 5000). Samples are processed `chunk_size` at
  a time by a `lax.scan` that carries a running logsumexp, so memory is O(chunk_size x B),
  independent of k. mean, log_var: [B, Z]; returns [B] nats. With `transform` (a flow, see
  `flow_posterior_sample`) the proposal is the flow posterior.
  """
  chex.assert_rank([mean, log_var], 2)
  return iwae_from_log_weights(
      lambda ids: _log_weights(mean, log_var, log_px_given_z, key, ids, transform),
      mean.shape[0], num_samples, chunk_size)


def iwae_from_log_weights(log_weights: Callable, batch_size: int, num_samples: int,
                          chunk_size: int = 100):
  """log (1/k) sum_i w_i per example from log_weights(sample_ids [C]) -> [C, B] (sample i's
  log p(x, z_i) - log q(z_i | x); its noise must depend only on i, so chunking never changes
  the estimate). A `lax.scan` over chunks of `chunk_size` carries a running logsumexp."""
  if num_samples < 1 or chunk_size < 1:
    raise ValueError(f"num_samples and chunk_size must be >= 1, got {num_samples}, {chunk_size}")
  chunk_size = min(chunk_size, num_samples)
  num_chunks, remainder = divmod(num_samples, chunk_size)

  def add_chunk(running, ids):
    return jnp.logaddexp(running, jax.nn.logsumexp(log_weights(ids), axis=0)), None

  running = jnp.full((batch_size,), -jnp.inf, jnp.float32)
  ids = jnp.arange(num_chunks * chunk_size).reshape(num_chunks, chunk_size)
  running, _ = jax.lax.scan(add_chunk, running, ids)
  if remainder:
    running, _ = add_chunk(running, jnp.arange(num_chunks * chunk_size, num_samples))
  return running - math.log(num_samples)


def diag_gaussian_kl(mean_q, log_var_q, mean_p, log_var_p):
  """KL(N(mean_q, diag var_q) || N(mean_p, diag var_p)), summed per example. [B, ...] -> [B]."""
  chex.assert_equal_shape([mean_q, log_var_q, mean_p, log_var_p])
  kl = 0.5 * (log_var_p - log_var_q + (jnp.exp(log_var_q) + jnp.square(mean_q - mean_p))
              * jnp.exp(-log_var_p) - 1.0)
  return _sum_per_example(kl)


def gaussian_log_density_per_example(z, mean, log_var):
  """log N(z; mean, diag exp(log_var)) summed per example. [B, ...] -> [B]."""
  chex.assert_equal_shape([z, mean, log_var])
  return _sum_per_example(-0.5 * (LOG_2PI + log_var + jnp.square(z - mean) * jnp.exp(-log_var)))


def single_sample_kl(z, mean_q, log_var_q, mean_p, log_var_p):
  """The one-sample KL estimate log q(z) - log p(z) at z ~ q (diagonal Gaussians; the prior's
  parameters may depend on z autoregressively, which is why no closed form is used). [B]."""
  return (gaussian_log_density_per_example(z, mean_q, log_var_q)
          - gaussian_log_density_per_example(z, mean_p, log_var_p))


def categorical_log_likelihood(logits, x, num_levels: int = 256):
  """log p(x) per image [B] of 8-bit images x [B, H, W, C] in [-1, 1] under one
  `num_levels`-way softmax per sub-pixel; logits [B, H, W, C * num_levels], channel-major
  (channel 0's levels, then channel 1's, ...)."""
  chex.assert_rank([logits, x], 4)
  b, h, w, c = x.shape
  logits = logits.astype(jnp.float32).reshape(b, h, w, c, num_levels)
  levels = to_levels(x, num_levels)
  log_probs = jnp.take_along_axis(jax.nn.log_softmax(logits, axis=-1), levels[..., None],
                                  axis=-1)[..., 0]
  return _sum_per_example(log_probs)


def to_levels(x, num_levels: int = 256):
  """x on the grid v / ((L - 1) / 2) - 1 -> the integer levels v in {0, ..., L - 1}."""
  half = (num_levels - 1) / 2.0
  return jnp.clip(jnp.round((x + 1.0) * half), 0, num_levels - 1).astype(jnp.int32)


def nats_to_bits_per_dim(nats, num_dims: int):
  """Nats per image -> bits per dimension: nats / (D ln 2)."""
  return nats / (num_dims * math.log(2.0))


def bits_per_dim_to_nats(bits_per_dim, num_dims: int):
  return bits_per_dim * num_dims * math.log(2.0)


# ---- 8-bit colour images: discretized logistic mixture (PixelCNN++) --------------------------
# Pixels v in {0, ..., 255} are scaled to x = v / 127.5 - 1 in [-1, 1]; bin v covers
# [x - 1/255, x + 1/255], the first bin extends to -inf and the last to +inf, so the 256
# probabilities of a sub-pixel sum to 1 exactly (Salimans et al. 2017, section 2.1).
HALF_BIN = 1.0 / 255.0
MIN_LOG_SCALE = -7.0  # PixelCNN++'s floor: keeps 1/s finite while bins stay resolvable


def mixture_num_params(num_channels: int, num_mixtures: int) -> int:
  """Outputs per pixel: K mixture logits and, per component, C means, C log-scales and
  C (C - 1) / 2 coefficients (channel c's mean is linear in channels < c of the same pixel)."""
  return num_mixtures * (1 + 2 * num_channels + num_channels * (num_channels - 1) // 2)


def unpack_mixture_params(params, num_channels: int, num_mixtures: int) -> dict:
  """params [..., P] -> {'logits' [..., K], 'means', 'log_scales' [..., C, K],
  'coeffs' [..., C(C-1)/2, K] in (-1, 1)}; layout: logits, then means, log-scales, coeffs."""
  c, k = num_channels, num_mixtures
  num_coeffs = c * (c - 1) // 2
  if params.shape[-1] != mixture_num_params(c, k):
    raise ValueError(f"{params.shape[-1]} mixture outputs per pixel, expected "
                     f"{mixture_num_params(c, k)} for {c} channels and {k} components")
  lead = params.shape[:-1]
  logits = params[..., :k]
  rest = params[..., k:].reshape(lead + (2 * c + num_coeffs, k))
  log_scales = jnp.maximum(rest[..., c:2 * c, :], MIN_LOG_SCALE)
  return {"logits": logits, "means": rest[..., :c, :], "log_scales": log_scales,
          "coeffs": jnp.tanh(rest[..., 2 * c:, :])}


def _coeff_index(c: int, j: int) -> int:
  """Position of the coefficient of channel j (< c) in channel c's mean."""
  return c * (c - 1) // 2 + j


def channel_means(p: dict, x):
  """Component means [..., C, K] given the pixel's own values x [..., C]: mean_c = m_c +
  sum_{j<c} coeff_{c,j} x_j (x must be the observed or already-sampled values)."""
  num_channels = x.shape[-1]
  means = []
  for c in range(num_channels):
    mean = p["means"][..., c, :]
    for j in range(c):
      mean = mean + p["coeffs"][..., _coeff_index(c, j), :] * x[..., j:j + 1]
    means.append(mean)
  return jnp.stack(means, axis=-2)


def discretized_logistic_log_probs(x, mean, log_scale):
  """log P(bin of x) under a logistic(mean, exp(log_scale)) discretized to the 256 levels.

  x, mean, log_scale broadcast to a common shape; x on the grid v / 127.5 - 1. Differences of
  sigmoids are computed as such where they are not tiny; where they are (< 1e-5, far tails)
  the density at the bin centre times the bin width stands in (no log(0)).
  """
  centred = x - mean
  inv_scale = jnp.exp(-log_scale)
  plus_in = inv_scale * (centred + HALF_BIN)
  min_in = inv_scale * (centred - HALF_BIN)
  log_cdf_plus = plus_in - jax.nn.softplus(plus_in)  # log sigmoid: the v = 0 bin
  log_one_minus_cdf_min = -jax.nn.softplus(min_in)  # log (1 - sigmoid): the v = 255 bin
  # Subtract the two CDFs on the side where they are small (1 - s(a) = s(-a) right of the
  # mean): float32 keeps their difference accurate in both tails.
  cdf_delta = jnp.where(centred > 0, jax.nn.sigmoid(-min_in) - jax.nn.sigmoid(-plus_in),
                        jax.nn.sigmoid(plus_in) - jax.nn.sigmoid(min_in))
  mid_in = inv_scale * centred
  log_pdf_mid = mid_in - log_scale - 2.0 * jax.nn.softplus(mid_in)
  log_mid = jnp.where(cdf_delta > 1e-5, jnp.log(jnp.maximum(cdf_delta, 1e-12)),
                      log_pdf_mid + math.log(2.0 * HALF_BIN))
  return jnp.where(x < -0.999, log_cdf_plus,
                   jnp.where(x > 0.999, log_one_minus_cdf_min, log_mid))


def logistic_mixture_pixel_log_probs(params, x, num_mixtures: int):
  """log p(pixel) [B, H, W] of x [B, H, W, C] in [-1, 1] under the mixture `params` [B, H, W, P]:
  log sum_k pi_k prod_c P_k(x_c | x_<c)."""
  chex.assert_rank([params, x], 4)
  chex.assert_equal_shape_prefix([params, x], 3)
  p = unpack_mixture_params(params.astype(jnp.float32), x.shape[-1], num_mixtures)
  x = x.astype(jnp.float32)
  means = channel_means(p, x)
  log_probs = discretized_logistic_log_probs(x[..., None], means, p["log_scales"])  # [..., C, K]
  return jax.nn.logsumexp(jnp.sum(log_probs, axis=-2) + jax.nn.log_softmax(p["logits"]), axis=-1)


def logistic_mixture_log_likelihood(params, x, num_mixtures: int):
  """log p(x) in nats per image [B] of 8-bit images x [B, H, W, C] scaled to [-1, 1]."""
  return _sum_per_example(logistic_mixture_pixel_log_probs(params, x, num_mixtures))


def sample_logistic_mixture(key, params, num_channels: int, num_mixtures: int):
  """One draw per pixel from the mixture `params` [..., P] -> x [..., C] on the 256-level grid.

  A component k ~ softmax(logits), then channel by channel a logistic draw around the mean
  given the channels already drawn, clipped to [-1, 1] and rounded to the nearest level: the
  rounding makes the draw's law exactly the discretized pmf above.
  """
  p = unpack_mixture_params(params.astype(jnp.float32), num_channels, num_mixtures)
  k_comp, k_logistic = jax.random.split(key)
  comp = jax.random.categorical(k_comp, p["logits"])  # [...]
  one_hot = jax.nn.one_hot(comp, num_mixtures)  # [..., K]
  # [..., n, K] -> [..., n]: the chosen component's entries
  pick = lambda a: jnp.sum(a * one_hot[..., None, :], axis=-1)  # noqa: E731
  m, log_s, coeffs = pick(p["means"]), pick(p["log_scales"]), pick(p["coeffs"])
  u = jax.random.uniform(k_logistic, m.shape, minval=1e-5, maxval=1.0 - 1e-5)
  channels = []
  for c in range(num_channels):
    mean = m[..., c]
    for j in range(c):
      mean = mean + coeffs[..., _coeff_index(c, j)] * channels[j]
    value = mean + jnp.exp(log_s[..., c]) * (jnp.log(u[..., c]) - jnp.log1p(-u[..., c]))
    channels.append(to_pixel_grid(value))
  return jnp.stack(channels, axis=-1)


def to_pixel_grid(x):
  """Continuous values -> the nearest of the 256 levels v / 127.5 - 1 (clipped to [-1, 1])."""
  return jnp.round((jnp.clip(x, -1.0, 1.0) + 1.0) * 127.5) / 127.5 - 1.0


# ---- per-image scores (log-likelihoods, higher = more normal) ----------------------------
def latent_model_scores(encode: Callable, log_px_given_z: Callable, x, key, iwae_samples: int,
                        iwae_chunk: int) -> dict:
  """Per-image scores of a latent-variable model on a batch x [B, ...] -> dict of [B].

  encode(x) -> (mean, log_var) [B, Z], or (mean, log_var, transform) for a flow posterior
  (transform(z0) -> (z, log|det|), see flow_posterior_sample; its `kl` is
  then a one-sample estimate); log_px_given_z(z [B, Z], x) -> [B].
  `iwae_samples` 0 skips the IWAE estimate.
  """
  posterior = encode(x)
  mean, log_var = posterior[:2]
  transform = posterior[2] if len(posterior) > 2 else None
  k_elbo, k_iwae = jax.random.split(key)
  log_px = lambda z: log_px_given_z(z, x)  # noqa: E731
  if transform is None:
    terms = negative_elbo(mean, log_var, log_px, k_elbo)
  else:
    terms = negative_elbo_flow(mean, log_var, transform, log_px, k_elbo)
  scores = {"elbo": -terms["nelbo"], "kl": terms["kl"], "reconstruction": terms["reconstruction"]}
  if iwae_samples:
    scores["iwae"] = iwae_log_likelihood(mean, log_var, log_px, k_iwae, iwae_samples,
                                             iwae_chunk, transform=transform)
  return scores


def autoregressive_scores(logits_fn: Callable, x) -> dict:
  """Exact per-image log-likelihood of a fully autoregressive model: {'exact': [B]}."""
  return {"exact": -autoregressive_nll(logits_fn(x), x)}
