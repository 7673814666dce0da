"""Gated PixelVAE without upsampling (Table 2.1: ~78.96, <= 79.58) on dynamically binarized MNIST.

Full-length defaults (a GPU job) and settings: gen_models/presets/likelihood_mnist.py.
Variants: `:fashion_mnist` trains on Fashion-MNIST. Budgets of actual runs: results/.
"""

from gen_models.presets import likelihood_mnist, variants

VARIANTS = {"": "gated PixelVAE without upsampling on dynamically binarized MNIST",
            "fashion_mnist": "the same on binarized Fashion-MNIST"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  return likelihood_mnist.likelihood_mnist_config("gated_pixelvae_noup", dataset=arg or "mnist")
