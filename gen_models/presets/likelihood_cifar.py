"""Config presets for the CIFAR-10 likelihood models of Chapter 4 (Table 4.2).

The thesis names the models (IAF-VAE with two autoregressive inverse transforms, PixelCNN++,
PixelVAE) but gives no sizes or optimization settings for CIFAR-10, except that the IAF models
ran 50 epochs and reached ~3.5 bits/dim (section 4.3.2, footnote 4). Ours: Adam(1e-3), batch 64,
the model defaults of models/color.py; 50 epochs of the 45,000 training images of a
leave-one-class-out run for the VAEs, 100k steps (~140 epochs) for the autoregressive models,
a KL weight ramped over 10k steps for the PixelVAE (so its latent is used); evaluation on the
full test set with bits/dim, IWAE with k = 100 (k = 5000 as on MNIST would make the colour
PixelVAE's evaluation cost 5000 decoder passes per image).
"""

import ml_collections

from gen_models import models
from gen_models.presets import likelihood_mnist

MODELS = ("pixelcnnpp", "color_vae", "iaf_vae", "color_pixelvae")
BATCH_SIZE = 64
EPOCH_STEPS = 45_000 // BATCH_SIZE  # nine classes of 5,000 training images
NUM_STEPS = {"pixelcnnpp": 100_000, "color_vae": 50 * EPOCH_STEPS, "iaf_vae": 50 * EPOCH_STEPS,
             "color_pixelvae": 100_000}
KL_WARMUP_STEPS = {"color_pixelvae": 10_000}


def likelihood_cifar_config(model: str = "iaf_vae", **model_overrides) -> ml_collections.ConfigDict:
  """A full-length (GPU) run of colour model `model` on CIFAR-10 (8-bit pixels)."""
  if model not in MODELS:
    raise ValueError(f"unknown CIFAR-10 likelihood model {model!r}; known: {MODELS}")
  model_cfg = models.image_config(model, **model_overrides)
  has_latent, _ = models.image_model_traits(model_cfg)
  return ml_collections.ConfigDict(dict(
      task="likelihood",
      data=dict(name="cifar10", data_dir="", batch_size=BATCH_SIZE, binarize=False,
                keep_classes=(), drop_classes=()),
      model=model_cfg,
      objective=dict(name="negative_elbo" if has_latent else "nll",
                     kl_warmup_steps=KL_WARMUP_STEPS.get(model, 0)),
      optimizer=likelihood_mnist.likelihood_optimizer_config(),
      train=dict(num_steps=NUM_STEPS[model], log_every=500, eval_every=0,
                 checkpoint_every=5_000, keep_checkpoints=2,
                 time_budget_s=0.0, seed=0, progress_bar=True),
      eval=likelihood_mnist.eval_config(has_latent, iwae_samples=100, iwae_chunk=10,
                                        figure_examples=16),
  ))


def tiny_overrides(config) -> ml_collections.ConfigDict:
  """Shrinks `config` in place to a seconds-long smoke run (tests and CPU sanity checks): the
  MNIST shrink plus the colour models' own sizes; no figures (a 32x32 colour sample costs 1,024
  network passes)."""
  likelihood_mnist.tiny_overrides(config)
  config.model.update(num_mixtures=2, iaf_hidden=8)
  config.eval.evaluators = tuple(n for n in config.eval.evaluators
                                 if n not in likelihood_mnist.FIGURE_EVALUATORS)
  return config
