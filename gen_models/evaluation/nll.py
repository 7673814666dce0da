"""`test_likelihood`: a likelihood model's NLL on its evaluation split (Table 2.1; the sub-runs
of Tables 4.1 and 4.2); `train_likelihood`: the same on training images. Module and class avoid
the test_ prefix pytest collects.

Scores the first `eval.num_test_examples` images (0: all) of split `eval.split` (for MNIST the
fixed binarization of data.eval_seed): the one-sample ELBO with its KL/reconstruction split and
the IWAE estimate with `eval.iwae_samples` samples (0: none) for latent models, the exact
log-likelihood for autoregressive ones. Results: test_nll_* / test_bpd_* (nats per image,
bits/dim), test_kl, test_reconstruction, iwae_samples, num_test_examples, eval_split,
eval_examples_per_s. Writes scores.npz (evaluation/scores_file.py): labels, the per-image
log-likelihoods (elbo, iwae or exact; higher = more normal) and the scored images as uint8, so
the OOD protocol of Chapter 4 can also compute their PNG code length.
"""

import time

import numpy as np

from gen_models import data as data_lib
from gen_models.evaluation import evaluator, likelihood as lik_eval, scores_file
from gen_models.plotting import image_grid


class HeldOutNLL(evaluator.Evaluator):
  name = "test_likelihood"
  config_keys = ("split", "num_test_examples", "batch_size", "iwae_samples", "iwae_chunk")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    ecfg = config.eval
    self.split = self._split(ecfg)
    self.x, self.labels = source.eval_set(self.split, ecfg.num_test_examples)  # [N, ...], [N]
    if self.labels is None:  # unlabelled images (image folders, TFDS image sets): label -1
      self.labels = np.full(len(self.x), -1, np.int64)
    self.score = lik_eval.BatchedScores(task, ecfg)

  @staticmethod
  def _split(eval_config) -> str:
    return eval_config.split

  def _bounds(self, state, rng) -> tuple[dict, dict]:
    """-> (per-image scores, summary results) of the scored images."""
    start = time.perf_counter()
    scores = self.score(self.task.eval_params(state), self.x, rng)
    seconds = time.perf_counter() - start
    results = lik_eval.summarize(scores, self.task.num_dims)
    results.update(num_test_examples=int(len(self.labels)), eval_split=self.split,
                   eval_examples_per_s=float(len(self.labels) / seconds))
    if self.task.has_latent:
      results["iwae_samples"] = int(self.config.eval.iwae_samples)
    return scores, results

  def evaluate(self, state, rng, out_dir):
    scores, results = self._bounds(state, rng)
    scores_file.write(out_dir / scores_file.FILE_NAME, self.labels,
                      lik_eval.log_likelihoods(scores),
                      images=image_grid.to_uint8(self.x, data_lib.value_range(self.config.data)))
    return results


class TrainNLL(HeldOutNLL):
  """`train_likelihood`: the same bounds on the first `eval.num_test_examples` training images,
  as train_nll_* / train_bpd_* / train_kl*: the gap to the test numbers is the overfitting a
  training-loss curve (batch statistics, KL warm-up) cannot show."""
  name = "train_likelihood"
  config_keys = ("num_test_examples", "batch_size", "iwae_samples", "iwae_chunk")

  @staticmethod
  def _split(eval_config) -> str:
    return "train"

  def evaluate(self, state, rng, out_dir):
    _, results = self._bounds(state, rng)
    renamed = {(f"train_{k[len('test_'):]}" if k.startswith("test_") else k): v
               for k, v in results.items()}
    renamed["train_examples"] = renamed.pop("num_test_examples")
    renamed["train_examples_per_s"] = renamed.pop("eval_examples_per_s")
    del renamed["eval_split"]
    renamed.pop("iwae_samples", None)  # test_likelihood reports it; both use eval.iwae_samples
    return renamed
