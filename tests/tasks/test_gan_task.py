"""The GAN and critic-only tasks: clipping holds through training, n_critic updates per step;
sampling in chunks; the toy evaluators on a tiny trained state."""

import jax
import numpy as np

from conftest import run_evaluators, tiny_gan_config
from gen_models import data, tasks
from gen_models.tasks import gan as gan_task


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


def test_sample_chunks_use_distinct_keys_and_cycle_labels(monkeypatch):
  monkeypatch.setattr(gan_task, "SAMPLE_CHUNK", 3)
  task, state, _ = _train(tiny_gan_config(), 1)
  samples = task.sample(state, jax.random.key(1), 7)
  assert samples.shape == (7, 2) and samples.dtype == np.float32
  assert len(np.unique(samples, axis=0)) == 7  # chunk j draws from fold_in(key, j)
  np.testing.assert_array_equal(samples, task.sample(state, jax.random.key(1), 7))
  monkeypatch.setattr(gan_task, "SAMPLE_CHUNK", 500)  # one chunk: the first 3 rows differ
  assert not np.allclose(task.sample(state, jax.random.key(1), 7)[3:], samples[3:])


def test_toy_evaluators_write_the_figure_and_the_measures(tmp_path):
  config = tiny_gan_config(objective="wgan_clip")
  config.eval.evaluators += ("critic_layer_grad_norms", "critic_weight_histogram")
  task, state, _ = _train(config, 2)
  source = data.build_source(config.data, 0)
  results = run_evaluators(config, task, source, state, jax.random.key(3), tmp_path)
  assert (tmp_path / "figures" / "samples.png").stat().st_size > 1000
  assert results["num_modes"] == 8 and 0 <= results["modes_covered"] <= 8
  assert np.isfinite(results["sliced_w1"]) and np.isfinite(results["mmd_rbf"])
  norms = results["critic_layer_grad_norms"]
  assert len(norms) == config.model.critic.depth and all(n > 0 for n in norms)
  hist = results["critic_weight_histogram"]
  assert len(hist["counts"]) == 101 and hist["edges"][0] >= -config.objective.clip - 1e-7


def test_critic_value_surface_evaluator(tmp_path):
  config = tiny_gan_config()
  config.task = "critic"
  config.objective.n_critic = 1
  config.eval.evaluators = ("critic_value_surface",)
  task, state, _ = _train(config, 2)
  source = data.build_source(config.data, 0)
  results = run_evaluators(config, task, source, state, jax.random.key(3), tmp_path)
  surface = np.load(tmp_path / "value_surface.npz")
  assert surface["values"].shape == (8, 8) and surface["data"].shape == (64, 2)
  assert (tmp_path / "figures" / "value_surface.png").is_file()
  assert np.isfinite(results["wasserstein_estimate"]) and results["interpolate_grad_norm_std"] >= 0
