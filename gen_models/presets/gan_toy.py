"""Config presets for the 2-D toy GAN experiments of Chapter 3 (section 3.3, Figure 3.1)."""

import ml_collections

from gen_models.presets import gan_objectives


def toy_optimizer(objective: str) -> ml_collections.ConfigDict:
  """Appendix B.2's optimizer for `objective`, decayed linearly to 0 over the run.

  The decay (as in the thesis' CIFAR-10 setup) and WGAN-GP's 2e-4 instead of 1e-4 let a 2-core
  CPU reach sharp modes within the 5-minute budget (BUILD_NOTES.md has the measurements).
  """
  cfg = gan_objectives.thesis_optimizer(objective)
  cfg.linear_decay = True
  if objective == "wgan_gp":
    cfg.learning_rate = 2e-4
  return cfg


def set_objective(config, name: str) -> None:
  """Switches `config` to objective `name` with its toy optimizers and the thesis' n_critic;
  the objective's other settings (penalty weight, clip value) are kept."""
  gan_objectives.set_objective(config, name, toy_optimizer(name))


def mlp_config(depth=3, width=256, activation="relu", norm="none", **extra):
  return ml_collections.ConfigDict(dict(name="mlp", depth=depth, width=width,
                                        activation=activation, norm=norm, **extra))


# The WGAN-GP authors' toy script uses lambda = 0.1 ("smaller lambda seems to help for toy
# tasks"): with lambda = 10 a two-sided penalty can trap the critic in an inverted cone around a
# collapsed generator (flipping its slope costs lambda), see BUILD_NOTES.md.
TOY_GP_WEIGHT = 0.1


def gan_toy_config(dataset: str = "8gaussians", objective: str = "wgan_gp"):
  """The WGAN-GP authors' toy setup (3-hidden-layer ReLU MLPs, batch 256, 2-D noise,
  lambda = 0.1), with width 256 instead of 512 so 10k generator steps fit in 5 CPU minutes."""
  config = ml_collections.ConfigDict(dict(
      task="gan",
      data=dict(name=dataset, data_dir="", batch_size=256),
      # image_size 0: the generator emits points [B, 2], not images.
      model=dict(num_classes=0, generator=mlp_config(latent_dim=2, image_size=0,
                                                     output_activation="none"),
                 critic=mlp_config()),
      objective=gan_objectives.objective_config(objective),
      optimizer=dict(critic=toy_optimizer(objective), generator=toy_optimizer(objective)),
      train=dict(num_steps=10000, log_every=100, eval_every=0, checkpoint_every=2000,
                 keep_checkpoints=2,
                 time_budget_s=0.0, seed=0, progress_bar=True, unroll_critic=False),
      # toy_samples: generated (and as many real) points for the mode metrics and the value
      # estimates (toy_mode_metrics, critic_value_surface), the first mmd_samples of them for
      # the MMD; plot_limit / grid_size: the critic's value surface on a grid_size^2 grid over
      # [-plot_limit, plot_limit]^2 (toy_samples_figure, critic_value_surface).
      eval=dict(evaluators=("toy_samples_figure", "toy_mode_metrics"), strict=False,
                toy_samples=2500, mmd_samples=1000, mode_min_fraction=0.008, plot_limit=2.0,
                grid_size=128),
  ))
  config.objective.gp_weight = TOY_GP_WEIGHT
  return config
