"""WGAN-GP on CIFAR-10 with the appendix B.3 ResNets (thesis section 3.5.3, Figure 3.4 left).

Adam(2e-4, b1=0, b2=0.9) decayed linearly to 0 over 100k generator steps, batch 64,
n_critic 5, lambda 10. Variant `:dcgan` swaps in the DCGAN generator and discriminator.
"""

from gen_models.presets import gan_cifar, variants

VARIANTS = {"": "appendix B.3 ResNet generator and critic",
            "dcgan": "DCGAN generator and discriminator"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  return gan_cifar.gan_cifar_config(conditional=False, architecture=arg or "resnet")
