"""Figure 2.4: PixelVAE (NLL bound, KL/reconstruction split) and PixelCNN (exact NLL) with 0..N
autoregressive layers on dynamically binarized MNIST; writes figures/nll_vs_layers.png and
table.md. Each sub-run uses the Table 2.1 training preset (a GPU job at full length); shorten
with e.g. `--config.train.num_steps=2000 --config.eval.iwae_samples=0` on a CPU.
"""

from gen_models.presets import likelihood_mnist, variants

VARIANTS = {"": "PixelVAE and PixelCNN NLL vs 0..20 autoregressive layers"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  config = likelihood_mnist.likelihood_mnist_config("pixelvae")
  config.eval.evaluators = ("test_likelihood",)  # the figure and table need the NLLs only
  config.protocol = dict(name="pixelcnn_layers_sweep", families=("pixelvae", "pixelcnn"),
                         layers=(0, 1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20),
                         first_kernel_size=5)
  return config
