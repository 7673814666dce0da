"""Gated PixelVAE without upsampling (Table 2.1: ~78.96, <= 79.58) on dynamically binarized MNIST.

Defaults are a full-length GPU run: Adam 1e-3, batch 100, 200k steps, test NLL by IWAE with
k = 5000 (latent models) or exactly (PixelCNNs) on all 10,000 test images; see
gen_models/presets/likelihood_mnist.py. Variants: `:fashion_mnist` trains on Fashion-MNIST.
CPU budget: CPU_BUDGET
"""

from gen_models.presets import likelihood_mnist


def get_config(arg: str = ""):
  return likelihood_mnist.likelihood_mnist_config("gated_pixelvae_noup", dataset=arg or "mnist")
