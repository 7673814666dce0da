"""PixelCNN (Table 2.1: 81.30, van den Oord et al.) on dynamically binarized MNIST.

Defaults are a full-length GPU run: Adam 1e-3, batch 100, 200k steps, test NLL by IWAE with
k = 5000 (latent models) or exactly (PixelCNNs) on all 10,000 test images; see
gen_models/presets/likelihood_mnist.py. Variants: `:fashion_mnist` trains on Fashion-MNIST.
CPU budget used for results: 100 steps (0.2 epoch) with the defaults, exact NLL on the first
500 test images: 103.9 nats (2-core shared CPU, 0.08-0.12 steps/s); this only checks the
pipeline, Table 2.1 (81.30) needs the full GPU run.
"""

from gen_models.presets import likelihood_mnist


def get_config(arg: str = ""):
  return likelihood_mnist.likelihood_mnist_config("pixelcnn", dataset=arg or "mnist")
