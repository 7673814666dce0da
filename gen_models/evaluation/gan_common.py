"""What several GAN evaluators share: the critic's scores of many inputs and its 2-D value
surface."""

import jax
import numpy as np

from gen_models.data import batching

# Inputs per critic call: bounds memory on a 10k-image split. A batch-norm critic (no penalty)
# normalizes with each call's batch, so its scores depend on this grouping.
SCORE_BATCH = 500


class CriticScores:
  """critic_scores(params, x [N, ...]) -> the critic's scores [N] float64, in SCORE_BATCH
  chunks. Params are an argument of the jitted critic: one compilation per chunk size."""

  def __init__(self, task):
    self._critic = jax.jit(lambda params, x: task.critic_fn(params)(x))

  def __call__(self, params, x) -> np.ndarray:
    return batching.map_batches(lambda chunk: self._critic(params, chunk), x,
                                min(SCORE_BATCH, len(x)), dtype=np.float64)


def value_surface(critic_scores: CriticScores, params, eval_config):
  """The critic on a grid_size x grid_size grid over [-plot_limit, plot_limit]^2.
  -> (grid_x, grid_y, values), each [grid_size, grid_size]."""
  lim, n = eval_config.plot_limit, eval_config.grid_size
  xs = np.linspace(-lim, lim, n, dtype=np.float32)
  gx, gy = np.meshgrid(xs, xs)
  points = np.stack([gx.ravel(), gy.ravel()], axis=-1)
  return gx, gy, critic_scores(params, points).reshape(gx.shape)
