"""Figure 3.2: the architecture zoo. (STUB: being written.)"""

from gen_models.reports import section

KEY = "figure_3_2"
TITLE = "Figure 3.2: the architecture zoo"
CHAPTER = 3
EXPERIMENTS = ('experiments/gan_architecture_zoo.py',)


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
