"""Table 4.2: leave-one-class-out OOD detection on CIFAR-10 (AUPR, %). (STUB: being written.)"""

from gen_models.reports import section

KEY = "table_4_2"
TITLE = "Table 4.2: leave-one-class-out OOD detection on CIFAR-10 (AUPR, %)"
CHAPTER = 4
EXPERIMENTS = ('experiments/ood_cifar10.py:iaf_vae', 'experiments/ood_cifar10.py:pixelcnnpp', 'experiments/ood_cifar10.py:pixelvae', 'experiments/ood_cifar10.py:dcgan')


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
