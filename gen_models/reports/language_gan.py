"""Section 3.5.4: the character-level language GAN. (STUB: being written.)"""

from gen_models.reports import section

KEY = "language_gan"
TITLE = "Section 3.5.4: the character-level language GAN"
CHAPTER = 3
EXPERIMENTS = ('experiments/wgan_gp_language.py',)


def render(ctx: section.Context) -> section.Section:
  del ctx
  return section.Section("Not written yet.", [section.not_run("(stub)", "report module not written yet")])
