"""Character-level WGAN-GP language model on One Billion Word sentences (thesis section 3.5.4,
table 3.1): 1-D CNN generator emitting 32 softmax character vectors (no sampling), 1-D CNN
critic, Adam(1e-4, b1=0.5, b2=0.9), batch 64, n_critic 10, lambda 10, 200k generator steps
(a GPU-scale run; for a CPU trial lower train.num_steps and model.generator/critic.width).
Samples are decoded by argmax into samples.txt in the run directory.
"""

from gen_models.presets import gan_language, variants

VARIANTS = {"": "1-D CNN generator and critic on One Billion Word sentences"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  return gan_language.gan_language_config()
