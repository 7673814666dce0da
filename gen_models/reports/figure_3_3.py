"""Figure 3.3: WGAN-GP vs weight clipping vs DCGAN on CIFAR-10. (STUB: being written.)"""

from gen_models.reports import section

KEY = "figure_3_3"
TITLE = "Figure 3.3: WGAN-GP vs weight clipping vs DCGAN on CIFAR-10"
CHAPTER = 3
EXPERIMENTS = ('experiments/cifar_method_comparison.py',)


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
