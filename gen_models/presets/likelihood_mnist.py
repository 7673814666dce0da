"""Config presets for the binarized-MNIST likelihood experiments of Chapter 2 (Table 2.1).

The thesis gives the MNIST architectures (appendix A.0.5) but not the optimization settings; we
take them from the PixelVAE authors' public MNIST script: Adam with learning rate 1e-3, batch
size 100, latent dimension 64, 200k iterations, and a KL weight ramped linearly from 0 to 1 over
the first 10k iterations. Evaluation follows section 2.4.1: the IWAE estimate with k = 5000
importance samples on all 10,000 test images.

`eval` holds the keys of every likelihood evaluator (gen_models/evaluation/), so any of them can
be added from the command line (a locked config refuses new keys): `eval.evaluators` names the
ones a run calls (Table 2.1: test_likelihood and the figures, see `table_evaluators`);
`eval.figure_examples` is the number of images in the sample and reconstruction grids;
`eval.ood_dataset` ('' until cross_dataset_scores is used), `eval.latent_train_examples`
(the training images whose latents `latents` writes) and `eval.latent_knn_k` (the K of its
K-nearest-neighbour test error) serve the Chapter 4 / Figure 2.5 protocols.
"""

import ml_collections

from gen_models import models
from gen_models.training import optimizers

MODELS = ("vae", "pixelcnn", "gated_pixelcnn", "pixelvae", "gated_pixelvae",
          "gated_pixelvae_noup")
FULL_NUM_STEPS = 200_000  # 400 epochs of 50k images at batch size 100 (the authors' script)
FIGURE_EVALUATORS = ("likelihood_samples", "reconstructions")


def table_evaluators(has_latent: bool) -> tuple[str, ...]:
  """A Table 2.1 run's evaluators: the test NLL, samples and (latent models) reconstructions."""
  return ("test_likelihood", "likelihood_samples") + (("reconstructions",) if has_latent else ())


def eval_config(has_latent: bool, iwae_samples: int, iwae_chunk: int,
                figure_examples: int) -> dict:
  """The `eval` section shared by the MNIST and CIFAR-10 likelihood presets."""
  return dict(evaluators=table_evaluators(has_latent), strict=False, split="test",
              num_test_examples=0, batch_size=100, iwae_samples=iwae_samples,
              iwae_chunk=iwae_chunk, figure_examples=figure_examples,
              latent_train_examples=50_000, latent_knn_k=5, ood_dataset="")


def likelihood_optimizer_config() -> ml_collections.ConfigDict:
  """Adam at 1e-3 (the authors' script), plus `ema_decay`: with a value in (0, 1) the task also
  keeps an exponential moving average of the params, and every evaluator scores, samples and
  encodes with it (tasks/likelihood.py); 0 (the thesis' setting) turns it off."""
  config = optimizers.optimizer_config("adam", learning_rate=1e-3)
  config.ema_decay = 0.0
  return config


def likelihood_mnist_config(model: str = "gated_pixelvae", dataset: str = "mnist",
                            **model_overrides) -> ml_collections.ConfigDict:
  """A full-length (GPU) run of `model` on dynamically binarized `dataset`."""
  if model not in MODELS:
    raise ValueError(f"unknown Table 2.1 model {model!r}; known: {MODELS}")
  model_cfg = models.image_config(model, **model_overrides)
  has_latent, _ = models.image_model_traits(model_cfg)
  return ml_collections.ConfigDict(dict(
      task="likelihood",
      data=dict(name=dataset, data_dir="", batch_size=100, binarize=True,
                keep_classes=(), drop_classes=(), eval_seed=0, train_subset=0, subset_seed=0),
      model=model_cfg,
      objective=dict(name="negative_elbo" if has_latent else "nll",
                     kl_warmup_steps=10_000 if has_latent else 0),
      optimizer=likelihood_optimizer_config(),
      train=dict(num_steps=FULL_NUM_STEPS, log_every=500, eval_every=0,
                 checkpoint_every=10_000, keep_checkpoints=2,
                 time_budget_s=0.0, seed=0, progress_bar=True),
      eval=eval_config(has_latent, iwae_samples=5000, iwae_chunk=100, figure_examples=64),
  ))


def tiny_overrides(config) -> ml_collections.ConfigDict:
  """Shrinks `config` in place to a seconds-long smoke run (tests and CPU sanity checks)."""
  config.model.channels = 4
  config.model.num_ar_layers = min(config.model.num_ar_layers, 2) if config.model.num_ar_layers else 0
  if config.model.latent_dim:
    config.model.latent_dim = 2
  config.data.batch_size = 8
  config.objective.kl_warmup_steps = min(config.objective.kl_warmup_steps, 2)
  config.train.update(num_steps=3, log_every=1, checkpoint_every=3, progress_bar=False)
  config.eval.update(num_test_examples=16, batch_size=8, iwae_samples=4, iwae_chunk=2,
                     figure_examples=4, latent_train_examples=64)
  return config
