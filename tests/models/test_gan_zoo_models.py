"""The architecture zoo's model variants (section 3.5.1): every cell builds with the expected
structure (traced shapes, no compilation), nonlinearities are wired as NumPy says, the deep
ResNet's block plan follows the configured depth, and the critic's batch norm is per batch and
refused under the gradient penalty."""

import flax.linen as nn
import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import pytest

from gen_models import models, tasks
from gen_models.models.dcgan import DCGANCritic, DCGANGenerator
from gen_models.models.resnet_gan import ResNetCritic, ResNetGenerator
from gen_models.presets import gan_zoo

SIZES = ml_collections.ConfigDict(dict(width=4, depth=14, mlp_width=512, mlp_depth=4,
                                       latent_dim=8, image_size=32))
Z = jax.ShapeDtypeStruct((2, 8), jnp.float32)


def _paths(tree):
  return [jax.tree_util.keystr(p) for p, _ in jax.tree_util.tree_leaves_with_path(tree)]


def _numpy_params(module, *inputs, seed=0):
  """Seeded normal params of `module`'s shapes: flax's init compiles slowly on XLA:CPU (RNG)."""
  shapes = jax.eval_shape(module.init, jax.random.key(0), *inputs)["params"]
  rng = np.random.default_rng(seed)
  return jax.tree_util.tree_map(
      lambda s: jnp.asarray(0.3 * rng.standard_normal(s.shape), jnp.float32), shapes)


def _build(architecture, objective):
  cfg = gan_zoo.architecture_models(architecture, objective, SIZES)
  gen = models.build_generator(cfg.generator, data_dim=3)
  critic = models.build_critic(cfg.critic, allow_batch_norm=objective != "wgan_gp")
  images, g_vars = jax.eval_shape(lambda z: gen.init_with_output(jax.random.key(0), z), Z)
  scores, d_vars = jax.eval_shape(lambda x: critic.init_with_output(jax.random.key(1), x), images)
  return cfg, images, scores, g_vars, d_vars


@pytest.mark.parametrize("architecture", gan_zoo.ARCHITECTURES)
@pytest.mark.parametrize("objective", gan_zoo.OBJECTIVES)
def test_every_cell_builds_32x32_images_and_scores(architecture, objective):
  _, images, scores, g_vars, d_vars = _build(architecture, objective)
  assert images.shape == (2, 32, 32, 3) and scores.shape == (2,)
  critic_norms = [p for p in _paths(d_vars["params"]) if "norm" in p or "ln" in p]
  if architecture == "no_norm":
    assert not critic_norms and set(d_vars) == {"params"}
  elif objective == "wgan_gp":  # layer norm replaces batch norm under the penalty
    assert critic_norms and set(d_vars) == {"params"}
  else:
    assert critic_norms and "batch_stats" in d_vars


def test_no_norm_variant_has_no_normalization_parameters():
  _, _, _, g_vars, d_vars = _build("no_norm", "dcgan")
  for variables in (g_vars, d_vars):
    assert set(variables) == {"params"}
    assert not [p for p in _paths(variables["params"]) if "norm" in p or "scale" in p]


def test_mlp_generator_is_four_dense_layers_of_512():
  _, _, _, g_vars, _ = _build("mlp_generator", "wgan_gp")
  body = g_vars["params"]["body"]
  assert sorted(body) == ["dense_0", "dense_1", "dense_2", "dense_3", "out"]
  assert body["dense_0"]["kernel"].shape == (8, 512)
  for i in (1, 2, 3):
    assert body[f"dense_{i}"]["kernel"].shape == (512, 512)
  assert body["out"]["kernel"].shape == (512, 32 * 32 * 3)
  assert "batch_stats" not in g_vars


def test_constant_filter_generator_has_width_filters_everywhere_and_no_batch_norm():
  _, _, _, g_vars, _ = _build("no_bn_const_filters", "wgan_gp")
  params = g_vars["params"]
  assert params["linear"]["kernel"].shape == (8, 4 * 4 * 4)
  assert params["deconv_0"]["kernel"].shape[-2:] == (4, 4)
  assert params["deconv_1"]["kernel"].shape[-2:] == (4, 4)
  assert "batch_stats" not in g_vars
  _, _, _, base, _ = _build("dcgan", "wgan_gp")  # the baseline narrows 4w -> 2w -> w
  assert base["params"]["deconv_0"]["kernel"].shape[-2:] == (16, 8)


