"""Cheap host-side measures of generated text (section 3.5.4): word validity and n-gram statistics.

The WGAN-GP authors tracked the Jensen-Shannon divergence between the character 4-gram
distributions of samples and real text; we report it together with the fraction of generated
words that occur in the training text.
"""

import collections

import numpy as np


def word_in_vocab_fraction(samples, vocabulary) -> float:
  """Fraction of the space-separated words of `samples` (list[str]) found in `vocabulary`
  (a set of words). NaN when the samples contain no words."""
  words = [w for s in samples for w in s.split()]
  if not words:
    return float("nan")
  return sum(w in vocabulary for w in words) / len(words)


def shuffled_characters(samples, seed: int = 0) -> list:
  """Each string of `samples` with its characters (spaces included) in a random order: text
  with the samples' character frequencies and word count but no spelling, whose
  word_in_vocab_fraction is the chance level of the samples' own."""
  rng = np.random.default_rng(seed)
  return ["".join(rng.permutation(list(s))) if s else s for s in samples]


def ngram_counts(strings, n: int) -> collections.Counter:
  """Counts of the character n-grams inside each string (none span two strings)."""
  if n < 1:
    raise ValueError(f"n-gram order must be >= 1, got {n}")
  counts = collections.Counter()
  for s in strings:
    counts.update(s[i:i + n] for i in range(len(s) - n + 1))
  return counts


def ngram_js_divergence(samples, reference, n: int = 4) -> float:
  """Jensen-Shannon divergence (natural log, in [0, ln 2]) between the character n-gram
  frequency distributions of two lists of strings."""
  p_counts, q_counts = ngram_counts(samples, n), ngram_counts(reference, n)
  if not p_counts or not q_counts:
    raise ValueError(f"no character {n}-grams in the {'samples' if not p_counts else 'reference'}"
                     f" (strings shorter than {n} characters?)")
  keys = sorted(set(p_counts) | set(q_counts))
  p = np.array([p_counts[k] for k in keys], np.float64)
  q = np.array([q_counts[k] for k in keys], np.float64)
  p, q = p / p.sum(), q / q.sum()
  m = 0.5 * (p + q)

  def kl(a):
    nz = a > 0
    return float(np.sum(a[nz] * np.log(a[nz] / m[nz])))

  return 0.5 * kl(p) + 0.5 * kl(q)
