"""The cached autoregressive sampler's speed-up. (STUB: being written.)"""

from gen_models.reports import section

KEY = "sampling_speed"
TITLE = "The cached autoregressive sampler's speed-up"
CHAPTER = 4
EXPERIMENTS = ('experiments/sampling_speed.py',)


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
