"""Figure 3.2 (thesis section 3.5.1): seven GAN architectures (the DCGAN baseline, G without BN
and with a constant filter count, a 4 x 512 ReLU MLP G, no normalization anywhere, gated
multiplicative nonlinearities, tanh nonlinearities, deep ResNet G and D) x four objectives
(WGAN-GP, WGAN with clipping, DCGAN, LSGAN) with appendix B.2's optimizers, on CIFAR-10 at 32x32
(the thesis used LSUN bedrooms at 64x64: variant `:image_folder` with
`--config.data.path=DIR` trains on any folder of images at 64x64, see data/image_folder.py for
how to get LSUN there). 28 sub-runs into
DIR/<objective>_<architecture>/; DIR/figures/architecture_zoo.png and DIR/table.md (offline
classifier score per cell). Presets: gen_models/presets/gan_zoo.py.

Sizes live in the protocol section: --config.protocol.width (DCGAN and ResNet filters, 64),
.depth (ResNet main-path layers, 101), .mlp_width / .mlp_depth (512 / 4), .latent_dim (128);
--config.protocol.architectures / .objectives pick a subset. 200k generator steps per cell is
the thesis' budget (a GPU job). On a CPU pass e.g. --config.protocol.width=16
--config.protocol.depth=10 --config.protocol.mlp_width=128 --config.train.num_steps=2000
--config.train.eval_every=0, and state that budget. The offline classifier score (evaluator
classifier_scores) needs the exported classifier (gen_models/evaluation/offline_score.py);
without it the evaluator is skipped with a warning and the table says "not computed".
"""

from gen_models.presets import gan_zoo, variants

VARIANTS = {"": "7 architectures x 4 objectives on CIFAR-10 at 32x32",
            "image_folder": "the same on any image folder at 64x64 (--config.data.path=DIR)"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  return gan_zoo.gan_zoo_config(arg or "cifar10")  # "image_folder": see the docstring
