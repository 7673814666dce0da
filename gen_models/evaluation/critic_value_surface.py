"""Evaluator `critic_value_surface` (Figure 3.1a) for the critic-only task, whose fake
distribution is real data + N(0, I): value_surface.npz (grid_x, grid_y, values [grid_size,
grid_size], data [<= FIGURE_POINTS, 2]) and figures/value_surface.png; on eval.toy_samples real
points and their noisy copies the Wasserstein estimate E[D(real)] - E[D(real + noise)] and the
mean and std of the critic's input-gradient norm at random interpolates."""

import pathlib

import jax
import jax.numpy as jnp
import numpy as np

from gen_models.evaluation import evaluator, gan_common
from gen_models.evaluation.toy_samples_figure import FIGURE_POINTS
from gen_models.objectives import gan as gan_obj
from gen_models.plotting import toy as toy_plots


class CriticValueSurface(evaluator.Evaluator):
  name = "critic_value_surface"
  config_keys = ("toy_samples", "plot_limit", "grid_size")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    self._critic_scores = gan_common.CriticScores(task)

  def evaluate(self, state, rng, out_dir):
    real = jnp.asarray(self.source.eval_samples(self.config.eval.toy_samples,
                                                self.config.train.seed))
    fake = self.task.noisy_copy(real, rng)
    critic = jax.jit(self.task.critic_fn(state["critic"]))
    x_hat = gan_obj.interpolates(real, fake, jax.random.fold_in(rng, 1))
    norms = gan_obj.input_gradient_norms(critic, x_hat)
    gx, gy, values = gan_common.value_surface(self._critic_scores, state["critic"],
                                              self.config.eval)
    out_dir = pathlib.Path(out_dir)
    shown = np.asarray(real[:FIGURE_POINTS])
    np.savez_compressed(out_dir / "value_surface.npz", grid_x=gx, grid_y=gy, values=values,
                        data=shown)
    fig, ax = toy_plots.plt.subplots(figsize=(4, 4))
    toy_plots.value_surface(ax, gx, gy, values, data=shown,
                            title=f"{self.config.objective.name} critic, {self.config.data.name}")
    toy_plots.save(fig, out_dir / "figures" / "value_surface.png")
    return {"wasserstein_estimate": float(jnp.mean(critic(real)) - jnp.mean(critic(fake))),
            "interpolate_grad_norm_mean": float(jnp.mean(norms)),
            "interpolate_grad_norm_std": float(jnp.std(norms))}
