"""WGAN-GP vs WGAN with clipping vs DCGAN vs LSGAN on the three toy sets, each with the thesis'
optimizer settings (appendix B.2); writes table.md of sample-quality measures."""

from gen_models.presets import gan_toy, variants

VARIANTS = {"": "4 objectives x 3 toy sets, table of sample-quality measures"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  config = gan_toy.gan_toy_config("8gaussians", "wgan_gp")
  config.protocol = dict(name="toy_gan_comparison",
                         objectives=("wgan_gp", "wgan_clip", "dcgan", "lsgan"),
                         datasets=("8gaussians", "25gaussians", "swissroll"))
  return config
