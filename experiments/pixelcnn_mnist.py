"""PixelCNN (Table 2.1: 81.30, van den Oord et al.) on dynamically binarized MNIST.

Full-length defaults (a GPU job) and settings: gen_models/presets/likelihood_mnist.py.
Variants: `:fashion_mnist` trains on Fashion-MNIST. Budgets of actual runs: results/.
"""

from gen_models.presets import likelihood_mnist, variants

VARIANTS = {"": "PixelCNN on dynamically binarized MNIST",
            "fashion_mnist": "the same on binarized Fashion-MNIST"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  return likelihood_mnist.likelihood_mnist_config("pixelcnn", dataset=arg or "mnist")
