"""WGAN-GP on 8gaussians: the critic's learning rate x two seeds (4 runs), one table row each.

    python launch/main.py --config=experiments/sweeps/toy_gan_lr_seed.py --workdir=runs/lr_seed \
        [--launcher=local --jobs=4 | --launcher=slurm --slurm_partition=gpu --slurm_time=30]

Sub-runs lr1e-4_seed0, lr1e-4_seed1, lr2e-4_seed0, lr2e-4_seed1; table.md lists each point's
overrides and final sample-quality measures. Overrides of the base (`--config.train.num_steps=`)
apply to every point.
"""

from gen_models.presets import variants
from gen_models.protocols import sweep

VARIANTS = {"": "critic learning rate 1e-4 / 2e-4 x seeds 0 / 1 on the 8gaussians WGAN-GP"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  return sweep.sweep_config(
      "experiments/wgan_gp_toy.py",
      product={"optimizer.critic.learning_rate": (1e-4, 2e-4), "train.seed": (0, 1)},
      metrics=("modes_covered", "high_quality_fraction", "mmd_rbf", "sliced_w1"))
