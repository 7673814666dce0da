"""Section 3.5.4 / Table 3.1: the character-level WGAN-GP language model. Our argmax-decoded
samples (the run's samples.txt) beside the thesis' Table 3.1 lines, the text measures logged at
every evaluation (evaluation/text_samples.py), and the section's claim judged by how many of the
generated words are real words, against the chance level of the same characters shuffled."""

from gen_models.plotting import tables
from gen_models.reports import section, thesis_numbers

KEY = "language_gan"
TITLE = "Section 3.5.4: the character-level language GAN"
CHAPTER = 3
LANGUAGE = "experiments/wgan_gp_language.py"
EXPERIMENTS = (LANGUAGE,)
SAMPLES_FILE = "samples.txt"  # evaluation/text_samples.py writes it into the run directory
SHOWN_SAMPLES = 10

WORDS_CLAIM = ("WGAN-GP trains a character-level generator whose softmax output feeds the critic "
               "directly (no sampling, no continuous relaxation) to produce word-like strings "
               "(section 3.5.4, Table 3.1)")
STATISTICS_CLAIM = ("The generator learns the statistics of language: its character 4-gram "
                    "distribution approaches held-out text's over training (section 3.5.4)")
# (metrics.jsonl key after eval/, column header, format)
EVAL_COLUMNS = (
    ("js4_samples_vs_heldout", "4-gram JS (samples vs held-out)", ".4f"),
    ("word_in_vocab_fraction", "words seen in training", ".3f"),
    ("shuffled_word_in_vocab_fraction", "same, characters shuffled (chance)", ".3f"),
    ("heldout_word_in_vocab_fraction", "same, held-out text (ceiling)", ".3f"),
    ("wasserstein_estimate", "critic W estimate", ".3f"),
)


def eval_rows(run) -> list[dict]:
  """The evaluation rows of the run's metrics.jsonl (training/metrics.py's reader)."""
  return [r for r in run.metrics() if f"eval/{EVAL_COLUMNS[0][0]}" in r]


def _cell(row: dict, key: str, fmt: str) -> str:
  value = row.get(f"eval/{key}")
  return "n/a" if value is None else format(value, fmt)


def render(ctx: section.Context) -> section.Section:
  run = ctx.run(LANGUAGE)
  thesis_lines = ["Thesis, Table 3.1 (first lines of its sample columns):", "", "```",
                  *thesis_numbers.TABLE_3_1_SAMPLES, "```"]
  if not run.finished:
    return section.Section("\n".join([f"`{LANGUAGE}`: {run.status_line()}", ""] + thesis_lines),
                           [section.not_run(WORDS_CLAIM, run.status_line()),
                            section.not_run(STATISTICS_CLAIM, run.status_line())])
  rows = eval_rows(run)
  samples = run.file(SAMPLES_FILE).read_text(encoding="utf-8").splitlines()
  model = run.config["model"]
  body = [tables.markdown_table(("generator step", *(h for _, h, _ in EVAL_COLUMNS)),
                                [(f"{r['step']:,}", *(_cell(r, k, f) for k, _, f in EVAL_COLUMNS))
                                 for r in rows]).rstrip(), "",
          "Words: the space-separated tokens of the argmax-decoded samples "
          f"({len(samples):,} at the end) found among the training text's words; chance: the "
          "same samples with each one's characters shuffled (same letters and spaces, no "
          "spelling); ceiling: held-out sentences (below 1 because a 32-character line cuts its "
          "last word). 4-gram JS: Jensen-Shannon divergence of the character 4-gram "
          f"distributions, at most ln 2 = 0.693. Generator width {model['generator']['width']}, "
          f"critic width {model['critic']['width']}, {run.results['step']:,} generator steps "
          f"(`{LANGUAGE}`'s defaults are the thesis-scale run).", "",
          f"Ours, the first {min(SHOWN_SAMPLES, len(samples))} of {SAMPLES_FILE} "
          f"(step {run.results['step']:,}):", "", "```", *samples[:SHOWN_SAMPLES], "```", ""]
  body += thesis_lines
  return section.Section("\n".join(body), [_words_claim(run.results), _statistics_claim(rows)])


def _words_claim(results: dict):
  if "shuffled_word_in_vocab_fraction" not in results:
    return section.not_run(WORDS_CLAIM, "the record has no chance level "
                           "(shuffled_word_in_vocab_fraction): it predates that measure")
  ours, chance = results["word_in_vocab_fraction"], results["shuffled_word_in_vocab_fraction"]
  return section.claim(
      WORDS_CLAIM, ours > chance,
      f"words seen in training: {ours:.3f} of the generated words vs {chance:.3f} for the same "
      f"characters shuffled (held-out text: {results['heldout_word_in_vocab_fraction']:.3f})")


def _statistics_claim(rows: list):
  if len(rows) < 2:
    return section.not_run(STATISTICS_CLAIM, "needs at least two evaluations")
  first, last = (r["eval/js4_samples_vs_heldout"] for r in (rows[0], rows[-1]))
  return section.claim(STATISTICS_CLAIM, last < first,
                       f"4-gram JS divergence {first:.4f} at step {rows[0]['step']:,} -> "
                       f"{last:.4f} at step {rows[-1]['step']:,}")
