"""The GAN task on images: a tiny ResNet WGAN-GP step compiles once and moves every parameter,
evaluation writes the sample grid; the AC-GAN terms match NumPy and condition the generator."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from PIL import Image

from conftest import jitted_steps, run_evaluators
from gen_models import tasks
from gen_models.objectives import gan as gan_obj
from gen_models.presets import gan_cifar


class FakeImageSource:
  """Stands in for the CIFAR-10 source: batch i is a pure function of (seed, i)."""

  def __init__(self, batch_size, size=8, channels=3, num_classes=3, seed=0):
    self.batch_size, self.num_classes, self.seed = batch_size, num_classes, seed
    self.data_shape = (size, size, channels)

  def batches(self, first_index, count):
    xs, labels = [], []
    for i in range(first_index, first_index + count):
      rng = np.random.default_rng([self.seed, i])
      xs.append(rng.uniform(-1, 1, (self.batch_size, *self.data_shape)).astype(np.float32))
      labels.append(rng.integers(0, self.num_classes, self.batch_size).astype(np.int32))
    return {"x": np.stack(xs), "label": np.stack(labels)}


def tiny_image_config(conditional=False, batch_size=4, num_classes=3):
  config = gan_cifar.gan_cifar_config(conditional=conditional)
  config.model.generator.update(width=8, image_size=8, latent_dim=16)
  config.model.critic.width = 8
  if conditional:
    config.model.num_classes = num_classes
  config.data.batch_size = batch_size
  config.objective.n_critic = 1  # n_critic > 1 is the same update repeated (toy tests)
  config.train.update(num_steps=10, progress_bar=False)
  config.eval.update(evaluators=("sample_grid", "gan_losses"), loss_examples=batch_size,
                     grid_rows=2)
  return config


def _build(config):
  source = FakeImageSource(config.data.batch_size, num_classes=max(1, config.model.num_classes))
  task = tasks.build_task(config, source)
  state = jax.jit(task.init)(jax.random.key(0), source.batches(0, task.batches_per_step))
  return source, task, state


def _changed(a, b):
  """-> {path: whether the leaf moved}."""
  return {jax.tree_util.keystr(p): not np.allclose(x, y) for (p, x), y in zip(
      jax.tree_util.tree_leaves_with_path(a), jax.tree_util.tree_leaves(b))}


def test_resnet_wgan_gp_step_compiles_once_changes_params_and_evaluates(tmp_path):
  config = tiny_image_config()
  source, task, state0 = _build(config)
  state, metrics, traces = jitted_steps(task, source, state0, 2)
  assert traces == 1
  moved = _changed(state0["critic"], state["critic"])
  # The score's bias cancels in E[D(fake)] - E[D(real)] and in the penalty: zero gradient.
  assert not moved.pop("['linear']['bias']") and all(moved.values())
  assert all(_changed(state0["generator"]["params"], state["generator"]["params"]).values())
  assert all(_changed(state0["generator"]["batch_stats"],
                      state["generator"]["batch_stats"]).values())
  assert np.isfinite(float(metrics["gradient_penalty"])) and "critic_acgan" not in metrics

  results = run_evaluators(config, task, source, state, jax.random.key(5), tmp_path)
  grid = np.asarray(Image.open(tmp_path / "figures" / "samples.png"))
  assert grid.shape == (2 * 9 + 1, 2 * 9 + 1, 3)  # 2x2 grid of 8x8 images, 1-pixel borders
  for name in ("wasserstein_estimate", "gradient_penalty", "critic_loss", "generator_loss"):
    assert np.isfinite(results[name])
  assert "modes_covered" not in results  # toy metrics only for 2-D data


def _np_cross_entropy(logits, labels):
  logits = np.asarray(logits, np.float64)
  m = logits.max(axis=1, keepdims=True)
  log_z = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
  return float(np.mean(log_z - logits[np.arange(len(labels)), labels]))


def test_acgan_classification_loss_matches_numpy():
  logits = 30.0 * jax.random.normal(jax.random.key(0), (7, 4))  # large: needs a stable softmax
  labels = np.array([0, 3, 1, 1, 2, 0, 3])
  np.testing.assert_allclose(gan_obj.acgan_classification_loss(logits, jnp.asarray(labels)),
                             _np_cross_entropy(logits, labels), rtol=1e-5)


def test_acgan_terms_and_conditioning():
  """Both AC-GAN terms are the weighted cross-entropies (vs NumPy), and one training step makes
  the generator's output depend on the label (same z, different labels -> different images)."""
  config = tiny_image_config(conditional=True, batch_size=16)
  source, task, state0 = _build(config)

  @jax.jit
  def per_label(gen_vars):  # one z, labels 0, 1, 2
    z = jnp.tile(jax.random.normal(jax.random.key(3), (1, 16)), (3, 1))
    return task.generator.apply(gen_vars, z, jnp.arange(3), train=False)

  before = np.asarray(per_label(state0["generator"]))
  np.testing.assert_allclose(before[0], before[1], atol=1e-6)  # classes start identical
  batches = source.batches(0, 1)
  state, metrics = jax.jit(task.train_step)(state0, batches, jax.random.key(4))
  after = np.asarray(per_label(state["generator"]))
  for a, b in [(0, 1), (0, 2), (1, 2)]:
    assert np.max(np.abs(after[a] - after[b])) > 1e-5

  fake = jax.random.uniform(jax.random.key(1), batches["x"][0].shape, minval=-1, maxval=1)
  labels = jnp.arange(16) % 3

  @jax.jit  # one compilation for everything this test evaluates
  def outputs(critic_before, critic_after):
    real = task.critic.apply({"params": critic_before}, batches["x"][0])
    return real, task.generator_loss(critic_after, fake, labels)[0], task.critic.apply(
        {"params": critic_after}, fake)

  (real_scores, real_logits), gen_loss, (fake_scores, fake_logits) = outputs(state0["critic"],
                                                                            state["critic"])
  # The step's critic metrics are those of its one update, at the initial critic: the WGAN-GP
  # part (its penalty is checked against finite differences elsewhere) + 1 x CE(real labels).
  ce_real = _np_cross_entropy(real_logits, batches["label"][0])
  np.testing.assert_allclose(metrics["critic_acgan"], ce_real, rtol=1e-5)
  np.testing.assert_allclose(metrics["critic_real"], np.mean(real_scores), rtol=1e-4, atol=1e-6)
  expected = (-float(metrics["wasserstein_estimate"]) + 10.0 * float(metrics["gradient_penalty"])
              + 1.0 * ce_real)
  np.testing.assert_allclose(metrics["critic_loss"], expected, rtol=1e-5)
  expected = -float(np.mean(fake_scores)) + 0.1 * _np_cross_entropy(fake_logits, labels)
  np.testing.assert_allclose(gen_loss, expected, rtol=1e-5)


