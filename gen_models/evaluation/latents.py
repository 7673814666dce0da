"""`latents`: latents.npz for Figure 2.5 (protocols/latent2d.py): posterior means of q(z|x) of
the first `eval.latent_train_examples` training images and of the first
`eval.num_test_examples` images (0: all) of split `eval.split`, with their labels. Result:
latent_knn_error, the `eval.latent_knn_k`-nearest-neighbour classifier's error on those test
means when fit on the training means, so a periodic evaluation traces it over training.

  train_z [N_train, Z] float64, train_labels [N_train] int32,
  test_z [N_test, Z] float64, test_labels [N_test] int32
"""

import jax
import numpy as np

from gen_models.data import batching
from gen_models.evaluation import evaluator, knn

FILE_NAME = "latents.npz"


class Latents(evaluator.Evaluator):
  name = "latents"
  config_keys = ("latent_train_examples", "latent_knn_k", "split", "num_test_examples",
                 "batch_size")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    ecfg = config.eval
    if not task.has_latent:
      raise ValueError(f"evaluator 'latents' needs a latent-variable model; "
                       f"{config.model.name!r} has none (drop it from eval.evaluators)")
    if ecfg.latent_train_examples < 1:
      raise ValueError(f"evaluator 'latents' needs eval.latent_train_examples >= 1, got "
                       f"{ecfg.latent_train_examples}")
    self.x_train, self.train_labels = source.eval_set("train", ecfg.latent_train_examples)
    self.x_test, self.test_labels = source.eval_set(ecfg.split, ecfg.num_test_examples)
    self._mean = jax.jit(task.posterior_mean)

  def _means(self, params, x) -> np.ndarray:
    """x [N, ...] -> posterior means [N, Z] float64."""
    return batching.map_batches(lambda v: self._mean(params, v), x, self.config.eval.batch_size,
                                dtype=np.float64)

  def evaluate(self, state, rng, out_dir):
    del rng  # posterior means are deterministic
    params = self.task.eval_params(state)
    latents = dict(train_z=self._means(params, self.x_train),
                   train_labels=np.asarray(self.train_labels, np.int32),
                   test_z=self._means(params, self.x_test),
                   test_labels=np.asarray(self.test_labels, np.int32))
    np.savez_compressed(out_dir / FILE_NAME, **latents)
    return {"latent_knn_error": knn.knn_error(**latents, k=self.config.eval.latent_knn_k)}
