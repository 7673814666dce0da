"""`cross_dataset_scores`: the in-distribution evaluation images and those of another data set
(`eval.ood_dataset`, e.g. MNIST for a Fashion-MNIST model) scored by a likelihood model, for
protocols/ood.py's CrossDataset reducer.

Writes cross_dataset_scores.npz (evaluation/scores_file.py): labels 0 (in-distribution) / 1
(OOD), one log-likelihood array per score (elbo, iwae or exact) over both sets, and their
images as uint8. Both sets are the first `eval.num_test_examples` images of split `eval.split`.
The in-distribution images are scored here again, not taken from `test_likelihood`, so each
evaluator stands alone. Results: ood_dataset and the OOD set's summary as ood_test_nll_* etc.
"""

import jax
import ml_collections
import numpy as np

from gen_models import data as data_lib
from gen_models.evaluation import evaluator, likelihood as lik_eval, scores_file
from gen_models.plotting import image_grid

FILE_NAME = "cross_dataset_scores.npz"


class CrossDatasetScores(evaluator.Evaluator):
  name = "cross_dataset_scores"
  config_keys = ("ood_dataset", "split", "num_test_examples", "batch_size", "iwae_samples",
                 "iwae_chunk")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    ecfg = config.eval
    if not ecfg.ood_dataset:
      raise ValueError("evaluator 'cross_dataset_scores' needs eval.ood_dataset (the data set "
                       "to detect as out-of-distribution), got ''")
    # The same data settings (binarization, data_dir) on the other data set, every class.
    ood_data = ml_collections.ConfigDict(config.data.to_dict())
    ood_data.name, ood_data.keep_classes, ood_data.drop_classes = ecfg.ood_dataset, (), ()
    self.x_in, _ = source.eval_set(ecfg.split, ecfg.num_test_examples)
    self.x_ood, _ = data_lib.build_source(ood_data, config.train.seed).eval_set(
        ecfg.split, ecfg.num_test_examples)
    self.score = lik_eval.BatchedScores(task, ecfg)

  def evaluate(self, state, rng, out_dir):
    params = self.task.eval_params(state)
    scores_in = self.score(params, self.x_in, jax.random.fold_in(rng, 0))
    scores_ood = self.score(params, self.x_ood, jax.random.fold_in(rng, 1))
    names = lik_eval.log_likelihoods(scores_in)
    images = np.concatenate([np.asarray(self.x_in), np.asarray(self.x_ood)])
    scores_file.write(
        out_dir / FILE_NAME,
        np.concatenate([np.zeros(len(self.x_in), np.int32), np.ones(len(self.x_ood), np.int32)]),
        {k: np.concatenate([scores_in[k], scores_ood[k]]) for k in names},
        images=image_grid.to_uint8(images, data_lib.value_range(self.config.data)))
    summary = lik_eval.summarize(scores_ood, self.task.num_dims)
    return {"ood_dataset": self.config.eval.ood_dataset,
            **{f"ood_{k}": v for k, v in summary.items()}}
