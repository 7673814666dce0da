"""The cached autoregressive samplers' speed-up over the naive ones (a job, not a training):
a Gated PixelCNN (the benchmark of benchmarks/sampling_speed.py: 64 samples of 28x28 binary
pixels, 12 layers of 32 channels) and, with `job.hierarchical`, a small two-level hierarchical
PixelVAE sampled top-down (benchmarks/hierarchical_sampling_speed.py: 4 samples of 32x32x3).
Writes results.json: wall times, compile times, speed-up and whether both samplers drew the
same samples (gen_models/evaluation/sampling_speed.py). Random weights: the cost of sampling
does not depend on their values.

    python launch/main.py --config=experiments/sampling_speed.py --workdir=DIR
"""

import ml_collections

from gen_models.presets import hierarchical_pixelvae as hierarchical_preset
from gen_models.presets import variants

VARIANTS = {"": "the benchmark's sizes (the naive sampler alone takes ~15 min on 2 CPU cores)"}


def hierarchical_benchmark_model() -> ml_collections.ConfigDict:
  """The benchmark's small two-level model: the smoke-size hierarchical PixelVAE with 4-layer
  latent (16 wide) and pixel (24 wide) PixelCNNs."""
  config = hierarchical_preset.tiny_overrides(
      hierarchical_preset.hierarchical_pixelvae_config("cifar10", 32))
  config.model.update(pixel_channels=24, latent_channels=16, pixel_layers=4, latent_layers=4)
  return config.model


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  return ml_collections.ConfigDict(dict(
      job=dict(name="sampling_speed", num_samples=64, size=28, layers=12, channels=32,
               hierarchical=True, hierarchical_samples=4,
               hierarchical_model=hierarchical_benchmark_model()),
      train=dict(num_steps=0, time_budget_s=0.0, seed=0),
  ))
