"""Hierarchical PixelVAE: Figures 2.6, 2.7, A.1 and the section 2.4.2 ablation. (STUB: being written.)"""

from gen_models.reports import section

KEY = "hierarchical_pixelvae"
TITLE = "Hierarchical PixelVAE: Figures 2.6, 2.7, A.1 and the section 2.4.2 ablation"
CHAPTER = 2
EXPERIMENTS = ('experiments/hierarchical_pixelvae.py:cifar10_cpu', 'experiments/hierarchical_pixelvae.py', 'experiments/hierarchical_pixelvae_ablation.py:cpu', 'experiments/hierarchical_pixelvae_ablation.py')


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
