"""GAN objectives against finite differences and hand-computed values."""

import math

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import pytest

from gen_models.objectives import gan


def _random_critic(key, in_dim, hidden=7):
  k1, k2, k3 = jax.random.split(key, 3)
  w1 = jax.random.normal(k1, (in_dim, hidden)) / math.sqrt(in_dim)
  b1 = jax.random.normal(k2, (hidden,))
  w2 = jax.random.normal(k3, (hidden,))

  def critic(x):
    return jnp.tanh(x.reshape(x.shape[0], -1) @ w1 + b1) @ w2

  return critic


def _finite_difference_norms(critic, x, h=1e-3):
  x = np.asarray(x, np.float64)
  flat = x.reshape(x.shape[0], -1)
  grads = np.zeros_like(flat)
  for j in range(flat.shape[1]):
    step = np.zeros_like(flat)
    step[:, j] = h
    up = np.asarray(critic(jnp.asarray((flat + step).reshape(x.shape), jnp.float32)), np.float64)
    down = np.asarray(critic(jnp.asarray((flat - step).reshape(x.shape), jnp.float32)), np.float64)
    grads[:, j] = (up - down) / (2 * h)
  return np.linalg.norm(grads, axis=1)


@pytest.mark.parametrize("shape", [(6, 3), (4, 4, 4, 2)])
@pytest.mark.parametrize("one_sided", [False, True])
def test_gradient_penalty_matches_finite_differences(shape, one_sided):
  key_c, key_x = jax.random.split(jax.random.key(0))
  critic = _random_critic(key_c, int(np.prod(shape[1:])))
  x = 1.5 * jax.random.normal(key_x, shape)
  fd_norms = _finite_difference_norms(critic, x)
  np.testing.assert_allclose(gan.input_gradient_norms(critic, x), fd_norms, rtol=2e-3)
  excess = fd_norms - 1.0
  if one_sided:
    excess = np.maximum(excess, 0.0)
  expected = np.mean(excess ** 2)
  np.testing.assert_allclose(gan.gradient_penalty(critic, x, one_sided), expected,
                             rtol=5e-3, atol=1e-6)


def test_one_sided_penalty_ignores_small_gradients():
  critic = lambda x: 0.5 * jnp.sum(x, axis=-1) / jnp.sqrt(3.0)  # gradient norm 0.5 everywhere
  x = jnp.ones((4, 3))
  assert float(gan.gradient_penalty(critic, x, one_sided=True)) == 0.0
  np.testing.assert_allclose(gan.gradient_penalty(critic, x), 0.25, rtol=1e-5)


def test_interpolates_lie_on_segments():
  real = jax.random.normal(jax.random.key(1), (16, 5))
  fake = jax.random.normal(jax.random.key(2), (16, 5))
  x_hat = np.asarray(gan.interpolates(real, fake, jax.random.key(3)), np.float64)
  r, f = np.asarray(real, np.float64), np.asarray(fake, np.float64)
  eps = np.sum((x_hat - f) * (r - f), axis=1) / np.sum((r - f) ** 2, axis=1)
  assert np.all((eps >= 0) & (eps <= 1))
  np.testing.assert_allclose(x_hat, f + eps[:, None] * (r - f), atol=1e-5)
  assert np.std(eps) > 0.1  # one coefficient per example, not one per batch


REAL = jnp.array([2.0, -1.0])
FAKE = jnp.array([0.5, 1.5])


def test_wgan_losses_by_hand():
  np.testing.assert_allclose(gan.wgan_critic_loss(REAL, FAKE), (0.5 + 1.5) / 2 - (2 - 1) / 2)
  np.testing.assert_allclose(gan.wgan_generator_loss(FAKE), -1.0)


def test_dcgan_losses_by_hand():
  sp = lambda v: math.log1p(math.exp(v))  # softplus
  d = ((sp(-2.0) + sp(1.0)) / 2) + ((sp(0.5) + sp(1.5)) / 2)
  np.testing.assert_allclose(gan.dcgan_discriminator_loss(REAL, FAKE), d, rtol=1e-6)
  np.testing.assert_allclose(gan.dcgan_generator_loss(FAKE, True),
                             (sp(-0.5) + sp(-1.5)) / 2, rtol=1e-6)
  # minimax: E[log(1 - sigmoid(l))] = -E[softplus(l)]
  np.testing.assert_allclose(gan.dcgan_generator_loss(FAKE, False),
                             -(sp(0.5) + sp(1.5)) / 2, rtol=1e-6)


def test_lsgan_losses_by_hand():
  np.testing.assert_allclose(gan.lsgan_discriminator_loss(REAL, FAKE),
                             0.5 * (1.0 + 4.0) / 2 + 0.5 * (0.25 + 2.25) / 2, rtol=1e-6)
  np.testing.assert_allclose(gan.lsgan_generator_loss(FAKE), 0.5 * (0.25 + 0.25) / 2, rtol=1e-6)


def test_clip_weights_bounds_and_identity_inside():
  params = {"a": jnp.array([-3.0, -0.005, 0.0, 0.004, 2.0]), "b": {"c": jnp.array([[0.5]])}}
  clipped = gan.clip_weights(params, 0.01)
  for leaf in jax.tree_util.tree_leaves(clipped):
    assert np.all(np.abs(np.asarray(leaf)) <= 0.01)
  np.testing.assert_array_equal(clipped["a"], np.float32([-0.01, -0.005, 0.0, 0.004, 0.01]))


def _objective(name, **kw):
  return ml_collections.ConfigDict(dict(name=name, gp_weight=10.0, gp_one_sided=False, clip=0.01,
                                        non_saturating=True, n_critic=5, **kw))


def test_critic_objective_adds_weighted_penalty():
  critic = _random_critic(jax.random.key(4), 3)
  real = jax.random.normal(jax.random.key(5), (8, 3))
  fake = jax.random.normal(jax.random.key(6), (8, 3)) + 1.0
  key = jax.random.key(7)
  loss, metrics = gan.critic_objective(_objective("wgan_gp"), critic, real, fake, key)
  penalty = gan.gradient_penalty(critic, gan.interpolates(real, fake, key))
  expected = gan.wgan_critic_loss(critic(real), critic(fake)) + 10.0 * penalty
  np.testing.assert_allclose(loss, expected, rtol=1e-6)
  np.testing.assert_allclose(metrics["gradient_penalty"], penalty, rtol=1e-6)
  clip_loss, _ = gan.critic_objective(_objective("wgan_clip"), critic, real, fake, key)
  np.testing.assert_allclose(clip_loss, gan.wgan_critic_loss(critic(real), critic(fake)))
  with pytest.raises(ValueError, match="unknown GAN objective"):
    gan.critic_objective(_objective("hinge"), critic, real, fake, key)
