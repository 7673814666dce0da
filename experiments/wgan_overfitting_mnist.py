"""Figure 3.7b (thesis section 3.5.5): large unregularized WGANs, with the gradient penalty and
with weight clipping (appendix B.2 settings), on a random 1,000-digit subset of grey-level MNIST.
Every eval_every generator steps each run logs the critic's negative loss (without penalty) on
the training subset and on 1,000 held-out validation digits, against the same samples; the
reducer writes DIR/figures/overfitting_curves.png (the two curves per method side by side) and
DIR/table.md. Preset: gen_models/presets/gan_mnist.py (wgan_overfitting_mnist_config).

Subset size and seed: --config.data.train_subset / .subset_seed. 100k generator steps is a GPU
job; on a CPU pass e.g. --config.model.generator.width=16 --config.model.critic.width=16
--config.train.num_steps=3000 --config.train.eval_every=100, and state that budget.
"""

from gen_models.presets import gan_mnist, variants

VARIANTS = {"": "WGAN-GP and WGAN-clip on 1,000 MNIST digits, train vs validation critic loss"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  config = gan_mnist.wgan_overfitting_mnist_config()
  config.protocol = dict(name="wgan_overfitting", methods=("wgan_gp", "wgan_clip"))
  return config
