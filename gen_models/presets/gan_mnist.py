"""Config presets for image GANs on grey-level MNIST (Chapter 4's DCGAN normality model)."""

from gen_models.presets import gan_cifar, gan_toy
from gen_models.training import optimizers


def dcgan_mnist_config():
  """Chapter 4's MNIST DCGAN: Radford et al.'s architecture with batch norm in the generator
  and none in the discriminator (section 4.2.2), on grey-level digits in [0, 1] (not
  binarized; sigmoid output), the non-saturating DCGAN loss with appendix B.2's Adam(2e-4,
  b1=0.5). The thesis gives no step count; 20k generator steps at batch 64 (~25 epochs) is ours.
  """
  config = gan_cifar.gan_cifar_config(architecture="dcgan")
  config.data = dict(name="mnist", data_dir="", batch_size=64, binarize=False, keep_classes=(),
                     drop_classes=(), eval_seed=0)
  config.model.generator = gan_cifar.dcgan_generator_config(
      width=64, image_size=28, output_activation="sigmoid", latent_dim=100)
  config.model.critic = gan_cifar.dcgan_critic_config(width=64)
  objective = gan_toy.objective_config("dcgan")
  objective.acgan_critic_weight = 0.0
  objective.acgan_generator_weight = 0.0
  config.objective = objective
  config.optimizer = dict(critic=optimizers.thesis_optimizer("dcgan"),
                          generator=optimizers.thesis_optimizer("dcgan"))
  config.train.update(num_steps=20_000, eval_every=0, checkpoint_every=2000)
  config.eval.update(offline_score=False, score_samples=0, num_samples=640)
  config.eval.test_scores = True
  config.eval.split = "test"
  config.eval.num_test_examples = 0
  return config
