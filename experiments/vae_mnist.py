"""Convolutional VAE (Table 2.1: <= 87.41) on dynamically binarized MNIST.

Defaults are a full-length GPU run: Adam 1e-3, batch 100, 200k steps, test NLL by IWAE with
k = 5000 (latent models) or exactly (PixelCNNs) on all 10,000 test images; see
gen_models/presets/likelihood_mnist.py. Variants: `:fashion_mnist` trains on Fashion-MNIST.
CPU budget used for results: 500 steps (1 epoch) with the defaults, evaluated on the first 500
test images with k = 50: test NLL <= 201.8 (ELBO), ~190.3 (IWAE), KL 105.4; the KL weight
was still 0.05 of its 10k-step warm-up, so this only checks the pipeline (2-core shared CPU,
0.2-0.4 steps/s; Table 2.1 needs the full GPU run).
"""

from gen_models.presets import likelihood_mnist


def get_config(arg: str = ""):
  return likelihood_mnist.likelihood_mnist_config("vae", dataset=arg or "mnist")
