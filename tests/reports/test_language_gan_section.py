"""The language GAN's section from a fabricated run: text measures over training, our samples
beside the thesis' Table 3.1 lines, and the word-likeness verdict against the shuffled chance
level."""

from fake_gan_records import eval_run, samples_file
from fake_records import context
from gen_models.reports import language_gan, section, thesis_numbers


def _run(tmp_path, words=0.40, chance=0.10, js=(0.66, 0.59)):
  evals = {s: {"js4_samples_vs_heldout": j, "word_in_vocab_fraction": words,
               "shuffled_word_in_vocab_fraction": chance,
               "heldout_word_in_vocab_fraction": 0.895, "wasserstein_estimate": 2.2}
           for s, j in zip((200, 400), js)}
  results = {k: v for k, v in evals[400].items()}
  path = eval_run(tmp_path / "lm1b", evals, results,
                  config={"model": {"generator": {"width": 64}, "critic": {"width": 64}}})
  samples_file(path, ["The tuednotddnie np wwa p wnr pd", "I dneetwp aow wdwou iare uaion w"])
  return language_gan.render(context(tmp_path, "language_gan", [(language_gan.LANGUAGE, path)]))


def test_measures_samples_and_verdicts(tmp_path):
  sec = _run(tmp_path)
  assert "| 400 | 0.5900 | 0.400 | 0.100 | 0.895 | 2.200 |" in sec.body
  assert "The tuednotddnie np wwa p wnr pd" in sec.body
  assert thesis_numbers.TABLE_3_1_SAMPLES[0] in sec.body
  assert [c.verdict for c in sec.claims] == [section.HOLDS, section.HOLDS]
  assert "0.400 of the generated words vs 0.100" in sec.claims[0].evidence


def test_verdicts_flip(tmp_path):
  sec = _run(tmp_path, words=0.05, chance=0.10, js=(0.60, 0.65))
  assert [c.verdict for c in sec.claims] == [section.DOES_NOT_HOLD, section.DOES_NOT_HOLD]


def test_absent_run_renders_not_run_with_the_thesis_samples(tmp_path):
  sec = language_gan.render(context(tmp_path, "language_gan", []))
  assert [c.verdict for c in sec.claims] == [section.NOT_RUN] * 2
  assert "not run" in sec.body and thesis_numbers.TABLE_3_1_SAMPLES[-1] in sec.body
