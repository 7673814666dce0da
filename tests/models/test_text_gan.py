"""The language GAN's 1-D CNNs: shapes, per-position distributions, the residual block's formula."""

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from gen_models import models
from gen_models.models import text_gan


def test_generator_emits_a_distribution_per_position_and_critic_scores():
  gcfg = ml_collections.ConfigDict(dict(name="text_cnn", width=8, num_blocks=2, seq_len=6,
                                        latent_dim=4))
  gen = models.build_generator(gcfg, data_dim=11)
  z = jax.random.normal(jax.random.key(0), (3, 4))
  params = gen.init(jax.random.key(1), z)
  probs = gen.apply(params, z)
  assert probs.shape == (3, 6, 11)
  np.testing.assert_allclose(np.sum(probs, -1), 1.0, rtol=1e-5)
  assert np.all(probs > 0)
  critic = models.build_critic(ml_collections.ConfigDict(dict(name="text_cnn", width=8,
                                                              num_blocks=2)))
  cparams = critic.init(jax.random.key(2), probs)
  assert critic.apply(cparams, probs).shape == (3,)
  assert len(cparams["params"]) == 2 + 2  # conv_in, 2 blocks, linear


def test_residual_block_formula():
  block = text_gan.ResBlock1D(kernel_size=3, residual_scale=0.3)
  x = jax.random.normal(jax.random.key(0), (2, 5, 4))
  p = block.init(jax.random.key(1), x)["params"]

  def conv(h, layer):  # 'SAME' 1-D convolution written out: y[t] = sum_k h[t + k - 1] W[k] + b
    hp = jnp.pad(h, ((0, 0), (1, 1), (0, 0)))
    w = layer["kernel"]  # [k, C_in, C_out]
    return sum(hp[:, k:k + h.shape[1]] @ w[k] for k in range(3)) + layer["bias"]

  expected = x + 0.3 * conv(jax.nn.relu(conv(jax.nn.relu(x), p["conv_0"])), p["conv_1"])
  np.testing.assert_allclose(block.apply({"params": p}, x), expected, rtol=1e-5, atol=1e-5)
