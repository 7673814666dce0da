"""Evaluator `heldout_wasserstein` (Figure 3.7b): the critic's Wasserstein estimate
mean D(real) - mean D(fake) (the negative critic loss without the penalty) with real = the
images the source trains on (`eval.train_examples` of them, 0: all) and with real =
`eval.heldout_examples` images of split `eval.heldout_split` (0: all), both against the same
`eval.heldout_examples` samples of the generator in inference mode."""

import numpy as np

from gen_models.evaluation import evaluator, gan_common


class HeldoutWasserstein(evaluator.Evaluator):
  name = "heldout_wasserstein"
  config_keys = ("heldout_split", "heldout_examples", "train_examples")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    self.require_eval_set("held-out splits (the MNIST sources)")
    self._critic_scores = gan_common.CriticScores(task)

  def evaluate(self, state, rng, out_dir):
    ecfg = self.config.eval
    train, _ = self.source.eval_set("train", ecfg.train_examples)
    heldout, _ = self.source.eval_set(ecfg.heldout_split, ecfg.heldout_examples)
    fake = self.task.sample(state, rng, len(heldout))
    mean_score = lambda x: float(np.mean(self._critic_scores(state["critic"], x)))
    d_fake = mean_score(fake)
    return {"wasserstein_train": mean_score(train) - d_fake,
            "wasserstein_heldout": mean_score(heldout) - d_fake}
