"""Colour likelihood models (CIFAR-10, Table 4.2): causality of the PixelCNN++-like net and the
colour PixelVAE decoder by exact Jacobians, and the IAF step's log-determinant against a
numerical Jacobian.

Causality: the mixture parameters at pixel i (all of them: every channel's mean, scale and
coefficients) must not depend on any channel of pixel j >= i in raster order, and the gated
stacks must reach every channel of every pixel j < i (no blind spot).
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gen_models.models import build_image_model, image_config, image_model_traits
from gen_models.nn import iaf
from gen_models.objectives import likelihood as lik


@pytest.fixture(autouse=True)
def _fast_rng_compiles():
  """The classic threefry compiles much faster on XLA:CPU (see tests/tasks/test_likelihood_task)."""
  with jax.threefry_partitionable(False):
    yield


def _colour(key, shape):
  return jax.random.randint(key, shape, 0, 256).astype(jnp.float32) / 127.5 - 1.0


def _pixel_jacobian(params_fn, x):
  """[HW, HW, C]: |d (sum of pixel i's outputs) / d x_j,c| summed over nothing else; batch 1."""
  shape = x.shape
  h, w, c = shape[1:]

  def flat_fn(flat):
    out = params_fn(flat.reshape(shape))  # [1, H, W, P]
    return out.reshape(h * w, -1)

  jac = jax.jit(jax.jacrev(flat_fn))(x.reshape(-1))  # [HW, P, HWC]
  return np.abs(np.asarray(jac)).sum(1).reshape(h * w, h * w, c)


def test_pixelcnnpp_is_causal_over_colour_pixels_without_blind_spot():
  cfg = image_config("pixelcnnpp", channels=4, num_ar_layers=3, num_mixtures=2)
  assert image_model_traits(cfg) == (False, True)
  model = build_image_model(cfg)
  x = _colour(jax.random.key(0), (1, 6, 6, 3))
  variables = model.init(jax.random.key(1), x)
  out = model.apply(variables, x)
  assert out.shape == (1, 6, 6, lik.mixture_num_params(3, 2))
  jac = _pixel_jacobian(lambda a: model.apply(variables, a), x)
  later_or_same = np.triu(np.ones(jac.shape[:2], bool))
  assert np.count_nonzero(jac[later_or_same]) == 0, "pixel i's mixture sees pixel >= i"
  earlier = ~later_or_same
  assert np.all(jac[earlier] > 0), "some channel of an earlier pixel is not seen (blind spot)"


def test_colour_pixelvae_decoder_is_causal_given_z():
  """The full 32x32 decoder with z fixed, checked at a few output pixels (one exact gradient
  each): the upsampled features must not leak pixels, and the pixels must reach the output."""
  cfg = image_config("color_pixelvae", channels=4, latent_dim=3, num_ar_layers=2,
                     num_mixtures=2)
  assert image_model_traits(cfg) == (True, True)
  model = build_image_model(cfg)
  x = _colour(jax.random.key(2), (1, 32, 32, 3))
  z = jax.random.normal(jax.random.key(3), (1, 3))
  variables = model.init(jax.random.key(4), x, z)
  decode = jax.jit(lambda a, i: model.apply(variables, z, a, method="decode").reshape(
      1024, -1)[i].sum())
  grad = jax.jit(jax.grad(decode))  # i traced: one compilation for every output pixel
  for i in (0, 33, 500, 1023):
    g = np.abs(np.asarray(grad(x, jnp.int32(i)))).sum(-1).reshape(-1)  # [1024] per input pixel
    assert np.count_nonzero(g[i:]) == 0, f"output pixel {i} sees pixel >= {i}"
    assert i == 0 or g[i - 1] > 0
  mean, log_var, context = model.apply(variables, x, method="encode")
  assert mean.shape == log_var.shape == (1, 3) and context is None
  np.testing.assert_allclose(model.apply(variables, x, z),
                             model.apply(variables, z, x, method="decode"), rtol=1e-6)


def test_colour_vae_shapes_and_flow():
  cfg = image_config("iaf_vae", channels=4, latent_dim=5, iaf_hidden=8)
  assert cfg.num_iaf_steps == 2 and image_model_traits(cfg) == (True, False)
  model = build_image_model(cfg)
  x = _colour(jax.random.key(5), (2, 32, 32, 3))
  z = jax.random.normal(jax.random.key(6), (2, 5))
  variables = jax.jit(model.init)(jax.random.key(7), x, z)
  mean, log_var, context = jax.jit(lambda v: model.apply(variables, v, method="encode"))(x)
  assert mean.shape == log_var.shape == (2, 5) and context.shape == (2, 8)
  out = jax.eval_shape(lambda v: model.apply(variables, v, None, method="decode"), z)
  assert out.shape == (2, 32, 32, lik.mixture_num_params(3, 1))
  z_t, log_det = model.apply(variables, z, context, method="transform")
  assert z_t.shape == (2, 5) and log_det.shape == (2,) and not np.allclose(z_t, z)
  # Without flow steps the posterior sample passes through unchanged.
  plain = build_image_model(image_config("color_vae", channels=4, latent_dim=5))
  z_t, log_det = plain.apply({"params": {}}, z, None, method="transform")
  np.testing.assert_array_equal(z_t, z)
  np.testing.assert_array_equal(log_det, 0.0)


def test_bad_colour_configs_are_named():
  with pytest.raises(ValueError, match="unknown image model field"):
    image_config("pixelcnnpp", depth=3)
  with pytest.raises(ValueError, match="num_ar_layers >= 1"):
    build_image_model(image_config("pixelcnnpp", num_ar_layers=0))
  with pytest.raises(ValueError, match="num_mixtures >= 1"):
    build_image_model(image_config("iaf_vae", num_mixtures=0))
  with pytest.raises(ValueError, match="32x32"):
    model = build_image_model(image_config("color_vae", channels=4, latent_dim=2))
    model.init(jax.random.key(0), jnp.zeros((1, 28, 28, 3)), jnp.zeros((1, 2)))


def test_made_masks_are_autoregressive():
  m_in, m_hid, m_out = iaf.made_masks(5, 12)
  paths = (m_in @ m_hid @ m_out).T  # [Z out, Z in]: number of paths input j -> output d
  assert np.all(np.triu(paths) == 0)  # output d never sees input d or later
  assert np.all(paths[np.tril_indices(5, k=-1)] > 0)  # and sees every earlier input


@pytest.mark.parametrize("with_context", [False, True])
def test_iaf_step_log_det_matches_a_numerical_jacobian(with_context):
  z_dim, hidden = 4, 16
  step = iaf.IAFStep(hidden)
  z = jax.random.normal(jax.random.key(8), (1, z_dim))
  context = jax.random.normal(jax.random.key(9), (1, 3)) if with_context else None
  variables = step.init(jax.random.key(10), z, context)
  # Random non-zero gate biases and weights, so sigma is far from constant.
  variables = jax.tree.map(lambda p: p + 0.5 * jax.random.normal(jax.random.key(11), p.shape),
                           variables)
  fn = jax.jit(lambda v: step.apply(variables, v[None], context)[0][0])
  z0 = np.asarray(z[0], np.float64)
  eps = 1e-2
  numeric = np.stack([(np.asarray(fn(jnp.asarray(z0 + eps * e, jnp.float32)), np.float64)
                       - np.asarray(fn(jnp.asarray(z0 - eps * e, jnp.float32)), np.float64))
                      / (2 * eps) for e in np.eye(z_dim)], axis=1)  # [out, in]
  _, log_det = step.apply(variables, z, context)
  np.testing.assert_allclose(np.triu(numeric, k=1), 0.0, atol=1e-5)  # lower triangular
  _, numeric_log_det = np.linalg.slogdet(numeric)
  np.testing.assert_allclose(float(log_det[0]), numeric_log_det, atol=2e-3)


def test_iaf_flow_sums_step_log_dets_and_mixes_every_coordinate():
  flow = iaf.IAFFlow(2, 16)
  z = jax.random.normal(jax.random.key(12), (1, 4))
  variables = flow.init(jax.random.key(13), z)
  jac = np.asarray(jax.jacfwd(lambda v: flow.apply(variables, v[None])[0][0])(z[0]))
  _, log_det = flow.apply(variables, z)
  np.testing.assert_allclose(float(log_det[0]), np.linalg.slogdet(jac)[1], atol=1e-4)
  assert np.all(jac != 0)  # the reversal between the two steps: every output sees every input
