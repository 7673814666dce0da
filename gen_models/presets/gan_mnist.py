"""Config presets for image GANs on grey-level MNIST (Chapter 4's DCGAN normality model)."""

from gen_models.presets import gan_cifar, gan_objectives


def dcgan_mnist_config():
  """Chapter 4's MNIST DCGAN: Radford et al.'s architecture with batch norm in the generator
  and none in the discriminator (section 4.2.2), on grey-level digits in [0, 1] (not
  binarized; sigmoid output), the non-saturating DCGAN loss with appendix B.2's Adam(2e-4,
  b1=0.5). The thesis gives no step count; 20k generator steps at batch 64 (~25 epochs) is ours.
  """
  config = gan_cifar.gan_cifar_config(architecture="dcgan")
  config.data = dict(name="mnist", data_dir="", batch_size=64, binarize=False, keep_classes=(),
                     drop_classes=(), eval_seed=0, train_subset=0, subset_seed=0)
  config.model.generator = gan_cifar.dcgan_generator_config(
      width=64, image_size=28, output_activation="sigmoid", latent_dim=100)
  config.model.critic = gan_cifar.dcgan_critic_config(width=64)
  return gan_cifar.dcgan_normality_settings(config, num_steps=20_000, checkpoint_every=2000)


def wgan_overfitting_mnist_config():
  """Section 3.5.5 / Figure 3.7b: "large unregularized" WGANs on a random 1,000-digit subset of
  grey-level MNIST (data.train_subset, drawn by data.subset_seed). The thesis gives no
  architecture; ours is the 28x28 DCGAN pair at width 64 with no normalization anywhere and
  nothing else that regularizes (no dropout, no weight decay, no data augmentation), sigmoid
  output for grey levels in [0, 1]. Objective and optimizers: appendix B.2 (set per method by
  the protocol). Every train.eval_every steps the heldout_wasserstein evaluator logs
  wasserstein_train (the critic's estimate on the 1,000 training digits) and
  wasserstein_heldout (on eval.heldout_examples validation digits, never in the subset), both
  against the same generated samples. 100k generator steps and
  eval_every 1000 are our choices (the thesis gives neither).
  """
  config = gan_cifar.gan_cifar_config(architecture="dcgan")
  config.data = dict(name="mnist", data_dir="", batch_size=64, binarize=False, keep_classes=(),
                     drop_classes=(), eval_seed=0, train_subset=1000, subset_seed=0)
  config.model.generator = gan_cifar.dcgan_generator_config(
      width=64, image_size=28, norm="none", output_activation="sigmoid", latent_dim=128)
  config.model.critic = gan_cifar.dcgan_critic_config(width=64, norm="none")
  gan_objectives.set_objective(config, "wgan_gp")
  config.train.update(num_steps=100_000, eval_every=1000, checkpoint_every=5000)
  config.eval = dict(evaluators=("sample_grid", "gan_losses", "heldout_wasserstein"),
                     strict=False, loss_examples=640, grid_rows=8, heldout_split="validation",
                     heldout_examples=1000, train_examples=0)
  return config
