"""Fashion-MNIST -> MNIST: cross-data-set OOD detection. (STUB: being written.)"""

from gen_models.reports import section

KEY = "fashion_to_mnist"
TITLE = "Fashion-MNIST -> MNIST: cross-data-set OOD detection"
CHAPTER = 4
EXPERIMENTS = ('experiments/ood_fashion_to_mnist.py:pixelcnn',)


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
