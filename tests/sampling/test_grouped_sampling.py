"""The cached sampler over grouped channels gives the naive sampler's samples for the same key:
RGB sub-pixels with 256-way softmaxes (R, G, B in turn), latent maps with Gaussian outputs (all
channels of a position at once), and the pixel-level logistic mixture option."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gen_models.models import hierarchical_pixelvae as hpv
from gen_models.sampling import autoregressive as ar


def _both(net, shape, draw_fn, cond):
  params = net.init(jax.random.key(0), jnp.zeros(shape), cond)["params"]
  params = jax.tree_util.tree_map(lambda p: 1.5 * p, params)  # outputs that vary
  plain = hpv.plain_params(net, params, shape[-1])
  key = jax.random.key(7)
  cached = jax.jit(lambda k: ar.sample_cached_stacks(
      plain, net.kernel_sizes(), net.channels, shape, draw_fn(k), net.groups, cond,
      return_outputs=True))(key)
  apply_fn = lambda x, c: net.apply({"params": params}, x, c)  # noqa: E731
  naive = jax.jit(lambda k: ar.sample_naive_groups(apply_fn, shape, draw_fn(k), net.groups, cond,
                                                   return_outputs=True))(key)
  # the outputs the cached sampler drew from are the full net's on its finished sample
  np.testing.assert_allclose(cached[1], apply_fn(cached[0], cond), rtol=1e-3, atol=1e-4)
  return cached[0], naive[0]


def test_cached_matches_naive_rgb_softmax():
  net = hpv.GroupedGatedPixelCNN(num_layers=3, channels=6, out_per_group=256, groups=3)
  cond = jax.random.normal(jax.random.key(1), (2, 5, 5, 3))
  cached, naive = _both(net, (2, 5, 5, 3), ar.softmax_draw, cond)
  np.testing.assert_array_equal(cached, naive)
  levels = (cached + 1.0) * 127.5
  np.testing.assert_allclose(levels, np.round(levels), atol=1e-4)
  assert len(np.unique(levels)) > 10


def test_cached_matches_naive_latent_gaussian():
  net = hpv.GroupedGatedPixelCNN(num_layers=2, channels=4, out_per_group=4, groups=1)
  cond = jax.random.normal(jax.random.key(2), (2, 4, 4, 3))
  draw = lambda k: ar.gaussian_draw(k, hpv.bounded_log_var)  # noqa: E731
  cached, naive = _both(net, (2, 4, 4, 2), draw, cond)
  np.testing.assert_allclose(cached, naive, rtol=1e-4, atol=1e-4)
  assert np.std(cached) > 0.1


@pytest.mark.slow
def test_cached_matches_naive_logistic_mixture():
  net = hpv.GroupedGatedPixelCNN(num_layers=2, channels=4, out_per_group=20, groups=1)
  cond = jax.random.normal(jax.random.key(3), (2, 4, 4, 3))
  cached, naive = _both(net, (2, 4, 4, 3), lambda k: ar.mixture_draw(k, 3, 2), cond)
  np.testing.assert_array_equal(cached, naive)
