"""Chapter 2 models: shapes at 28x28, and autoregressive causality by exact Jacobians.

Causality: with random weights and a random binary input, the gradient of logit i with respect
to input pixel j (raster order) must be exactly zero for every j >= i. The gated stacks must
also see every j < i (no blind spot); the plain PixelCNN must not (the known blind spot).
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gen_models.models import build_image_model, image_config, image_model_traits

LATENT_MODELS = ["vae", "pixelvae", "gated_pixelvae", "gated_pixelvae_noup"]
AR_ONLY_MODELS = ["pixelcnn", "gated_pixelcnn"]


def _binary(key, shape):
  return (jax.random.uniform(key, shape) < 0.5).astype(jnp.float32)


def _raster_jacobian(logits_fn, x):
  """[H*W, H*W]: d logit_i / d x_j for a batch of one, pixels in raster order."""
  shape = x.shape

  def flat_fn(flat):
    return logits_fn(flat.reshape(shape)).reshape(-1)

  return np.asarray(jax.jit(jax.jacrev(flat_fn))(x.reshape(-1)))


def _assert_causal(jac):
  """Logit i never depends on pixel i or a later one."""
  assert np.count_nonzero(np.triu(jac)) == 0, "a logit depends on its own or a later pixel"


def _tiny(name, **overrides):
  latent = 3 if name in LATENT_MODELS else 0
  return image_config(name, channels=4, latent_dim=latent, **overrides)


@pytest.mark.parametrize("name", LATENT_MODELS + AR_ONLY_MODELS)
def test_default_configs_have_thesis_shapes(name):
  """Default (thesis-size) configs, shapes only: jax.eval_shape compiles nothing."""
  cfg = image_config(name)
  model = build_image_model(cfg)
  has_latent, autoregressive = image_model_traits(cfg)
  assert (model.has_latent, model.is_autoregressive) == (has_latent, autoregressive)
  x = jnp.zeros((2, 28, 28, 1))
  key = jax.random.key(0)
  if has_latent:
    z = jnp.zeros((2, cfg.latent_dim))
    variables = jax.eval_shape(model.init, key, x, z)
    mean, log_var = jax.eval_shape(lambda v: model.apply(v, x, method="encode"), variables)
    assert mean.shape == log_var.shape == (2, cfg.latent_dim)
    logits = jax.eval_shape(lambda v: model.apply(v, z, x, method="decode"), variables)
  else:
    assert cfg.latent_dim == 0
    variables = jax.eval_shape(model.init, key, x)
    logits = jax.eval_shape(model.apply, variables, x)
  assert logits.shape == (2, 28, 28, 1)
  assert set(variables) == {"params"}  # no batch norm: the state is the params


def test_vae_runs_at_28x28():
  model = build_image_model(_tiny("vae"))
  x = _binary(jax.random.key(1), (2, 28, 28, 1))
  z = jax.random.normal(jax.random.key(2), (2, 3))
  variables = model.init(jax.random.key(3), x, z)
  mean, log_var = model.apply(variables, x, method="encode")
  logits = model.apply(variables, z, None, method="decode")
  assert mean.shape == log_var.shape == (2, 3)
  assert logits.shape == (2, 28, 28, 1)
  assert np.all(np.isfinite(logits))


def test_traits_and_bad_configs():
  assert image_model_traits(image_config("vae")) == (True, False)
  assert image_model_traits(image_config("pixelcnn")) == (False, True)
  assert image_model_traits(image_config("pixelvae", num_ar_layers=0)) == (True, False)
  assert image_model_traits(image_config("gated_pixelvae_noup")) == (True, True)
  with pytest.raises(ValueError, match="unknown image model"):
    image_config("pixelrnn")
  with pytest.raises(ValueError, match="unknown image model field"):
    image_config("vae", depth=3)
  with pytest.raises(ValueError, match="num_ar_layers >= 1"):
    build_image_model(image_config("gated_pixelcnn", num_ar_layers=0))
  with pytest.raises(ValueError, match="num_ar_layers >= 1"):
    build_image_model(image_config("gated_pixelvae_noup", num_ar_layers=0))
  with pytest.raises(ValueError, match="28, 28, 1"):
    model = build_image_model(_tiny("vae"))
    model.init(jax.random.key(0), jnp.zeros((1, 8, 8, 1)), jnp.zeros((1, 3)))


def _pure_ar_jacobian(name, size, **overrides):
  model = build_image_model(_tiny(name, **overrides))
  x = _binary(jax.random.key(4), (1, size, size, 1))
  variables = model.init(jax.random.key(5), x)
  return _raster_jacobian(lambda a: model.apply(variables, a), x)


def test_gated_pixelcnn_is_causal_without_blind_spot():
  """8x8 with the default 7x7 + 5x5 kernels: 4 layers reach every earlier pixel."""
  jac = _pure_ar_jacobian("gated_pixelcnn", 8, num_ar_layers=4)
  _assert_causal(jac)
  strictly_before = np.tril(np.ones_like(jac, bool), k=-1)
  assert np.all(jac[strictly_before] != 0), "the gated stacks have a blind spot"


def test_pixelcnn_is_causal_with_its_known_blind_spot():
  """Stacked masked convs never reach up-and-right of their own taps: with a 7x7 type-A layer
  and 5x5 type-B layers, a pixel's logit cannot see the pixel one row up and 4 columns right,
  however deep the net (one row up allows one tap from a row above, reaching <= 3 columns)."""
  size = 8
  jac = _pure_ar_jacobian("pixelcnn", size, num_ar_layers=4)
  _assert_causal(jac)
  output, blind = 7 * size + 0, 6 * size + 4  # logit at (7, 0), pixel at (6, 4)
  assert blind < output and jac[output, blind] == 0
  gated = _pure_ar_jacobian("gated_pixelcnn", size, num_ar_layers=4)
  assert gated[output, blind] != 0


@pytest.mark.parametrize("name", ["pixelvae", "gated_pixelvae", "gated_pixelvae_noup"])
def test_pixelvae_decoders_are_causal_given_z(name):
  """The full 28x28 decoder with z fixed: the upsampled features must not leak pixels."""
  model = build_image_model(_tiny(name, num_ar_layers=2))
  x = _binary(jax.random.key(6), (1, 28, 28, 1))
  z = jax.random.normal(jax.random.key(7), (1, 3))
  variables = model.init(jax.random.key(8), x, z)
  jac = _raster_jacobian(lambda a: model.apply(variables, z, a, method="decode"), x)
  _assert_causal(jac)
  assert np.count_nonzero(jac) > 0  # the pixels do reach the logits
  mean, log_var = model.apply(variables, x, method="encode")
  assert mean.shape == log_var.shape == (1, 3)
  logits = model.apply(variables, z, x, method="decode")
  assert logits.shape == (1, 28, 28, 1)
  np.testing.assert_allclose(model.apply(variables, x, z), logits, rtol=1e-6)


def test_pixelvae_without_ar_layers_ignores_the_image():
  model = build_image_model(_tiny("pixelvae", num_ar_layers=0))
  x = _binary(jax.random.key(9), (2, 28, 28, 1))
  z = jax.random.normal(jax.random.key(10), (2, 3))
  variables = model.init(jax.random.key(11), x, z)
  decode = lambda a: model.apply(variables, z, a, method="decode")
  np.testing.assert_array_equal(decode(x), decode(1.0 - x))
