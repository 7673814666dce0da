"""WGAN-GP + AC-GAN on CIFAR-10 with the appendix B.3 ResNets (Figure 3.4, supervised score).

Class-conditional batch norm in the generator, a class head on the critic, the auxiliary
cross-entropy weighted 1 (critic, real labels) and 0.1 (generator, sampled labels).
"""

from gen_models.presets import gan_cifar, variants

VARIANTS = {"": "conditional B.3 ResNets with the AC-GAN class head"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  return gan_cifar.gan_cifar_config(conditional=True)
