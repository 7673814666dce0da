"""Evaluator `gan_losses`: both players' losses (the training objective's terms, generator in
inference mode) averaged over the first ceil(eval.loss_examples / B) training batches: the
same batches at every evaluation, so the numbers are comparable over time."""

import math

import jax
import numpy as np

from gen_models.data import batching
from gen_models.evaluation import evaluator


class GanLosses(evaluator.Evaluator):
  name = "gan_losses"
  config_keys = ("loss_examples",)

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    if config.eval.loss_examples < 1:
      raise ValueError(f"eval.loss_examples must be >= 1, got {config.eval.loss_examples}")
    self._losses = jax.jit(self._batch_losses)

  def _batch_losses(self, state, batch, key):
    """{metric: [1]} on one real batch {'x': [B, ...], 'label': [B]}."""
    k_fake, k_loss = jax.random.split(key)
    fake, labels, _ = self.task.sample_fakes(state["generator"], k_fake, batch["x"].shape[0],
                                             train=False)
    _, metrics = self.task.critic_loss(state["critic"], batch, fake, k_loss)
    gen_loss, gen_metrics = self.task.generator_loss(state["critic"], fake, labels)
    metrics = {**metrics, **gen_metrics, "generator_loss": gen_loss}
    return jax.tree_util.tree_map(lambda v: v[None], metrics)

  def evaluate(self, state, rng, out_dir):
    count = math.ceil(self.config.eval.loss_examples / self.config.data.batch_size)

    def losses(index, key):  # index [1]: one batch of the source per call
      batch = jax.tree_util.tree_map(lambda v: v[0], self.source.batches(int(index[0]), 1))
      return self._losses(state, batch, key)

    per_batch = batching.map_batches(losses, np.arange(count), 1, key=rng, dtype=np.float64)
    return {name: float(np.mean(values)) for name, values in per_batch.items()}
