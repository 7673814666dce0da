"""The Task interface: the seam that lets one trainer serve every model family.

A task binds a model family, its objective and its optimizer(s). Its functions are pure:
- `init(rng, batch) -> state`: a pytree (params, optimizer states, batch-norm statistics);
- `train_step(state, batch, rng) -> (state, metrics)`: one update of the whole state. `batch`
  leaves are stacked `[batches_per_step, B, ...]`, so a GAN step can scan over its n_critic
  critic batches inside one jitted function;
- `sample(state, rng, n) -> samples [n, *data_shape]` (NumPy, in the data's value range; the
  text GAN returns character probabilities) where the family can sample.
Evaluation is not a task method: evaluators (gen_models/evaluation/, named in
`config.eval.evaluators`) take the task, its state and the source. The trainer owns the rest:
budget, cadence, sharding, checkpoints, PRNG bookkeeping.
"""

import abc


class Task(abc.ABC):
  batches_per_step: int = 1

  @abc.abstractmethod
  def init(self, rng, batch):
    """-> state pytree."""

  @abc.abstractmethod
  def train_step(self, state, batch, rng):
    """-> (new state, dict of scalar metrics)."""

  def throughput(self, steps_per_s: float) -> dict:
    """Task-specific names for the training rate (e.g. a GAN's generator steps/s), logged next
    to the trainer's steps_per_s and examples_per_s."""
    del steps_per_s
    return {}

  def sample(self, state, rng, n: int):
    """-> n samples [n, *data_shape] as NumPy, in the data's value range."""
    raise NotImplementedError(f"{type(self).__name__} cannot sample")
