"""Figure 3.1a: critics trained to optimality with the generator held at real data plus unit
Gaussian noise, with weight clipping and with gradient penalty, on the three toy sets; writes a
2x3 grid of value surfaces with the data overlaid (figures/value_surfaces.png)."""

from gen_models.presets import gan_toy, variants

VARIANTS = {"": "optimal critics, clipping vs penalty, on the 3 toy sets"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  config = gan_toy.gan_toy_config("8gaussians", "wgan_gp")
  config.task = "critic"
  config.train.num_steps = 3000  # critic updates; the value surface has settled by then
  config.train.log_every = 250
  config.objective.gp_weight = 10.0  # the thesis' lambda for every experiment of the paper
  config.eval.evaluators = ("critic_value_surface",)
  config.protocol = dict(name="toy_value_surfaces",
                         objectives=("wgan_clip", "wgan_gp"),
                         datasets=("8gaussians", "25gaussians", "swissroll"))
  return config
