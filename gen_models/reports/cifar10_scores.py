"""CIFAR-10 sample scores: WGAN-GP and AC-GAN. (STUB: being written.)"""

from gen_models.reports import section

KEY = "cifar10_scores"
TITLE = "CIFAR-10 sample scores: WGAN-GP and AC-GAN"
CHAPTER = 3
EXPERIMENTS = ('experiments/cifar10_classifier.py', 'experiments/wgan_gp_cifar.py', 'experiments/wgan_gp_cifar_acgan.py')


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
