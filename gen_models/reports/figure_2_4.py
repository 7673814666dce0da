"""Figure 2.4: NLL against the number of PixelCNN layers. (STUB: being written.)"""

from gen_models.reports import section

KEY = "figure_2_4"
TITLE = "Figure 2.4: NLL against the number of PixelCNN layers"
CHAPTER = 2
EXPERIMENTS = ('experiments/pixelcnn_layers_sweep.py',)


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
