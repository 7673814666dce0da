"""Figure 2.5: a VAE and a PixelVAE with a 2-D latent on binarized MNIST; the test set in each
latent space coloured by digit (figures/latent2d.png) and the K-nearest-neighbour test error of
each (table.md; thesis: 22.9% VAE vs 7.2% PixelVAE). Training uses the Table 2.1 preset (a GPU
job at full length); on a CPU shorten with e.g. `--config.train.num_steps=3000`.
"""

from gen_models.presets import likelihood_mnist, variants

VARIANTS = {"": "VAE vs PixelVAE with a 2-D latent on binarized MNIST"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  config = likelihood_mnist.likelihood_mnist_config("pixelvae", latent_dim=2)
  config.eval.evaluators = ("test_likelihood", "latents")
  config.eval.iwae_samples = 0  # the bound is reported; the figure is about the latents
  config.eval.latent_train_examples = 50_000
  config.eval.latent_knn_k = 5
  config.protocol = dict(name="latent2d", families=("vae", "pixelvae"), pixelvae_layers=3)
  return config
