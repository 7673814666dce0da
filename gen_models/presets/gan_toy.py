"""Config presets for the 2-D toy GAN experiments of Chapter 3 (section 3.3, Figure 3.1)."""

import ml_collections

from gen_models.training import optimizers


def objective_config(name: str) -> ml_collections.ConfigDict:
  """All GAN objective fields; n_critic defaults to the thesis' value for `name`."""
  return ml_collections.ConfigDict(dict(
      name=name, n_critic=optimizers.THESIS_N_CRITIC[name], gp_weight=10.0,
      gp_one_sided=False, clip=0.01, non_saturating=True))


def set_objective(config, name: str) -> None:
  """Switches `config` to objective `name` with the thesis' optimizers (appendix B.2)."""
  for field, value in objective_config(name).items():
    config.objective[field] = value
  for player in ("critic", "generator"):
    for field, value in optimizers.thesis_optimizer(name).items():
      config.optimizer[player][field] = value


def mlp_config(depth=3, width=512, activation="relu", norm="none", **extra):
  return ml_collections.ConfigDict(dict(name="mlp", depth=depth, width=width,
                                        activation=activation, norm=norm, **extra))


def gan_toy_config(dataset: str = "8gaussians", objective: str = "wgan_gp"):
  """The WGAN-GP paper's toy setup: 3x512 ReLU MLPs, batch 256, 2-D noise."""
  return ml_collections.ConfigDict(dict(
      task="gan",
      data=dict(name=dataset, data_dir="", batch_size=256),
      model=dict(generator=mlp_config(latent_dim=2), critic=mlp_config()),
      objective=objective_config(objective),
      optimizer=dict(critic=optimizers.thesis_optimizer(objective),
                     generator=optimizers.thesis_optimizer(objective)),
      train=dict(num_steps=4000, log_every=100, eval_every=0, checkpoint_every=1000,
                 keep_checkpoints=2, seed=0, progress_bar=True),
      eval=dict(num_samples=2500, mmd_samples=1000, mode_min_fraction=0.008,
                layer_grad_norms=False, weight_histogram=False, plot_limit=2.0,
                grid_size=128),
  ))
