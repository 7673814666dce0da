"""What the sample-score evaluators of a CIFAR-10 GAN share (classifier_scores, fid,
inception_score): the CIFAR-10 check and the `eval.score_samples` generated images they score.

Each evaluator loads its network and reference statistics once per run (in `__init__`, before
training) and declares its file in `assets()`, so a missing file skips that evaluator (or, with
`eval.strict`, stops the launch) without touching the others.
"""

import numpy as np

from gen_models.evaluation import evaluator

CIFAR10_SHAPE = (32, 32, 3)


class SampleScoreEvaluator(evaluator.Evaluator):
  """Base of the sample-score evaluators; subclasses score `self.samples(state, rng)`."""

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    # The reference statistics are CIFAR-10's training set: on other images they would measure
    # the distance to CIFAR-10, not to the data.
    if config.data.name != "cifar10" or tuple(source.data_shape) != CIFAR10_SHAPE:
      raise ValueError(f"evaluator {self.name!r} is for 32x32x3 CIFAR-10 images, but data "
                       f"{config.data.name!r} has shape {tuple(source.data_shape)}; drop it "
                       f"from eval.evaluators")
    if config.eval.score_samples < 10:
      raise ValueError(f"eval.score_samples must be >= 10 (10 score splits), got "
                       f"{config.eval.score_samples}")

  def samples(self, state, rng) -> np.ndarray:
    """eval.score_samples images [N, 32, 32, 3] in [-1, 1]; an AC-GAN's labels cycle."""
    return self.task.sample(state, rng, self.config.eval.score_samples)
