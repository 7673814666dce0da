"""Evaluator `sample_grid`: figures/samples.png, eval.grid_rows^2 samples of an image GAN's
generator in inference mode; an AC-GAN's row r shows class r mod num_classes."""

import pathlib

import numpy as np

from gen_models import data
from gen_models.evaluation import evaluator
from gen_models.plotting import image_grid


class SampleGrid(evaluator.Evaluator):
  name = "sample_grid"
  config_keys = ("grid_rows",)

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    if len(source.data_shape) != 3:
      raise ValueError(f"evaluator 'sample_grid' draws images [H, W, C], but data "
                       f"{config.data.name!r} has shape {tuple(source.data_shape)}")

  def evaluate(self, state, rng, out_dir):
    rows = self.config.eval.grid_rows
    labels = (np.arange(rows * rows) // rows) % max(self.task.num_classes, 1)
    images = self.task.sample(state, rng, rows * rows, labels=labels)
    image_grid.save_image_grid(pathlib.Path(out_dir) / "figures" / "samples.png", images, rows,
                               rows, value_range=data.value_range(self.config.data))
    return {}
