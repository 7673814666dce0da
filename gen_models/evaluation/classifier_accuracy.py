"""`classifier_accuracy`: a classifier's accuracy and mean cross-entropy on the first
`eval.num_test_examples` test images (results test_accuracy, test_loss, num_test_examples)."""

import jax
import jax.numpy as jnp

from gen_models.data import batching
from gen_models.evaluation import evaluator
from gen_models.tasks import classifier


class ClassifierAccuracy(evaluator.Evaluator):
  name = "classifier_accuracy"
  config_keys = ("num_test_examples", "batch_size")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    n = config.eval.num_test_examples
    if n < 1:
      raise ValueError(f"eval.num_test_examples must be positive, got {n}")
    self.images, self.labels = source.eval_set("test", n)  # [N, H, W, C], [N]
    if len(self.labels) != n:
      raise ValueError(f"eval.num_test_examples={n} exceeds the {len(self.labels)} test images")
    self._logits = jax.jit(task.logits)

  def evaluate(self, state, rng, out_dir):
    del rng, out_dir  # deterministic; writes no files
    variables = self.task.variables(state)
    logits = batching.map_batches(lambda x: self._logits(variables, x), self.images,
                                  self.config.eval.batch_size)
    loss, accuracy = classifier.cross_entropy(jnp.asarray(logits), jnp.asarray(self.labels))
    return {"test_accuracy": float(accuracy), "test_loss": float(loss),
            "num_test_examples": int(len(self.labels))}
