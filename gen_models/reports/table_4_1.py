"""Table 4.1: leave-one-digit-out OOD detection on MNIST (AUPR, %). (STUB: being written.)"""

from gen_models.reports import section

KEY = "table_4_1"
TITLE = "Table 4.1: leave-one-digit-out OOD detection on MNIST (AUPR, %)"
CHAPTER = 4
EXPERIMENTS = ('experiments/ood_mnist.py:vae', 'experiments/ood_mnist.py:pixelcnn', 'experiments/ood_mnist.py:pixelvae', 'experiments/ood_mnist.py:dcgan')


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
