"""Evaluator `discriminator_ood_scores` (Chapter 4): scores.npz (evaluation/scores_file.py) with
the critic's output on every image of the source's evaluation split `eval.split` (its first
`eval.num_test_examples`, 0 = all) as the normality score `discriminator` (higher = more real =
more normal), their labels and the images as uint8."""

import pathlib

from gen_models import data
from gen_models.evaluation import evaluator, gan_common, scores_file
from gen_models.plotting import image_grid


class DiscriminatorOodScores(evaluator.Evaluator):
  name = "discriminator_ood_scores"
  config_keys = ("split", "num_test_examples")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    self.require_eval_set("an evaluation split (MNIST-like, CIFAR-10)")
    self._critic_scores = gan_common.CriticScores(task)

  def evaluate(self, state, rng, out_dir):
    x, labels = self.source.eval_set(self.config.eval.split, self.config.eval.num_test_examples)
    scores = self._critic_scores(state["critic"], x)
    images = image_grid.to_uint8(x, data.value_range(self.config.data))
    scores_file.write(pathlib.Path(out_dir) / scores_file.FILE_NAME, labels,
                      {"discriminator": scores}, images=images)
    return {}
