"""Figure 2.5: 2-D latent space of the VAE and the PixelVAE. (STUB: being written.)"""

from gen_models.reports import section

KEY = "figure_2_5"
TITLE = "Figure 2.5: 2-D latent space of the VAE and the PixelVAE"
CHAPTER = 2
EXPERIMENTS = ('experiments/latent2d_mnist.py',)


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
