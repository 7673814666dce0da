"""Figure 3.1b: 12-layer ReLU MLP critic and generator (no batch norm) on swissroll, trained with
weight clipping at c in {0.1, 0.01, 0.001} and with gradient penalty. Records the norm of the
gradient of the critic loss w.r.t. each layer's activations and the critic weight histograms."""

from gen_models.presets import gan_toy, variants

VARIANTS = {"": "swissroll, 12-layer MLPs, clipping c in {0.1, 0.01, 0.001} vs penalty"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  config = gan_toy.gan_toy_config("swissroll", "wgan_gp")
  for player in ("generator", "critic"):
    config.model[player].depth = 12
  config.train.num_steps = 1000
  config.eval.evaluators += ("critic_layer_grad_norms", "critic_weight_histogram")
  config.objective.gp_weight = 10.0  # the thesis' lambda for every experiment of the paper
  config.protocol = dict(name="toy_gradient_norms", clip_values=(0.1, 0.01, 0.001))
  return config
