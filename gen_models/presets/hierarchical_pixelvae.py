"""Config presets for the hierarchical PixelVAE (thesis sections 2.4.2-2.4.3, Table 2.2, Figures
2.6, 2.7, A.1; the appendix "LSUN bedrooms and 64x64 ImageNet").

Training follows the appendix: Adam with learning rate 1e-3, batch size 48, 400k iterations.
The KL weight ramps 0 -> 1 over the first `objective.kl_warmup_steps` (5k, the order of the
authors' ALPHA1/ALPHA2_ITERS; the logged `nelbo` is always the true bound). Evaluation: the
one-sample ELBO with its per-level KL split and the IWAE bound with k = 100 (a 32x32x3
PixelCNN decoder pass per sample; the thesis does not state k for these data sets), bits/dim.

Data: CIFAR-10 (`cifar10`, the offline stand-in for 32x32 LSUN bedrooms: the LSUN data is not
on this machine), any image folder at 32 or 64 (`image_folder`: LSUN bedrooms or ImageNet
exported to files; a folder has one split, so evaluation scores its first images), or a TFDS
image data set (`tfds_images`: `downsampled_imagenet/64x64`, `lsun/bedroom`, ...).

Models: 32x32 as the authors' '32px_small' settings (models/hierarchical_pixelvae.py
`hierarchical_config`); 64x64 as their '64px_big' (the appendix table: bottom widths
192/256/512, z1 16x16x64, z2 512, pixel PixelCNN 384 wide, latent PixelCNN 512 wide; our pixel
width 384 splits into R/G/B groups of 128).
"""

import ml_collections

from gen_models import models
from gen_models.presets import likelihood_mnist
from gen_models.training import optimizers

BATCH_SIZE = 48
NUM_STEPS = 400_000
# Section 2.4.2's models: the two-level PixelVAE and its three ablations.
ABLATIONS = {
    "two_level": {},
    "one_level": dict(num_levels=1),
    "gaussian_latent_decoders": dict(latent_decoder="gaussian"),
    "two_level_vae": dict(pixel_decoder="factorized", latent_decoder="gaussian"),
}
ABLATION_LABELS = {
    "two_level": "two-level PixelVAE",
    "one_level": "one-level PixelVAE",
    "gaussian_latent_decoders": "two-level PixelVAE, Gaussian (non-autoregressive) p(z1|z2)",
    "two_level_vae": "two-level VAE (factorized pixels, Gaussian p(z1|z2))",
}
MODEL_64 = dict(res_channels=(192, 256, 512), z1_channels=64,
                z2_dim=512, top_channels=512, pixel_channels=384, latent_channels=512)
FIGURE_EVALUATORS = ("likelihood_samples", "top_reconstructions", "level_variations")


def data_config(dataset: str, image_size: int) -> dict:
  """The `data` section of data set `dataset` ('cifar10', 'image_folder' or 'tfds_images')."""
  if dataset == "cifar10":
    if image_size != 32:
      raise ValueError("CIFAR-10 images are 32x32")
    return dict(name="cifar10", data_dir="", batch_size=BATCH_SIZE, binarize=False,
                keep_classes=(), drop_classes=())
  if dataset == "image_folder":
    return dict(name="image_folder", path="", image_size=image_size, max_images=0,
                batch_size=BATCH_SIZE)
  if dataset == "tfds_images":
    return dict(name="tfds_images", tfds_name="downsampled_imagenet/64x64", split="train",
                data_dir="", image_size=image_size, max_images=0, max_eval_images=10_000,
                batch_size=BATCH_SIZE)
  raise ValueError(f"unknown data set {dataset!r}; known: cifar10, image_folder, tfds_images")


def eval_split(dataset: str) -> str:
  return {"cifar10": "test", "image_folder": "train", "tfds_images": "validation"}[dataset]


