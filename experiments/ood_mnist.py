"""Table 4.1: leave-one-digit-out OOD detection on dynamically binarized MNIST (thesis 4.2-4.3).

Variants: `experiments/ood_mnist.py:vae`, `:pixelcnn`, `:pixelvae` (the Chapter 2 models, on
binarized digits; default `vae`) and `:dcgan` (grey-level digits, the discriminator's output as
the normality score; gen_models/presets/gan_mnist.py). Ten trainings, one per held-out digit, into DIR/heldout_<c>/; each scores the whole test
set (scores.npz), and the reducer writes DIR/table.md with skew, AUPR (average precision),
AUROC and FPR95 per digit and score, plus the input-complexity-corrected scores.
Training length is the Table 2.1 preset (a GPU job); on a CPU pass e.g.
`--config.train.num_steps=2000 --config.eval.iwae_samples=100` and state that budget. The
likelihood sub-runs call the `test_likelihood` evaluator only (add `likelihood_samples` to
`eval.evaluators` for sample grids).
"""

from gen_models.presets import gan_mnist, likelihood_mnist, variants

VARIANTS = {"": "the convolutional VAE (= :vae)",
            "vae": "convolutional VAE (Table 2.1 preset), binarized digits",
            "pixelcnn": "PixelCNN (Table 2.1 preset), binarized digits",
            "pixelvae": "PixelVAE (Table 2.1 preset), binarized digits",
            "dcgan": "DCGAN on grey-level digits, the discriminator's output as the score"}


def get_config(arg: str = ""):
  variant = variants.check_variant(arg, VARIANTS, __file__) or "vae"
  if variant == "dcgan":
    config = gan_mnist.dcgan_mnist_config()
  else:
    config = likelihood_mnist.likelihood_mnist_config(variant)
    config.eval.evaluators = ("test_likelihood",)  # writes each sub-run's scores.npz
  config.protocol = dict(name="ood_leave_one_class_out", held_out_classes=tuple(range(10)),
                         class_names=tuple(str(c) for c in range(10)),
                         log_likelihood_scores=("elbo", "iwae", "exact"))
  return config
