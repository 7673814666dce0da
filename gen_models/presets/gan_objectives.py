"""The thesis' GAN objectives with their optimizers and n_critic: the one table every GAN config,
protocol and test reads (appendix B.2, Algorithm 1, Figure 3.3)."""

import ml_collections

from gen_models.objectives import gan
from gen_models.training import optimizers

# Appendix B.2 and Algorithm 1. RMSProp uses PyTorch's default decay 0.99 (the original WGAN
# implementation was PyTorch); `decay` is a config value for anyone matching TF's 0.9.
THESIS_OPTIMIZERS = {
    "wgan_gp": dict(name="adam", learning_rate=1e-4, b1=0.5, b2=0.9),
    "wgan_clip": dict(name="rmsprop", learning_rate=5e-5),
    "dcgan": dict(name="adam", learning_rate=2e-4, b1=0.5, b2=0.999),
    "lsgan": dict(name="rmsprop", learning_rate=1e-4),
}
# n_critic: 5 for both WGANs (Algorithm 1 and Arjovsky et al.), 1 for DCGAN and LSGAN.
THESIS_N_CRITIC = {"wgan_gp": 5, "wgan_clip": 5, "dcgan": 1, "lsgan": 1}
OBJECTIVES = gan.OBJECTIVES  # the objectives' implementations (objectives/gan.py) are the list
LABELS = {"wgan_gp": "WGAN-GP", "wgan_clip": "WGAN (weight clipping)", "dcgan": "DCGAN",
          "lsgan": "LSGAN"}  # for tables and figures

# Figure 3.3's four CIFAR-10 methods: name -> (label, objective, optimizer fields). WGAN-GP with
# RMSProp uses the clipping run's optimizer and rate, to control for the optimizer.
FIGURE_3_3_METHODS = {
    "wgan_clip": ("WGAN (weight clipping), RMSProp", "wgan_clip",
                  dict(name="rmsprop", learning_rate=5e-5)),
    "wgan_gp_rmsprop": ("WGAN-GP, RMSProp", "wgan_gp", dict(name="rmsprop", learning_rate=5e-5)),
    "wgan_gp_adam": ("WGAN-GP, Adam", "wgan_gp",
                     dict(name="adam", learning_rate=2e-4, b1=0.0, b2=0.9)),
    "dcgan": ("DCGAN", "dcgan", dict(name="adam", learning_rate=2e-4, b1=0.5, b2=0.999)),
}


def check_objective(name: str) -> str:
  if name not in THESIS_N_CRITIC:
    raise ValueError(f"unknown GAN objective {name!r}; valid: {', '.join(OBJECTIVES)}")
  return name


def objective_config(name: str) -> ml_collections.ConfigDict:
  """All GAN objective fields (penalty weight 10, clip 0.01, no AC-GAN term); n_critic is the
  thesis' value for `name`."""
  return ml_collections.ConfigDict(dict(
      name=check_objective(name), n_critic=THESIS_N_CRITIC[name], gp_weight=10.0,
      gp_one_sided=False, clip=0.01, non_saturating=True, acgan_critic_weight=0.0,
      acgan_generator_weight=0.0))


def thesis_optimizer(objective: str) -> ml_collections.ConfigDict:
  """Appendix B.2's optimizer for `objective` (constant learning rate)."""
  return optimizers.optimizer_config(**THESIS_OPTIMIZERS[check_objective(objective)])


def set_objective(config, name: str, optimizer=None) -> None:
  """Switches `config` (in place) to objective `name` with the thesis' n_critic and both players'
  optimizer set to `optimizer` (default: appendix B.2's for `name`); the objective's other
  settings (penalty weight, clip value, AC-GAN weights) are kept."""
  config.objective.name = check_objective(name)
  config.objective.n_critic = THESIS_N_CRITIC[name]
  for player in ("critic", "generator"):
    config.optimizer[player] = ml_collections.ConfigDict(
        (optimizer or thesis_optimizer(name)).to_dict())
