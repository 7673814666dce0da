"""Evaluator `toy_mode_metrics`: sample quality of a 2-D toy GAN from eval.toy_samples generated
and as many real points: sliced Wasserstein-1, RBF MMD² (on the first eval.mmd_samples of each)
and, on the Gaussian mixtures, the mode statistics (modes covered, high-quality fraction; a mode
counts when it holds eval.mode_min_fraction of the samples)."""

from gen_models.data import toy
from gen_models.evaluation import evaluator, toy as toy_metrics


class ToyModeMetrics(evaluator.Evaluator):
  name = "toy_mode_metrics"
  config_keys = ("toy_samples", "mmd_samples", "mode_min_fraction")

  def evaluate(self, state, rng, out_dir):
    ecfg = self.config.eval
    fake = self.task.sample(state, rng, ecfg.toy_samples)
    real = self.source.eval_samples(ecfg.toy_samples, self.config.train.seed)
    results = {"sliced_w1": toy_metrics.sliced_wasserstein1(fake, real),
               "mmd_rbf": toy_metrics.mmd_rbf(fake[:ecfg.mmd_samples], real[:ecfg.mmd_samples])}
    spec = toy.mixture_spec(self.config.data.name)
    if spec is not None:
      results.update(toy_metrics.mode_statistics(fake, spec.centers, spec.std,
                                                 ecfg.mode_min_fraction))
    return results
