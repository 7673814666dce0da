"""Table 2.2: 64x64 ImageNet NLL and FLOPs. (STUB: being written.)"""

from gen_models.reports import section

KEY = "table_2_2"
TITLE = "Table 2.2: 64x64 ImageNet NLL and FLOPs"
CHAPTER = 2
EXPERIMENTS = ('experiments/flops_table_2_2.py',)


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
