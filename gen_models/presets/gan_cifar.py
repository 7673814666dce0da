"""Config presets for the CIFAR-10 image GANs of Chapter 3 (section 3.5, appendix B.3)."""

import ml_collections

from gen_models.presets import gan_objectives
from gen_models.training import optimizers

# The WGAN-GP authors' CIFAR-10 AC-GAN weights the auxiliary term 1 for the critic and 0.1 for
# the generator (relative to the Wasserstein terms).
ACGAN_CRITIC_WEIGHT = 1.0
ACGAN_GENERATOR_WEIGHT = 0.1


def resnet_config(width: int = 128, depth: int = 0, **extra) -> ml_collections.ConfigDict:
  """Appendix B.3: width 128 everywhere; depth 0 is B.3's fixed layout, > 0 the zoo's deep
  ResNet of `depth` main-path layers. Generator extras: latent_dim, image_size; critic extras:
  norm ('none' or 'layer_norm', never batch norm)."""
  return ml_collections.ConfigDict(dict(name="resnet", width=width, depth=depth, **extra))


def dcgan_generator_config(width=128, image_size=32, norm="batch_norm", output_activation="tanh",
                           latent_dim=128, activation="relu",
                           constant_width=False) -> ml_collections.ConfigDict:
  """Radford et al.'s generator; constant_width: w filters in every layer instead of 4w-2w-w."""
  return ml_collections.ConfigDict(dict(name="dcgan", width=width, image_size=image_size,
                                        norm=norm, output_activation=output_activation,
                                        latent_dim=latent_dim, activation=activation,
                                        constant_width=constant_width))


def dcgan_critic_config(width=128, norm="none", activation="leaky_relu"):
  return ml_collections.ConfigDict(dict(name="dcgan", width=width, norm=norm,
                                        activation=activation))


# The sample scores listed by default: the project's offline classifier score. FID / Inception
# score need user-supplied InceptionV3 weights, so they are added by override
# (--config.eval.evaluators=sample_grid,gan_losses,classifier_scores,fid).
IMAGE_SCORES = ("classifier_scores",)


def image_eval_config(evaluators) -> ml_collections.ConfigDict:
  """`evaluators` with the keys of every image GAN evaluator. loss_examples: real images (rounded
  up to whole batches) for both players' evaluation losses (gan_losses); grid_rows: the sample
  grid is grid_rows x grid_rows images (sample_grid); score_samples: generated images per sample
  score, 500 to keep a CPU evaluation short (the published numbers use 50k:
  --config.eval.score_samples=50000 on a GPU); classifier_path / fid_weights /
  inception_weights: the scorers' files, '' = their default place in the data folder. A missing
  file skips its evaluator with a warning (strict=True: an error before training)."""
  return ml_collections.ConfigDict(dict(
      evaluators=tuple(evaluators), strict=False, loss_examples=640, grid_rows=8,
      classifier_path="", fid_weights="", inception_weights="", score_samples=500))


def cifar_optimizer() -> ml_collections.ConfigDict:
  """Appendix B.3 with the WGAN-GP paper's CIFAR ResNet betas: Adam(2e-4, b1=0, b2=0.9), decayed
  linearly to 0 over the run (the critic's schedule spans n_critic x num_steps updates, i.e.
  the same num_steps generator iterations)."""
  return optimizers.optimizer_config(name="adam", learning_rate=2e-4, b1=0.0, b2=0.9,
                                     linear_decay=True)


def gan_cifar_config(conditional: bool = False, architecture: str = "resnet"):
  """WGAN-GP on CIFAR-10 (batch 64, n_critic 5, lambda 10, 100k generator steps); with
  `conditional`, the AC-GAN variant of Figure 3.4's supervised score."""
  if architecture == "resnet":
    model = dict(generator=resnet_config(latent_dim=128, image_size=32),
                 critic=resnet_config(norm="none"))
  elif architecture == "dcgan":
    if conditional:
      raise ValueError("the AC-GAN variant uses the ResNet architecture only")
    model = dict(generator=dcgan_generator_config(), critic=dcgan_critic_config())
  else:
    raise ValueError(f"unknown architecture {architecture!r}; known: resnet, dcgan")
  objective = gan_objectives.objective_config("wgan_gp")  # lambda 10, n_critic 5, two-sided
  objective.acgan_critic_weight = ACGAN_CRITIC_WEIGHT
  objective.acgan_generator_weight = ACGAN_GENERATOR_WEIGHT
  return ml_collections.ConfigDict(dict(
      task="gan",
      data=dict(name="cifar10", data_dir="", batch_size=64, keep_classes=(), drop_classes=()),
      model=dict(num_classes=10 if conditional else 0, **model),
      objective=objective,
      optimizer=dict(critic=cifar_optimizer(), generator=cifar_optimizer()),
      # unroll_critic: n_critic updates as straight-line code, not lax.scan (XLA:CPU runs the
      # convolutions of a scanned update ~40x slower; see BUILD_NOTES.md).
      train=dict(num_steps=100000, log_every=100, eval_every=5000, checkpoint_every=1000,
                 keep_checkpoints=2,
                 time_budget_s=0.0, seed=0, progress_bar=True, unroll_critic=True),
      eval=image_eval_config(("sample_grid", "gan_losses", *IMAGE_SCORES)),
  ))


def dcgan_cifar_ood_config():
  """Chapter 4's CIFAR-10 DCGAN (Table 4.2): Radford et al.'s architecture with batch norm in
  the generator only (section 4.2.2, as on MNIST), the non-saturating DCGAN loss with appendix
  B.2's Adam(2e-4, b1=0.5), images in [-1, 1] (tanh). The discriminator's output on every test
  image is the normality score (evaluator discriminator_ood_scores -> scores.npz). The thesis
  gives no step count; 50k generator steps at batch 64 (~70 epochs of 45k images) is ours."""
  config = gan_cifar_config(architecture="dcgan")
  config.data = dict(name="cifar10", data_dir="", batch_size=64, keep_classes=(),
                     drop_classes=())
  return dcgan_normality_settings(config, num_steps=50_000, checkpoint_every=5000)


def dcgan_normality_settings(config, num_steps: int, checkpoint_every: int):
  """Turns a DCGAN config into Chapter 4's normality model (in place): the non-saturating loss
  without AC-GAN terms, appendix B.2's DCGAN optimizers, and the discriminator's output on every
  test image as the score (evaluator discriminator_ood_scores -> scores.npz: the evaluation
  split eval.split, its first eval.num_test_examples images, 0 = all) instead of sample-quality
  scores."""
  config.objective = gan_objectives.objective_config("dcgan")
  gan_objectives.set_objective(config, "dcgan")
  config.train.update(num_steps=num_steps, eval_every=0, checkpoint_every=checkpoint_every)
  config.eval = ml_collections.ConfigDict(dict(
      evaluators=("sample_grid", "gan_losses", "discriminator_ood_scores"), strict=False,
      loss_examples=640, grid_rows=8, split="test", num_test_examples=0))
  return config
