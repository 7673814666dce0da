"""Image GAN models: B.3 ResNets and DCGAN shapes, parameter counts by hand, resampling and
conditional batch norm against NumPy, AC-GAN conditioning, the penalty on images vs finite
differences."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gen_models import models
from gen_models.models.resnet_gan import ResNetCritic, ResNetGenerator
from gen_models.nn import resblocks
from gen_models.objectives import gan as gan_obj
from gen_models.presets import gan_cifar


def _count(tree):
  return sum(int(np.prod(leaf.shape)) for leaf in jax.tree_util.tree_leaves(tree))


def _resnet_generator_count(w, latent=128, channels=3, blocks=3, classes=0):
  """By hand: linear, per up block (2 norms, two 3x3 convs, 1x1 shortcut), norm, 3x3 conv."""
  conv3 = lambda cin, cout: 9 * cin * cout + cout
  norm = 2 * w * (classes if classes else 1)  # scale and offset (per class for CBN)
  block = 2 * norm + 2 * conv3(w, w) + (w * w + w)
  return latent * 16 * w + 16 * w + blocks * block + norm + conv3(w, channels)


def _resnet_critic_count(w, channels=3, classes=0):
  conv3 = lambda cin, cout: 9 * cin * cout + cout
  first = conv3(channels, w) + conv3(w, w) + (channels * w + w)
  down = 2 * conv3(w, w) + (w * w + w)
  plain = 2 * conv3(w, w)
  return first + down + 2 * plain + (w + 1) + (classes * w + classes if classes else 0)


@pytest.mark.parametrize("classes", [0, 10])
def test_resnet_parameter_counts_match_appendix_b3_by_hand(classes):
  z = jax.ShapeDtypeStruct((2, 128), jnp.float32)
  y = jax.ShapeDtypeStruct((2,), jnp.int32)
  x = jax.ShapeDtypeStruct((2, 32, 32, 3), jnp.float32)
  gen = ResNetGenerator(width=128, num_classes=classes)
  g_vars = jax.eval_shape(gen.init, jax.random.key(0), z, y if classes else None)
  critic = ResNetCritic(width=128, num_classes=classes)
  d_vars = jax.eval_shape(critic.init, jax.random.key(0), x)
  assert _count(g_vars["params"]) == _resnet_generator_count(128, classes=classes)
  assert _count(d_vars["params"]) == _resnet_critic_count(128, classes=classes)
  assert set(d_vars) == {"params"}  # no batch statistics in the critic
  if not classes:  # the counts stated in the report / BUILD_NOTES
    assert _count(g_vars["params"]) == 1_204_483
    assert _count(d_vars["params"]) == 1_053_825


def test_resnet_shapes():
  """Shapes only (traced, not compiled): the task tests run these models for real."""
  z = jax.ShapeDtypeStruct((2, 16), jnp.float32)
  for size in (8, 32):  # 4 -> 8, and B.3's 4 -> 8 -> 16 -> 32
    gen = ResNetGenerator(width=8, image_size=size)
    images, g_vars = jax.eval_shape(lambda z: gen.init_with_output(jax.random.key(1), z), z)
    assert images.shape == (2, size, size, 3) and "batch_stats" in g_vars
  critic = ResNetCritic(width=8, norm="layer_norm", num_classes=5)
  (scores, logits), _ = jax.eval_shape(
      lambda x: critic.init_with_output(jax.random.key(2), x), images)
  assert scores.shape == (2,) and logits.shape == (2, 5)
  with pytest.raises(ValueError, match="image_size"):
    jax.eval_shape(lambda z: ResNetGenerator(width=8, image_size=24).init(jax.random.key(1), z),
                   z)


def test_upsample_and_mean_pool_match_numpy():
  x = np.random.default_rng(0).normal(size=(2, 4, 6, 3)).astype(np.float32)
  up = np.asarray(resblocks.upsample_nearest(jnp.asarray(x)))
  for i in range(8):
    for j in range(12):
      np.testing.assert_array_equal(up[:, i, j], x[:, i // 2, j // 2])
  pooled = np.asarray(resblocks.mean_pool(jnp.asarray(x)))
  expected = (x[:, 0::2, 0::2] + x[:, 1::2, 0::2] + x[:, 0::2, 1::2] + x[:, 1::2, 1::2]) / 4
  np.testing.assert_allclose(pooled, expected, rtol=1e-6, atol=1e-6)


def _randomize(tree, names, key):
  """Replaces every parameter whose path contains one of `names` by random normals."""
  leaves, treedef = jax.tree_util.tree_flatten_with_path(tree)
  keys = jax.random.split(key, len(leaves))
  return jax.tree_util.tree_unflatten(treedef, [
      jax.random.normal(k, v.shape) if any(n in jax.tree_util.keystr(p) for n in names) else v
      for k, (p, v) in zip(keys, leaves)])


def test_conditional_batch_norm_matches_numpy():
  rng = np.random.default_rng(1)
  x = rng.normal(2.0, 3.0, size=(6, 2, 2, 4)).astype(np.float32)
  labels = np.array([0, 2, 1, 2, 0, 1], np.int32)
  cbn = resblocks.ConditionalBatchNorm(num_classes=3)
  variables = cbn.init(jax.random.key(0), x, labels)
  params = _randomize(variables["params"], ["class_"], jax.random.key(1))
  out, new = cbn.apply({**variables, "params": params}, x, labels, mutable=["batch_stats"])
  mean = x.mean(axis=(0, 1, 2))
  var = x.var(axis=(0, 1, 2))
  gamma, beta = np.asarray(params["class_scale"]), np.asarray(params["class_offset"])
  expected = ((x - mean) / np.sqrt(var + 1e-5) * gamma[labels][:, None, None, :]
              + beta[labels][:, None, None, :])
  np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)
  np.testing.assert_allclose(new["batch_stats"]["bn"]["mean"], 0.1 * mean, rtol=1e-5)


def test_class_conditioning_changes_generator_output_per_label():
  gen = ResNetGenerator(width=8, image_size=8, num_classes=3)
  z = jnp.tile(jax.random.normal(jax.random.key(0), (1, 16)), (3, 1))  # one z, three labels
  labels = jnp.arange(3)
  variables = jax.jit(gen.init)(jax.random.key(1), z, labels)
  apply = jax.jit(lambda v, z, y: gen.apply(v, z, y, train=False))
  same = apply(variables, z, labels)
  # At init every class has scale 1 and offset 0: the label cannot matter yet.
  np.testing.assert_allclose(same[0], same[1], atol=1e-6)
  params = _randomize(variables["params"], ["class_"], jax.random.key(2))
  out = apply({**variables, "params": params}, z, labels)
  again = apply({**variables, "params": params}, z, jnp.array([1, 1, 1]))
  for a in range(3):
    for b in range(a + 1, 3):
      assert float(jnp.max(jnp.abs(out[a] - out[b]))) > 1e-2
  np.testing.assert_allclose(again[0], out[1], atol=1e-6)  # a function of (z, label) only


def _dcgan_generator_count(w, channels, latent=128):
  bn = lambda c: 2 * c
  deconv5 = lambda cin, cout: 25 * cin * cout + cout
  return (latent * 64 * w + 64 * w + bn(4 * w) + deconv5(4 * w, 2 * w) + bn(2 * w)
          + deconv5(2 * w, w) + bn(w) + deconv5(w, channels))


@pytest.mark.parametrize("size,channels", [(32, 3), (28, 1)])
def test_dcgan_shapes_and_counts(size, channels):
  cfg = gan_cifar.dcgan_generator_config(width=4, image_size=size)
  gen = models.build_generator(cfg, data_dim=channels)
  z = jax.ShapeDtypeStruct((2, 128), jnp.float32)
  images, g_vars = jax.eval_shape(lambda z: gen.init_with_output(jax.random.key(1), z), z)
  assert images.shape == (2, size, size, channels)
  assert _count(g_vars["params"]) == _dcgan_generator_count(4, channels)
  critic = models.build_critic(gan_cifar.dcgan_critic_config(width=4))
  scores, d_vars = jax.eval_shape(lambda x: critic.init_with_output(jax.random.key(2), x), images)
  assert set(d_vars) == {"params"} and scores.shape == (2,)
  # 32 -> 16 -> 8 -> 4 and 28 -> 14 -> 7 -> 4 (SAME padding): 4 x 4 x 4w features either way.
  assert d_vars["params"]["linear"]["kernel"].shape == (4 * 4 * 16, 1)


def test_dcgan_64x64_generator_has_radfords_extra_doubling():
  cfg = gan_cifar.dcgan_generator_config(width=4, image_size=64)
  z = jax.ShapeDtypeStruct((2, 128), jnp.float32)
  images, g_vars = jax.eval_shape(
      lambda z: models.build_generator(cfg, data_dim=3).init_with_output(jax.random.key(1), z), z)
  assert images.shape == (2, 64, 64, 3)
  w, bn, deconv5 = 4, (lambda c: 2 * c), (lambda cin, cout: 25 * cin * cout + cout)
  expected = (128 * 16 * 8 * w + 16 * 8 * w + bn(8 * w) + deconv5(8 * w, 4 * w) + bn(4 * w)
              + deconv5(4 * w, 2 * w) + bn(2 * w) + deconv5(2 * w, w) + bn(w) + deconv5(w, 3))
  assert _count(g_vars["params"]) == expected


def test_builders_refuse_critic_batch_norm_and_unconditional_models_with_classes():
  with pytest.raises(ValueError, match="batch norm in the critic"):
    models.build_critic(gan_cifar.resnet_config(width=8, norm="batch_norm"))
  with pytest.raises(ValueError, match="no class conditioning"):
    models.build_critic(gan_cifar.dcgan_critic_config(width=8), num_classes=10)


def test_gradient_penalty_on_images_matches_finite_differences():
  """The penalty's per-example norm runs over H, W and C; checked on a tiny ResNet critic."""
  with jax.enable_x64(True):
    critic = ResNetCritic(width=8, norm="layer_norm")
    x = jax.random.normal(jax.random.key(3), (2, 4, 4, 3), jnp.float64)
    params = jax.tree_util.tree_map(lambda p: jnp.asarray(p, jnp.float64),
                                    jax.jit(critic.init)(jax.random.key(4), x)["params"])
    critic_fn = jax.jit(lambda v: critic.apply({"params": params}, v))
    flat = np.asarray(x).reshape(2, -1)
    d, h = flat.shape[1], 1e-6
    steps = np.eye(d)[None] * h  # [1, d, d]: one coordinate step per row
    up = (flat[:, None, :] + steps).reshape(-1, 4, 4, 3)
    down = (flat[:, None, :] - steps).reshape(-1, 4, 4, 3)
    # Each perturbed input is scored on its own: the critic treats examples independently.
    fd = (np.asarray(critic_fn(jnp.asarray(up))) - np.asarray(critic_fn(jnp.asarray(down))))
    fd_norms = np.linalg.norm(fd.reshape(2, d) / (2 * h), axis=1)
    norms, penalty = jax.jit(lambda v: (gan_obj.input_gradient_norms(critic_fn, v),
                                        gan_obj.gradient_penalty(critic_fn, v)))(x)
    np.testing.assert_allclose(norms, fd_norms, rtol=1e-5)
    np.testing.assert_allclose(penalty, np.mean((fd_norms - 1.0) ** 2), rtol=1e-5)
