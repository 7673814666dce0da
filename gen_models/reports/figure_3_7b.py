"""Figure 3.7b: detecting overfitting from the critic's loss. (STUB: being written.)"""

from gen_models.reports import section

KEY = "figure_3_7b"
TITLE = "Figure 3.7b: detecting overfitting from the critic's loss"
CHAPTER = 3
EXPERIMENTS = ('experiments/wgan_overfitting_mnist.py',)


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