def hierarchical_pixelvae_config(dataset: str = "cifar10", image_size: int = 32,
                                 ablation: str = "two_level") -> ml_collections.ConfigDict:
  """A full-length (GPU) run of the hierarchical PixelVAE (or one of its section 2.4.2
  ablations) on `dataset` at `image_size` (32 or 64)."""
  if ablation not in ABLATIONS:
    raise ValueError(f"unknown ablation {ablation!r}; known: {sorted(ABLATIONS)}")
  if image_size not in (32, 64):
    raise ValueError(f"image_size must be 32 or 64, got {image_size}")
  sizes = MODEL_64 if image_size == 64 else {}
  model = models.hierarchical_config(**sizes, **ABLATIONS[ablation])
  ecfg = likelihood_mnist.eval_config(True, iwae_samples=100, iwae_chunk=10, figure_examples=16)
  ecfg.update(evaluators=("test_likelihood", "train_likelihood") + FIGURE_EVALUATORS,
              split=eval_split(dataset),
              num_test_examples=10_000, batch_size=50, figure_columns=5)
  return ml_collections.ConfigDict(dict(
      task="likelihood",
      data=data_config(dataset, image_size),
      model=model,
      objective=dict(name="negative_elbo", kl_warmup_steps=5_000),
      optimizer=optimizers.optimizer_config("adam", learning_rate=1e-3),
      train=dict(num_steps=NUM_STEPS, log_every=500, eval_every=0, checkpoint_every=10_000,
                 keep_checkpoints=2, time_budget_s=0.0, seed=0, progress_bar=True),
      eval=ecfg,
  ))


# The CPU budget (a 2-core machine, hours not days): about a quarter of the '32px_small' widths,
# one residual block per stage, batch 32; ~1.3 s per step on one core of this project's CPU.
CPU_MODEL = dict(res_channels=(32, 64, 128), top_channels=256, z1_channels=32, z2_dim=128,
                 blocks_per_stage=1, pixel_channels=48, latent_channels=64)


def cpu_budget(config, num_steps: int = 6_000) -> ml_collections.ConfigDict:
  """Shrinks a 32x32 `config` in place to a CPU run of hours: the narrower CPU_MODEL, batch 32,
  `num_steps`, a KL warm-up of a tenth of them, and every 1,000 steps (and at the end) the
  evaluators on the first 1,000 test images with IWAE k = 5 (about a minute on one core)."""
  if len(config.model.res_channels) != 3:
    raise ValueError("the CPU budget is for 32x32 models (three encoder stages)")
  config.model.update(CPU_MODEL)
  config.data.batch_size = 32
  config.objective.kl_warmup_steps = max(1, num_steps // 10)
  config.train.update(num_steps=num_steps, log_every=50, eval_every=1_000, checkpoint_every=250)
  config.eval.update(num_test_examples=1_000, iwae_samples=5, iwae_chunk=5)
  return config


def tiny_overrides(config, figures: bool = False) -> ml_collections.ConfigDict:
  """Shrinks `config` in place to a seconds-long smoke run (tests, CPU sanity checks): tiny
  widths, 2 steps, 8 test images, k = 2; figures only when asked (sampling a 32x32x3 image
  costs 3,072 sequential steps)."""
  stages = len(config.model.res_channels)
  config.model.update(res_channels=(8,) * stages, top_channels=8, z1_channels=2, z2_dim=4,
                      blocks_per_stage=0, pixel_layers=2, pixel_channels=6, latent_layers=2,
                      latent_channels=4, num_mixtures=2)
  config.data.batch_size = 4
  config.objective.kl_warmup_steps = 2
  config.train.update(num_steps=2, log_every=1, checkpoint_every=2, progress_bar=False)
  config.eval.update(num_test_examples=8, batch_size=4, iwae_samples=2, iwae_chunk=1,
                     figure_examples=2, figure_columns=2)
  if not figures:
    config.eval.evaluators = ("test_likelihood",)
  return config
