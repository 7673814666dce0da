"""Evaluator `toy_samples_figure`: figures/samples.png of a 2-D toy GAN, the critic's value
surface with FIGURE_POINTS real (orange) and generated points over it."""

import pathlib

from gen_models.evaluation import evaluator, gan_common
from gen_models.plotting import toy as toy_plots

FIGURE_POINTS = 1000  # per set: enough to show the modes, few enough to see the surface


class ToySamplesFigure(evaluator.Evaluator):
  name = "toy_samples_figure"
  config_keys = ("plot_limit", "grid_size")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    self._critic_scores = gan_common.CriticScores(task)

  def evaluate(self, state, rng, out_dir):
    real = self.source.eval_samples(FIGURE_POINTS, self.config.train.seed)
    fake = self.task.sample(state, rng, FIGURE_POINTS)
    gx, gy, values = gan_common.value_surface(self._critic_scores, state["critic"],
                                              self.config.eval)
    fig, ax = toy_plots.plt.subplots(figsize=(4, 4))
    toy_plots.value_surface(ax, gx, gy, values, data=real, fake=fake,
                            title=f"{self.config.objective.name} on {self.config.data.name}")
    toy_plots.save(fig, pathlib.Path(out_dir) / "figures" / "samples.png")
    return {}
