"""`reconstructions`: figures/reconstructions.png, the first `eval.figure_examples` images of
split `eval.split` each followed by a draw from p(x | z = the mean of q(z|x)) (alternate
columns, as the thesis' Figures A.2 and A.3). Latent-variable models only."""

import numpy as np

from gen_models import data as data_lib
from gen_models.evaluation import evaluator, likelihood_samples
from gen_models.plotting import image_grid


class Reconstructions(evaluator.Evaluator):
  name = "reconstructions"
  config_keys = ("split", "figure_examples")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    if not task.has_latent:
      raise ValueError(f"evaluator 'reconstructions' needs a latent-variable model; "
                       f"{config.model.name!r} has none (drop it from eval.evaluators)")
    n = likelihood_samples.check_figure_examples(self.name, config.eval)
    self.x, _ = source.eval_set(config.eval.split, n)  # [n, H, W, C]

  def evaluate(self, state, rng, out_dir):
    recon = self.task.reconstruct(state, rng, self.x)
    cols = 2 * max(1, int(np.ceil(np.sqrt(len(self.x) / 2))))  # even: original | reconstruction
    image_grid.save_image_grid(out_dir / "figures" / "reconstructions.png",
                               image_grid.interleave(self.x, recon), cols=cols,
                               value_range=data_lib.value_range(self.config.data), scale=2)
    return {}
