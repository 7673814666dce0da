"""WGAN-GP on a 2-D toy set (thesis section 3.3; the WGAN-GP paper's toy setup).

Variants: `experiments/wgan_gp_toy.py:DATASET[,OBJECTIVE]`, e.g. `:25gaussians` or
`:swissroll,wgan_clip`. Default: 8gaussians with WGAN-GP.
"""

from gen_models.data import toy
from gen_models.objectives import gan
from gen_models.presets import gan_toy, variants

PATTERN = ":DATASET[,OBJECTIVE]"
VARIANTS = {"": "8gaussians with WGAN-GP",
            "DATASET[,OBJECTIVE]": (f"DATASET one of {', '.join(toy.TOY_DATASETS)}; OBJECTIVE one "
                                    f"of {', '.join(gan.OBJECTIVES)} (default wgan_gp)")}


def get_config(arg: str = ""):
  dataset, _, objective = (arg or "8gaussians").partition(",")
  objective = objective or "wgan_gp"
  variants.check_variant(dataset, toy.TOY_DATASETS, __file__, part="DATASET", pattern=PATTERN)
  variants.check_variant(objective, gan.OBJECTIVES, __file__, part="OBJECTIVE", pattern=PATTERN)
  return gan_toy.gan_toy_config(dataset, objective)
