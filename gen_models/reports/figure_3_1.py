"""Figure 3.1: toy critics (value surfaces, gradient norms) and the toy GAN comparison. (STUB: being written.)"""

from gen_models.reports import section

KEY = "figure_3_1"
TITLE = "Figure 3.1: toy critics (value surfaces, gradient norms) and the toy GAN comparison"
CHAPTER = 3
EXPERIMENTS = ('experiments/toy_value_surfaces.py', 'experiments/toy_gradient_norms.py', 'experiments/toy_gan_comparison.py')


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
