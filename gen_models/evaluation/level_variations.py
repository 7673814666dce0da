"""`level_variations`: Figure 2.6, what each level of the hierarchical PixelVAE models. Three
grids, figures/vary_top.png, vary_middle.png and vary_pixel.png, of `eval.figure_examples` rows
by `eval.figure_columns` samples: along a row only one level's sampling noise changes (z2's,
z1's or the pixels'), the other levels' noise held fixed; rows differ in all three."""

import jax
import numpy as np

from gen_models import data as data_lib
from gen_models.evaluation import evaluator, likelihood_samples
from gen_models.plotting import image_grid

LEVELS = ("top", "middle", "pixel")  # the order of task.sample_levels' keys: z2, z1, x


class LevelVariations(evaluator.Evaluator):
  name = "level_variations"
  config_keys = ("figure_examples", "figure_columns")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    if not hasattr(task, "sample_levels"):
      raise ValueError("evaluator 'level_variations' needs the hierarchical PixelVAE "
                       f"(model.name 'hierarchical_pixelvae'), not {config.model.name!r}")
    self.rows = likelihood_samples.check_figure_examples(self.name, config.eval)
    self.sample = jax.jit(task.sample_levels, static_argnums=(2,))

  def evaluate(self, state, rng, out_dir):
    cols = self.config.eval.figure_columns
    variables = self.task.variables(state)
    for level, name in enumerate(LEVELS):
      # keys[i] [rows * cols]: row r's base key, except the varied level's (one per column)
      base = jax.random.split(jax.random.fold_in(rng, 0), (3, self.rows))
      varied = jax.random.split(jax.random.fold_in(rng, 1 + level), self.rows * cols)
      keys = [jax.numpy.repeat(base[i], cols, axis=0) for i in range(3)]
      keys[level] = varied
      # one batch: each image its own keys (the sampler folds per-position keys from them)
      images = jax.vmap(lambda k2, k1, k0: self.sample(variables, (k2, k1, k0), 1)[0])(*keys)
      image_grid.save_image_grid(out_dir / "figures" / f"vary_{name}.png", np.asarray(images),
                                 cols=cols, value_range=data_lib.value_range(self.config.data),
                                 scale=2)
    return {}
