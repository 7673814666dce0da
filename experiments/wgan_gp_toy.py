"""WGAN-GP on a 2-D toy set (thesis section 3.3; the WGAN-GP paper's toy setup).

Variants: `experiments/wgan_gp_toy.py:DATASET[,OBJECTIVE]`, e.g. `:25gaussians` or
`:swissroll,wgan_clip`. Default: 8gaussians with WGAN-GP.
"""

from gen_models.presets import gan_toy


def get_config(arg: str = ""):
  parts = [p for p in (arg or "").split(",") if p]
  dataset = parts[0] if parts else "8gaussians"
  objective = parts[1] if len(parts) > 1 else "wgan_gp"
  return gan_toy.gan_toy_config(dataset, objective)