NUMPY_ACTIVATIONS = {
    "gated": lambda h: np.tanh(h[..., :h.shape[-1] // 2]) / (1 + np.exp(-h[..., h.shape[-1] // 2:])),
    "tanh": np.tanh,
    "leaky_relu": lambda h: np.where(h > 0, h, 0.2 * h),
    "relu": lambda h: np.maximum(h, 0),
}


@pytest.mark.parametrize("activation", ["gated", "tanh"])
def test_layers_see_the_activation_of_the_previous_layer(activation):
  """Critic: conv_1's output equals conv_1 applied (alone) to the NumPy activation of conv_0's
  output; generator: the same for deconv_0 after the linear layer."""
  k = 2 if activation == "gated" else 1
  critic = DCGANCritic(width=2, activation=activation)
  gen = DCGANGenerator(width=2, norm="none", activation=activation)
  conv1 = nn.Conv(4 * k, (5, 5), strides=(2, 2), padding="SAME")
  deconv0 = nn.ConvTranspose(4 * k, (5, 5), strides=(2, 2), padding="SAME")

  x = jnp.asarray(np.random.default_rng(1).normal(size=(2, 8, 8, 3)), jnp.float32)
  z = jnp.asarray(np.random.default_rng(2).normal(size=(2, 8)), jnp.float32)
  d_params, g_params = _numpy_params(critic, x, seed=3), _numpy_params(gen, z, seed=4)

  @jax.jit  # one compilation: eager convolutions compile op by op
  def run(d_params, g_params):
    _, d_inter = critic.apply({"params": d_params}, x, capture_intermediates=True)
    _, g_inter = gen.apply({"params": g_params}, z, capture_intermediates=True)
    d_inter, g_inter = d_inter["intermediates"], g_inter["intermediates"]
    return (d_inter["conv_0"]["__call__"][0], d_inter["conv_1"]["__call__"][0],
            g_inter["linear"]["__call__"][0], g_inter["deconv_0"]["__call__"][0])

  pre0, pre1, lin, dec0 = jax.device_get(run(d_params, g_params))
  c1_params, d0_params = d_params["conv_1"], g_params["deconv_0"]
  assert pre0.shape[-1] == 2 * k and pre1.shape[-1] == 4 * k and dec0.shape[-1] == 4 * k
  act = lambda h: jnp.asarray(NUMPY_ACTIVATIONS[activation](h.astype(np.float64)), jnp.float32)
  expected_pre1, expected_dec0 = jax.jit(lambda a, b: (
      conv1.apply({"params": c1_params}, a), deconv0.apply({"params": d0_params}, b)))(
          act(pre0), act(lin.reshape(2, 4, 4, 8 * k)))
  np.testing.assert_allclose(pre1, expected_pre1, rtol=1e-4, atol=1e-5)
  np.testing.assert_allclose(dec0, expected_dec0, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("depth,gen_plan,critic_plan", [
    (0, ["up"] * 3, ["down", "down", None, None]),  # appendix B.3
    (8, ["up"] * 3, ["down", "down", None]),
    (10, ["up", "up", "up", None], ["down", "down", None, None]),
    (14, ["up", None, "up", None, "up", None], ["down", None, "down", None, None, None]),
])
def test_resnet_block_plan_follows_depth(depth, gen_plan, critic_plan):
  assert ResNetGenerator(depth=depth).plan() == gen_plan
  assert ResNetCritic(depth=depth).plan() == critic_plan


def test_deep_resnet_of_depth_101_has_49_blocks_and_keeps_shapes():
  gen, critic = ResNetGenerator(width=4, depth=101), ResNetCritic(width=4, depth=101)
  assert len(gen.plan()) == len(critic.plan()) == 49
  assert gen.plan().count("up") == 3 and critic.plan().count("down") == 2
  images, g_vars = jax.eval_shape(lambda z: gen.init_with_output(jax.random.key(0), z), Z)
  scores, d_vars = jax.eval_shape(lambda x: critic.init_with_output(jax.random.key(1), x), images)
  assert images.shape == (2, 32, 32, 3) and scores.shape == (2,)
  assert sorted(k for k in g_vars["params"] if k.startswith("block_")) == sorted(
      f"block_{i}" for i in range(49))
  assert len([k for k in d_vars["params"] if k.startswith("block_")]) == 49
  with pytest.raises(ValueError, match="fewer than the 3 up-sampling"):
    jax.eval_shape(lambda z: ResNetGenerator(width=4, depth=6).init(jax.random.key(0), z), Z)


def test_batch_norm_critic_uses_each_batch_statistics():
  """A batch-norm critic's score of an image depends on its batch; a layer-norm one's does not."""
  rng = np.random.default_rng(5)
  x = jnp.asarray(rng.normal(size=(4, 8, 8, 3)), jnp.float32)
  other = x.at[1:].set(3.0 * rng.normal(size=(3, 8, 8, 3)))
  for norm, dependent in (("batch_norm", True), ("layer_norm", False)):
    critic = DCGANCritic(width=2, norm=norm)
    params = _numpy_params(critic, x)

    @jax.jit
    def first_scores(params):
      apply = lambda v: critic.apply({"params": params}, v, mutable=["batch_stats"])[0][0]
      return apply(x), apply(other)

    a, b = first_scores(params)
    assert (abs(float(a) - float(b)) > 1e-4) == dependent, norm


class _ShapeOnlySource:
  data_shape = (32, 32, 3)


def test_gan_task_refuses_a_batch_norm_critic_only_with_the_penalty():
  base = gan_zoo.gan_zoo_config()
  del base["protocol"]
  config = gan_zoo.cell_config(base, "dcgan", "dcgan", SIZES)
  assert tasks.build_task(config, _ShapeOnlySource()).critic_batch_norm
  config.objective.name = "wgan_gp"
  with pytest.raises(ValueError, match="batch norm in the critic breaks the per-example"):
    tasks.build_task(config, _ShapeOnlySource())
