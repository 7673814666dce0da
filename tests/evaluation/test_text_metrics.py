"""Text metrics on hand-made strings, the JS divergence against SciPy."""

import math

import numpy as np
import pytest
from scipy.spatial import distance

from gen_models.evaluation import text


def test_word_in_vocab_fraction():
  vocab = {"the", "cat", "sat"}
  assert text.word_in_vocab_fraction(["the cat  sat", "the dgo"], vocab) == pytest.approx(4 / 5)
  assert math.isnan(text.word_in_vocab_fraction(["", "  "], vocab))


def test_shuffled_characters_keep_each_strings_characters():
  samples = ["the cat sat", "", "a b"]
  shuffled = text.shuffled_characters(samples, seed=3)
  assert [sorted(s) for s in shuffled] == [sorted(s) for s in samples]
  assert shuffled == text.shuffled_characters(samples, seed=3) != samples


def test_ngram_counts_stay_inside_strings():
  counts = text.ngram_counts(["abcab", "ab"], 2)
  assert counts == {"ab": 3, "bc": 1, "ca": 1}
  assert sum(text.ngram_counts(["abcd"], 4).values()) == 1


def test_js_divergence_matches_scipy_and_bounds():
  a, b = ["abcdeabcd", "xbcde"], ["abcdf", "bcdexx"]
  grams = sorted(set(text.ngram_counts(a, 4)) | set(text.ngram_counts(b, 4)))
  p = np.array([text.ngram_counts(a, 4)[g] for g in grams], float)
  q = np.array([text.ngram_counts(b, 4)[g] for g in grams], float)
  # scipy returns the JS *distance* (the square root of the divergence).
  expected = distance.jensenshannon(p / p.sum(), q / q.sum()) ** 2
  assert text.ngram_js_divergence(a, b, 4) == pytest.approx(expected, rel=1e-10)
  assert text.ngram_js_divergence(a, list(reversed(a)), 4) == pytest.approx(0.0, abs=1e-12)
  assert text.ngram_js_divergence(["aaaa"], ["bbbb"], 4) == pytest.approx(math.log(2))
  with pytest.raises(ValueError, match="4-grams"):
    text.ngram_js_divergence(["abc"], b, 4)
