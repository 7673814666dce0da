"""`top_reconstructions`: figures/top_reconstructions.png (Figure A.1), the first
`eval.figure_examples` images of split `eval.split`, each followed by `eval.figure_columns`
top-down generations from its highest latent level (z2 = the mean of q(z2|x), then z1 ~
p(z1|z2) and x ~ p(x|z1)). Hierarchical PixelVAE only (tasks/hierarchical_pixelvae.py)."""

import jax
import numpy as np

from gen_models import data as data_lib
from gen_models.evaluation import evaluator, likelihood_samples
from gen_models.plotting import image_grid


class TopReconstructions(evaluator.Evaluator):
  name = "top_reconstructions"
  config_keys = ("split", "figure_examples", "figure_columns")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    if not hasattr(task, "sample_levels"):
      raise ValueError("evaluator 'top_reconstructions' needs the hierarchical PixelVAE "
                       f"(model.name 'hierarchical_pixelvae'), not {config.model.name!r}")
    n = likelihood_samples.check_figure_examples(self.name, config.eval)
    self.x, _ = source.eval_set(config.eval.split, n)  # [n, H, W, C]

  def evaluate(self, state, rng, out_dir):
    cols = self.config.eval.figure_columns
    draws = [self.task.reconstruct(state, jax.random.fold_in(rng, j), self.x, from_top=True)
             for j in range(cols)]
    rows = np.stack([self.x] + draws, axis=1)  # [n, 1 + cols, H, W, C]
    image_grid.save_image_grid(out_dir / "figures" / "top_reconstructions.png",
                               rows.reshape((-1,) + rows.shape[2:]), cols=1 + cols,
                               value_range=data_lib.value_range(self.config.data), scale=2)
    return {}
