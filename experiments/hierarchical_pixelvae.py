"""The hierarchical PixelVAE (thesis sections 2.3.1, 2.4.2, 2.4.3; Figures 2.6, 2.7, A.1;
Table 2.2's model): two stochastic levels (z2 1x1, z1 8x8 at 32x32), every decoder a
conditional PixelCNN, a 256-way softmax per RGB sub-pixel.

Variants (default `cifar10`):
- `:cifar10`      32x32 CIFAR-10, the offline stand-in for 32x32 LSUN bedrooms (section 2.4.2);
- `:cifar10_cpu`  the same shrunk to a CPU budget of about two core-hours (presets
                  `cpu_budget`: widths about a quarter, batch 32, 2.1 hours of training or 6k
                  steps; results/hierarchical_pixelvae_cifar10.md);
- `:image_folder` any folder of images, `--config.data.path=DIR`, at 32 (default) or 64
                  (`--config.data.image_size=64 --config.model.image_size=64` and the 64x64 sizes:
                  prefer `:imagenet64` with `--config.data.name=image_folder`); LSUN bedrooms
                  exported to files, for example;
- `:imagenet64`   64x64 ImageNet (section 2.4.3, Table 2.2) from TFDS
                  `downsampled_imagenet/64x64` when tensorflow-datasets is installed
                  (`pip install -e .[tfds]`), else an image folder (`--config.data.path=DIR`);
- `:one_level`, `:gaussian_latent_decoders`, `:two_level_vae`: section 2.4.2's ablations on
  CIFAR-10 (a single-level PixelVAE; Gaussian, non-autoregressive p(z1|z2); a two-level VAE
  with a factorized pixel output). experiments/hierarchical_pixelvae_ablation.py runs all four
  at an equal budget and writes the table.

Results (test_likelihood): test_nll_elbo / test_nll_iwae in nats and test_bpd_* in bits/dim,
test_kl_z1 and test_kl_z2 (nats per image); figures: samples.png (Figure 2.7),
top_reconstructions.png (Figure A.1), vary_top/vary_middle/vary_pixel.png (Figure 2.6).
The defaults are full-length GPU runs (400k steps at batch 48); on a CPU shrink them, e.g.
`--config.train.num_steps=2000 --config.eval.num_test_examples=500 --config.eval.iwae_samples=0`.
"""

from gen_models.data import tfds_images
from gen_models.presets import hierarchical_pixelvae as preset, variants

VARIANTS = {
    "": "the two-level PixelVAE on 32x32 CIFAR-10 (= :cifar10)",
    "cifar10": "two-level PixelVAE, 32x32 CIFAR-10 (offline stand-in for 32x32 LSUN bedrooms)",
    "cifar10_cpu": "the same at a CPU budget: narrower nets, batch 32, 2.1 hours of training",
    "image_folder": "two-level PixelVAE on a folder of images (data.path), 32 or 64",
    "imagenet64": "two-level PixelVAE, 64x64 ImageNet (TFDS, else an image folder)",
    "one_level": "ablation: one-level PixelVAE on CIFAR-10",
    "gaussian_latent_decoders": "ablation: non-autoregressive Gaussian p(z1|z2) on CIFAR-10",
    "two_level_vae": "ablation: two-level VAE, factorized pixel output, on CIFAR-10",
}
CPU_HOURS = 2.1  # of training wall-clock; pinned to one core, the two core-hours


def get_config(arg: str = ""):
  variant = variants.check_variant(arg, VARIANTS, __file__) or "cifar10"
  if variant == "image_folder":
    return preset.hierarchical_pixelvae_config("image_folder", 32)
  if variant == "imagenet64":
    dataset = "tfds_images" if tfds_images.tfds_available() else "image_folder"
    return preset.hierarchical_pixelvae_config(dataset, 64)
  if variant == "cifar10_cpu":
    config = preset.cpu_budget(preset.hierarchical_pixelvae_config("cifar10", 32))
    config.train.time_budget_s = CPU_HOURS * 3600  # or 6k steps, whichever comes first
    return config
  ablation = "two_level" if variant == "cifar10" else variant
  return preset.hierarchical_pixelvae_config("cifar10", 32, ablation)