def test_generator_image_size_must_match_the_data():
  config = tiny_image_config()
  config.model.generator.image_size = 16
  with pytest.raises(ValueError, match="generator 'resnet' makes samples of shape"):
    _build(config)


def test_unrolled_critic_updates_equal_the_scanned_ones():
  """train.unroll_critic (straight-line n_critic updates, fast convs on XLA:CPU) changes only
  how the step is compiled, not what it computes (checked on the tiny toy MLP GAN)."""
  from conftest import tiny_gan_config
  from gen_models import data

  outputs = []
  for unroll in (False, True):
    config = tiny_gan_config()
    config.objective.n_critic = 2
    config.train.unroll_critic = unroll
    source = data.build_source(config.data, 0)
    task = tasks.build_task(config, source)
    state = jax.jit(task.init)(jax.random.key(0), source.batches(0, 2))
    outputs.append(jax.jit(task.train_step)(state, source.batches(2, 2), jax.random.key(1)))
  (scanned, m_scan), (unrolled, m_unroll) = outputs
  for a, b in zip(jax.tree_util.tree_leaves(scanned), jax.tree_util.tree_leaves(unrolled)):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
  for name in m_scan:
    np.testing.assert_allclose(m_scan[name], m_unroll[name], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("size,channels,objective", [(32, 3, "wgan_gp"), (28, 1, "dcgan")])
def test_dcgan_models_fit_the_task(size, channels, objective):
  """DCGAN G and D through GANTask (CIFAR-10 WGAN-GP; Chapter 4's grey 28x28 DCGAN), traced
  only: the shapes of state and metrics, without compiling."""
  config = gan_cifar.gan_cifar_config(architecture="dcgan")
  config.model.generator.update(width=4, image_size=size)
  config.model.critic.width = 4
  config.objective.update(name=objective, n_critic=1)
  config.data.batch_size = 2
  source = FakeImageSource(2, size=size, channels=channels)
  task = tasks.build_task(config, source)
  batch = source.batches(0, 1)
  state = jax.eval_shape(task.init, jax.random.key(0), batch)
  assert set(state["generator"]) == {"params", "batch_stats"}
  new_state, metrics = jax.eval_shape(task.train_step, state, batch, jax.random.key(1))
  assert jax.tree_util.tree_structure(new_state) == jax.tree_util.tree_structure(state)
  assert metrics["generator_loss"].shape == () and ("gradient_penalty" in metrics) == (
      objective == "wgan_gp")
