"""Supervised CIFAR-10 classification: trains the network behind the project's offline
classifier score and classifier Frechet distance (gen_models/evaluation/offline_score.py).
Test accuracy is the `classifier_accuracy` evaluator's (evaluation/classifier_accuracy.py)."""

import jax
import jax.numpy as jnp
import optax

from gen_models.data import augment
from gen_models.models import classifier as classifier_lib
from gen_models.training import optimizers
from gen_models.training.task import Task


def cross_entropy(logits, labels):
  """Mean softmax cross-entropy and accuracy. logits: [B, K]; labels: [B] int."""
  loss = jnp.mean(optax.softmax_cross_entropy_with_integer_labels(logits, labels))
  accuracy = jnp.mean(jnp.argmax(logits, axis=-1) == labels)
  return loss, accuracy


class ClassifierTask(Task):
  """State: {'params', 'batch_stats', 'opt_state'}. One step = one augmented batch."""

  def __init__(self, config, source):
    self.config = config
    self.source = source
    if config.objective.name != "cross_entropy":
      raise ValueError(f"unknown objective.name {config.objective.name!r} for the classifier "
                       f"task; known: ['cross_entropy']")
    self.model = classifier_lib.build_classifier(config.model)
    self.tx = optimizers.build_optimizer(config.optimizer, config.train.num_steps)

  def init(self, rng, batch):
    variables = self.model.init(rng, batch["x"][0], train=False)
    return {"params": variables["params"], "batch_stats": variables["batch_stats"],
            "opt_state": self.tx.init(variables["params"])}

  def train_step(self, state, batch, rng):
    dcfg = self.config.data
    images = augment.random_flip_and_crop(rng, batch["x"][0], dcfg.crop_padding, dcfg.flip)
    labels = batch["label"][0]

    def loss_fn(params):
      out, new = self.model.apply({"params": params, "batch_stats": state["batch_stats"]},
                                  images, train=True, mutable=["batch_stats"])
      loss, accuracy = cross_entropy(out["logits"], labels)
      return loss, (accuracy, new["batch_stats"])

    (loss, (accuracy, stats)), grads = jax.value_and_grad(loss_fn, has_aux=True)(state["params"])
    updates, opt_state = self.tx.update(grads, state["opt_state"], state["params"])
    params = optax.apply_updates(state["params"], updates)
    return ({"params": params, "batch_stats": stats, "opt_state": opt_state},
            {"loss": loss, "accuracy": accuracy})

  @staticmethod
  def variables(state) -> dict:
    """The Flax variables of the classifier (what `offline_score.export_classifier` saves)."""
    return {"params": state["params"], "batch_stats": state["batch_stats"]}

  def logits(self, variables, images):
    """images [B, 32, 32, 3] in [-1, 1] -> logits [B, K], batch norm on its running averages
    (so an image's logits do not depend on its batch)."""
    return self.model.apply(variables, images, train=False)["logits"]


__all__ = ["ClassifierTask", "cross_entropy"]
