"""Evaluator `text_samples` for the language GAN: argmax-decodes eval.num_text_samples samples
(all to samples.txt, the first eval.num_listed_samples into the results) and scores them against
the source's held-out lines: character 4-gram JS divergence and the fraction of words seen in
training (the held-out lines' own fraction is the ceiling; the same samples with their characters
shuffled give its chance level)."""

import pathlib

import numpy as np

from gen_models.evaluation import evaluator, text as text_metrics


class TextSamples(evaluator.Evaluator):
  name = "text_samples"
  config_keys = ("num_text_samples", "num_listed_samples")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    if getattr(source, "kind", None) != "text":
      raise ValueError(f"evaluator 'text_samples' needs a text source, got data "
                       f"{config.data.name!r}")

  def evaluate(self, state, rng, out_dir):
    ecfg = self.config.eval
    probs = self.task.sample(state, rng, ecfg.num_text_samples)  # [N, L, V]
    samples = self.source.decode(np.argmax(probs, axis=-1))
    pathlib.Path(out_dir).mkdir(parents=True, exist_ok=True)
    (pathlib.Path(out_dir) / "samples.txt").write_text("\n".join(samples) + "\n",
                                                       encoding="utf-8")
    heldout, vocabulary = self.source.heldout_lines, self.source.train_words()
    return {
        "js4_samples_vs_heldout": text_metrics.ngram_js_divergence(samples, heldout, 4),
        "word_in_vocab_fraction": text_metrics.word_in_vocab_fraction(samples, vocabulary),
        "heldout_word_in_vocab_fraction": text_metrics.word_in_vocab_fraction(heldout,
                                                                              vocabulary),
        "shuffled_word_in_vocab_fraction": text_metrics.word_in_vocab_fraction(
            text_metrics.shuffled_characters(samples, self.config.train.seed), vocabulary),
        "samples": samples[:ecfg.num_listed_samples]}
