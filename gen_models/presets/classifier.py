"""Config preset for the project's offline CIFAR-10 classifier (the network behind the
classifier score and classifier Frechet distance; not the published Inception metrics)."""

import ml_collections

from gen_models.training import optimizers


def classifier_model_config(widths=(16, 32, 64, 128)) -> ml_collections.ConfigDict:
  """Architecture fields of models/classifier.py; also written into the exported sidecar."""
  return ml_collections.ConfigDict(dict(name="cifar_resnet", widths=list(widths),
                                        num_classes=10, bn_momentum=0.9))


def cifar10_classifier_config() -> ml_collections.ConfigDict:
  """A ~0.4M-parameter ResNet-9-style net, 700 steps of 256 (about 3.6 epochs) with Adam decayed
  linearly to 0, random flips and 2-pixel crops: 77.1% test accuracy after 33 minutes on the
  shared 2-core CPU (results/cifar10_classifier.md)."""
  return ml_collections.ConfigDict(dict(
      task="classifier",
      data=dict(name="cifar10", data_dir="", batch_size=256, keep_classes=(), drop_classes=(),
                flip=True, crop_padding=2),
      model=classifier_model_config(),
      objective=dict(name="cross_entropy"),
      optimizer=optimizers.optimizer_config("adam", learning_rate=2e-3, linear_decay=True),
      train=dict(num_steps=700, log_every=25, eval_every=0, checkpoint_every=100,
                 keep_checkpoints=2, time_budget_s=0.0, seed=0, progress_bar=True),
      eval=dict(evaluators=("classifier_accuracy",), strict=False, num_test_examples=10000,
                batch_size=500),
  ))
