"""Cross-data-set OOD detection: train on binarized Fashion-MNIST, detect MNIST test digits as
out-of-distribution (the benchmark where later work found likelihoods far below chance and
complexity-corrected scores near 0.99 AUROC). Variants: `:pixelcnn` (default), `:vae`,
`:pixelvae`, `:gated_pixelcnn`. Writes DIR/table.md: AUROC, AUPR, FPR95 for the likelihood
(ELBO/IWAE or exact) and its input-complexity-corrected version. Training uses the Table 2.1
preset (a GPU job at full length); on a CPU shorten with --config.train.num_steps.
"""

from gen_models.presets import likelihood_mnist, variants

VARIANTS = {"": "PixelCNN (= :pixelcnn)", "pixelcnn": "PixelCNN (exact likelihood)",
            "vae": "convolutional VAE (ELBO/IWAE)", "pixelvae": "PixelVAE (ELBO/IWAE)",
            "gated_pixelcnn": "gated PixelCNN (exact likelihood)"}


def get_config(arg: str = ""):
  variant = variants.check_variant(arg, VARIANTS, __file__) or "pixelcnn"
  config = likelihood_mnist.likelihood_mnist_config(variant, dataset="fashion_mnist")
  config.eval.evaluators = ("test_likelihood", "cross_dataset_scores")
  config.eval.ood_dataset = "mnist"
  config.protocol = dict(name="ood_cross_dataset", in_distribution="Fashion-MNIST",
                         out_of_distribution="MNIST",
                         log_likelihood_scores=("elbo", "iwae", "exact"))
  return config
