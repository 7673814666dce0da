"""Naive vs cached autoregressive sampling: same key, same images; logits match the model's."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gen_models.models import build_image_model, image_config
from gen_models.models.pixelcnn import GatedPixelCNN
from gen_models.sampling import autoregressive as ar


def test_naive_sampler_feeds_back_its_own_pixels():
  """A hand-made conditional: each pixel is the opposite of its left neighbour (the first of a
  row sees the zero padding, so it is 1), near-deterministically. Rows must read 1, 0, 1, ..."""
  def apply_fn(x):
    left = jnp.pad(x, ((0, 0), (0, 0), (1, 0), (0, 0)))[:, :, :-1]
    return 40.0 * (1.0 - 2.0 * left)

  x = jax.jit(lambda k: ar.sample_naive(apply_fn, k, (2, 3, 5, 1)))(jax.random.key(0))
  np.testing.assert_array_equal(x[..., 0], np.broadcast_to([1, 0, 1, 0, 1], (2, 3, 5)))


def test_naive_sampler_thresholds_the_documented_uniforms():
  logit = 0.3
  x = ar.sample_naive(lambda x: jnp.full(x.shape, logit), jax.random.key(1), (4, 2, 3, 1))
  u = np.stack([ar.pixel_uniforms(jax.random.key(1), t, 4) for t in range(6)], axis=1)
  np.testing.assert_array_equal(x.reshape(4, 6), u < 1 / (1 + np.exp(-logit)))


def _compare_samplers(net, params, shape, cond=None, key=jax.random.key(7)):
  cached = jax.jit(lambda k: ar.sample_cached(net, params, k, shape, cond, return_logits=True))
  x_cached, logits_cached = cached(key)
  apply_fn = lambda x, *c: net.apply({"params": params}, x, *c)
  x_naive = jax.jit(lambda k: ar.sample_naive(apply_fn, k, shape, cond))(key)
  # The logits the cached sampler drew from are the full model's on the finished images.
  full = apply_fn(x_cached) if cond is None else apply_fn(x_cached, cond)
  np.testing.assert_allclose(logits_cached, full, rtol=1e-4, atol=1e-5)
  np.testing.assert_array_equal(x_cached, x_naive)
  assert 0 < float(x_naive.mean()) < 1


@pytest.mark.parametrize("cond_shape", [None, (3, 3), (3, 8, 8, 4)])
def test_cached_matches_naive_gated_pixelcnn(cond_shape):
  """8x8, 3 layers (7x7 then 5x5 stacks), unconditional / vector / feature-map conditioning."""
  net = GatedPixelCNN(num_layers=3, channels=4)
  shape = (3, 8, 8, 1)
  cond = None if cond_shape is None else jax.random.normal(jax.random.key(2), cond_shape)
  params = net.init(jax.random.key(3), jnp.zeros(shape), cond)["params"]
  # Larger weights than the default init, so logits (and images) vary and the test has teeth.
  params = jax.tree_util.tree_map(lambda p: 3.0 * p, params)
  _compare_samplers(net, params, shape, cond)


@pytest.mark.parametrize("name", ["gated_pixelvae", "gated_pixelvae_noup"])
def test_autoregressive_parts_of_pixelvae_decoders(name):
  """The (net, params, cond) handed to the samplers reproduce the decoder's logits, so the
  8x8 sampler comparisons above carry over to the PixelVAE decoders."""
  model = build_image_model(image_config(name, num_ar_layers=2, channels=4, latent_dim=3))
  z = jax.random.normal(jax.random.key(4), (2, 3))
  x = (jax.random.uniform(jax.random.key(5), (2, 28, 28, 1)) < 0.5).astype(jnp.float32)
  variables = model.init(jax.random.key(6), x, z)
  net, params, cond = ar.autoregressive_parts(model, variables, z)
  assert cond.shape == ((2, 28, 28, 4) if name == "gated_pixelvae" else (2, 3))
  np.testing.assert_allclose(net.apply({"params": params}, x, cond),
                             model.apply(variables, z, x, method="decode"), rtol=1e-6)


def test_sample_model_entry_points():
  model = build_image_model(image_config("pixelvae", num_ar_layers=0, channels=4, latent_dim=3))
  z = jax.random.normal(jax.random.key(6), (2, 3))
  variables = model.init(jax.random.key(7), jnp.zeros((2, 28, 28, 1)), z)
  x = ar.sample_model(model, variables, jax.random.key(8), (2, 28, 28, 1), z=z)
  assert x.shape == (2, 28, 28, 1) and set(np.unique(x)) <= {0.0, 1.0}
  with pytest.raises(ValueError, match="needs z"):
    ar.sample_model(model, variables, jax.random.key(8), (2, 28, 28, 1))
  with pytest.raises(ValueError, match="GatedPixelCNN"):
    ar.sample_cached(build_image_model(image_config("pixelcnn", num_ar_layers=1)), {},
                     jax.random.key(0), (1, 4, 4, 1))
  with pytest.raises(ValueError, match="not autoregressive"):
    ar.sample_cached(GatedPixelCNN(0), {}, jax.random.key(0), (1, 4, 4, 1))
  with pytest.raises(ValueError, match=r"\[B, H, W, 1\]"):
    ar.sample_cached(GatedPixelCNN(1), {}, jax.random.key(0), (1, 4, 4, 3))


def _colour_rule(x):
  """Hand-made mixture parameters (K = 1, C = 3) with near-deterministic draws (log-scale at the
  floor): red = the left neighbour's red + 20 levels (-1 left of column 0), green = this
  pixel's red (coefficient tanh(20) = 1), blue = -green (coefficient -1)."""
  left = jnp.pad(x, ((0, 0), (0, 0), (1, 0), (0, 0)), constant_values=-1.0)[:, :, :-1]
  params = jnp.zeros(x.shape[:3] + (10,))  # logit, 3 means, 3 log-scales, 3 coefficients
  params = params.at[..., 1].set(left[..., 0] + 20 / 127.5)
  params = params.at[..., 4:7].set(-10.0)
  return params.at[..., 7].set(20.0).at[..., 8].set(0.0).at[..., 9].set(-20.0)


def test_colour_sampler_feeds_back_its_own_pixels_and_channels():
  x = np.asarray(jax.jit(lambda k: ar.sample_color_naive(_colour_rule, k, (2, 3, 5, 3), 1))(
      jax.random.key(0)))
  levels = (x + 1.0) * 127.5
  np.testing.assert_allclose(levels, np.round(levels), atol=1e-4)  # on the 256-level grid
  left_red = np.pad(x[..., 0], ((0, 0), (0, 0), (1, 0)), constant_values=-1.0)[:, :, :-1]
  expected = np.stack([left_red + 20 / 127.5, x[..., 0], -x[..., 1]], axis=-1)
  # each draw leaves its bin with probability 2 sigmoid(-(1/255) e^7) ~ 2.7%
  assert np.mean(np.abs(x - expected) < 1e-4) > 0.85
  assert np.ptp(x[..., 0]) > 0.5  # red really climbs along the rows (not a constant canvas)

