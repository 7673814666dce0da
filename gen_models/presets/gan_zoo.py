"""Config presets for the architecture robustness zoo of thesis section 3.5.1 (Figure 3.2): seven
generator/critic architectures, each trained with the four GAN objectives of appendix B.2.

Architectures (`ARCHITECTURES`), all at 32x32 from a `latent_dim` Gaussian z:
- dcgan: the baseline, DCGAN G (batch norm, ReLU, 4w-2w-w filters) and D (leaky ReLU);
- no_bn_const_filters: G without batch norm and with w filters in every layer;
- mlp_generator: G a `mlp_depth`-layer `mlp_width`-wide ReLU MLP (4 x 512 in the thesis), tanh;
- no_norm: no normalization in G or D;
- gated: every hidden nonlinearity tanh(a) * sigmoid(b) (G and D);
- tanh: every hidden nonlinearity tanh (G and D);
- resnet_deep: ResNet G and D of `depth` main-path layers (101 in the thesis; models/resnet_gan.py).
The critic's normalization follows the objective (section 3.5.1 and 3.4): batch norm as in
Radford et al. for WGAN with clipping, DCGAN and LSGAN, layer norm in its place for WGAN-GP;
`no_norm` has none for every objective. The ResNet critic uses the same rule.

Optimizers (appendix B.2, constant rates): WGAN-GP Adam(1e-4, b1 .5, b2 .9), n_critic 5, lambda
10; WGAN with clipping RMSProp(5e-5), n_critic 5, c 0.01; DCGAN Adam(2e-4, b1 .5), LSGAN
RMSProp(1e-4), both n_critic 1.
"""

import ml_collections

from gen_models.presets import gan_cifar, gan_objectives, gan_toy

ARCHITECTURES = ("dcgan", "no_bn_const_filters", "mlp_generator", "no_norm", "gated", "tanh",
                 "resnet_deep")
ARCHITECTURE_LABELS = {
    "dcgan": "DCGAN G and D", "no_bn_const_filters": "G: no BN, const. filter count",
    "mlp_generator": "G: ReLU MLP", "no_norm": "no normalization in G or D",
    "gated": "gated multiplicative nonlinearities", "tanh": "tanh nonlinearities",
    "resnet_deep": "deep ResNet G and D"}
OBJECTIVES = gan_objectives.OBJECTIVES


def critic_norm(objective: str) -> str:
  """The normalized critics' norm under `objective`: never batch norm with the penalty."""
  return "layer_norm" if objective == "wgan_gp" else "batch_norm"


def architecture_models(architecture: str, objective: str, sizes) -> ml_collections.ConfigDict:
  """{'generator', 'critic'} model configs of `architecture` trained with `objective`.

  sizes: width, depth, mlp_width, mlp_depth, latent_dim, image_size (the protocol section).
  """
  if architecture not in ARCHITECTURES:
    raise ValueError(f"unknown architecture {architecture!r}; known: {ARCHITECTURES}")
  if objective not in OBJECTIVES:
    raise ValueError(f"unknown objective {objective!r}; known: {OBJECTIVES}")
  w, size, latent = sizes.width, sizes.image_size, sizes.latent_dim
  norm = "none" if architecture == "no_norm" else critic_norm(objective)
  activation = architecture if architecture in ("gated", "tanh") else None
  generator = gan_cifar.dcgan_generator_config(width=w, image_size=size, latent_dim=latent)
  generator.update(activation=activation or "relu", constant_width=False)
  critic = gan_cifar.dcgan_critic_config(width=w, norm=norm)
  critic.activation = activation or "leaky_relu"
  if architecture == "no_bn_const_filters":
    generator.update(norm="none", constant_width=True)
  elif architecture == "no_norm":
    generator.norm = "none"
  elif architecture == "mlp_generator":
    generator = gan_toy.mlp_config(depth=sizes.mlp_depth, width=sizes.mlp_width,
                                   latent_dim=latent, image_size=size, output_activation="tanh")
  elif architecture == "resnet_deep":
    generator = gan_cifar.resnet_config(width=w, latent_dim=latent, image_size=size,
                                        depth=sizes.depth)
    critic = gan_cifar.resnet_config(width=w, norm=norm, depth=sizes.depth)
  return ml_collections.ConfigDict(dict(num_classes=0, generator=generator, critic=critic))


def cell_config(base, architecture: str, objective: str, sizes) -> ml_collections.ConfigDict:
  """One cell of the zoo: `base` (task, data, train, eval) with its model, objective and
  optimizers."""
  config = ml_collections.ConfigDict(base.to_dict())
  config.model = architecture_models(architecture, objective, sizes)
  config.objective = gan_objectives.objective_config(objective)  # lambda 10, c 0.01
  config.optimizer = ml_collections.ConfigDict()
  gan_objectives.set_objective(config, objective)  # appendix B.2 optimizers, thesis n_critic
  return config


def gan_zoo_config(dataset: str = "cifar10") -> ml_collections.ConfigDict:
  """The zoo's shared settings (batch 64, 200k generator steps as in section 3.5.1, sample
  grids every 20k steps) and its protocol section with the sizes: DCGAN width 64, MLP 4 x 512,
  ResNet depth 101 and width 64, latent 128.

  dataset 'cifar10' (32x32, offline classifier score per cell) or 'image_folder': any folder of
  images (`--config.data.path=DIR`), e.g. LSUN bedrooms as in the thesis, at 64x64
  (`data.image_size` and `protocol.image_size` together); no sample scores, since their
  reference statistics are CIFAR-10's.
  """
  if dataset == "cifar10":
    data = dict(name="cifar10", data_dir="", batch_size=64, keep_classes=(), drop_classes=())
    image_size, scores = 32, gan_cifar.IMAGE_SCORES
  elif dataset == "image_folder":
    data = dict(name="image_folder", path="", image_size=64, max_images=0, batch_size=64)
    image_size, scores = 64, ()
  else:
    raise ValueError(f"the architecture zoo preset knows data sets 'cifar10' and 'image_folder', "
                     f"got {dataset!r}")
  return ml_collections.ConfigDict(dict(
      task="gan",
      data=data,
      # unroll_critic: XLA:CPU runs convolutions inside lax.scan slowly (BUILD_NOTES.md).
      train=dict(num_steps=200_000, log_every=100, eval_every=20_000, checkpoint_every=2000,
                 keep_checkpoints=2,
                 time_budget_s=0.0, seed=0, progress_bar=True, unroll_critic=True),
      eval=gan_cifar.image_eval_config(("sample_grid", "gan_losses", *scores)),
      protocol=dict(name="architecture_zoo", architectures=ARCHITECTURES, objectives=OBJECTIVES,
                    width=64, depth=101, mlp_width=512, mlp_depth=4, latent_dim=128,
                    image_size=image_size, figure_samples_per_side=4),
  ))
