"""PixelVAE (Table 2.1: <= 80.64) on dynamically binarized MNIST.

Defaults are a full-length GPU run: Adam 1e-3, batch 100, 200k steps, test NLL by IWAE with
k = 5000 (latent models) or exactly (PixelCNNs) on all 10,000 test images; see
gen_models/presets/likelihood_mnist.py. Variants: `:fashion_mnist` trains on Fashion-MNIST.
CPU budget: no GPU was available to this session and the 2-core CPU was shared (full-size
models ran at 0.1-0.4 steps/s), so no Table 2.1 number was reproduced here; the config was
smoke-tested (tests/tasks/test_likelihood_task.py).
"""

from gen_models.presets import likelihood_mnist


def get_config(arg: str = ""):
  return likelihood_mnist.likelihood_mnist_config("pixelvae", dataset=arg or "mnist")
