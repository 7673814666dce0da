"""The GAN and critic-only tasks: clipping holds through training, n_critic updates per step."""

import jax
import numpy as np

from conftest import tiny_gan_config
from gen_models import data, tasks


def _train(config, steps):
  source = data.build_source(config.data, 0)
  task = tasks.build_task(config, source)
  k = task.batches_per_step
  state = task.init(jax.random.key(0), source.batches(0, k))
  step = jax.jit(task.train_step)
  for i in range(steps):
    state, metrics = step(state, source.batches(i * k, k), jax.random.key(i))
  return task, state, metrics


def test_clipped_critic_weights_stay_in_range():
  config = tiny_gan_config(objective="wgan_clip")
  config.objective.clip = 0.003
  config.optimizer.critic.learning_rate = 0.05  # large steps would leave the box unclipped
  _, state, _ = _train(config, 4)
  leaves = jax.tree_util.tree_leaves(state["critic"])
  assert max(np.max(np.abs(leaf)) for leaf in leaves) <= np.float32(0.003)
  assert any(float(np.max(np.abs(leaf))) == np.float32(0.003) for leaf in leaves)


def test_critic_takes_n_critic_updates_per_step():
  config = tiny_gan_config()
  config.objective.n_critic = 3
  _, state, metrics = _train(config, 2)
  counts = [int(c) for c in jax.tree_util.tree_leaves(state["critic_opt"])
            if np.ndim(c) == 0 and np.issubdtype(np.asarray(c).dtype, np.integer)]
  gen_counts = [int(c) for c in jax.tree_util.tree_leaves(state["generator_opt"])
                if np.ndim(c) == 0 and np.issubdtype(np.asarray(c).dtype, np.integer)]
  assert counts and set(counts) == {6}
  assert gen_counts and set(gen_counts) == {2}
  assert np.isfinite(float(metrics["generator_loss"]))


def test_generator_batch_norm_updates_statistics():
  config = tiny_gan_config()
  config.model.generator.norm = "batch_norm"
  task, state, _ = _train(config, 2)
  stats = jax.tree_util.tree_leaves(state["generator"]["batch_stats"])
  assert stats and any(float(np.abs(s).sum()) > 0 for s in stats)
  samples, _ = task.generate(state["generator"], jax.random.key(9), 5, train=False)
  assert samples.shape == (5, 2)


def test_critic_only_task_learns_a_positive_wasserstein_estimate():
  config = tiny_gan_config()
  config.task = "critic"
  config.objective.n_critic = 1
  config.model.critic.width = 64
  config.optimizer.critic.learning_rate = 1e-3
  config.data.batch_size = 64
  config.train.num_steps = 150  # the learning rate decays to 0 over the run
  _, _, metrics = _train(config, 150)
  assert float(metrics["wasserstein_estimate"]) > 0.2
