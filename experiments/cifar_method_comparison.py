"""Figure 3.3 (thesis section 3.5.2): CIFAR-10 sample score over generator iterations and over
wall-clock time for WGAN with clipping (RMSProp 5e-5, c = 0.01, n_critic 5), WGAN-GP with the
same RMSProp, WGAN-GP with Adam (2e-4, b1 0, b2 0.9) and DCGAN (Adam 2e-4, b1 0.5), all with the
DCGAN generator and critic (gen_models/protocols/cifar.py).

The score is the project's offline classifier score (evaluator classifier_scores; needs the
exported classifier, see gen_models/evaluation/offline_score.py), every eval_every generator
steps on score_samples images. For the thesis' Inception score pass
--config.eval.evaluators=sample_grid,gan_losses,inception_score
--config.protocol.score=inception_score (user-supplied weights) and score_samples=50000 (GPU).
"""

from gen_models.presets import gan_cifar, variants

VARIANTS = {"": "WGAN-clip, WGAN-GP (RMSProp, Adam) and DCGAN on CIFAR-10, score vs time"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  config = gan_cifar.gan_cifar_config(architecture="dcgan")
  for player in ("critic", "generator"):
    config.optimizer[player].linear_decay = False
  config.train.update(num_steps=100000, eval_every=2000, log_every=100)
  config.eval.score_samples = 5000
  config.protocol = dict(name="cifar_method_comparison", score="classifier_score",
                         methods=("wgan_clip", "wgan_gp_rmsprop", "wgan_gp_adam", "dcgan"))
  return config
