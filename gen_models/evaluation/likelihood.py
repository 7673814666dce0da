"""Test-set likelihoods of image models: per-image scores and their nats-per-image summaries.

Scores are log-likelihoods per image (higher = more normal), so the same arrays serve Table 2.1
(as NLL = -mean) and the OOD protocol of Chapter 4 (as normality scores):
- `elbo`: the one-sample evidence lower bound, with its parts `kl` and `reconstruction`
  (-log p(x|z)), both reported as positive costs;
- `iwae`: the importance-sampled estimate with k samples (section 2.4.1, k = 5000);
- `exact`: the exact log-likelihood of a fully autoregressive model.
"""

import functools

import jax
import numpy as np

from gen_models.data import batching
from gen_models.objectives import likelihood as lik

# score name -> (results key, sign that turns the mean score into the reported number)
SUMMARY_KEYS = {"elbo": ("test_nll_elbo", -1.0), "iwae": ("test_nll_iwae", -1.0),
                "exact": ("test_nll_exact", -1.0), "kl": ("test_kl", 1.0),
                "reconstruction": ("test_reconstruction", 1.0),
                "kl_z1": ("test_kl_z1", 1.0), "kl_z2": ("test_kl_z2", 1.0)}
# The per-image log-likelihoods (nats, higher = more normal) that go into scores files.
LOG_LIKELIHOOD_SCORES = ("elbo", "iwae", "exact")


def summarize(scores: dict, num_dims: int) -> dict:
  """Means in nats per image under SUMMARY_KEYS names, plus bits/dim for each NLL."""
  results = {}
  for name, values in scores.items():
    if name not in SUMMARY_KEYS:
      continue
    key, sign = SUMMARY_KEYS[name]
    results[key] = float(sign * np.mean(values))
    if key.startswith("test_nll_"):
      results[key.replace("test_nll_", "test_bpd_")] = float(
          lik.nats_to_bits_per_dim(results[key], num_dims))
  return results


class BatchedScores:
  """A likelihood task's per-image scores over a whole image set, jitted once.

  Built from `config.eval` (batch_size, iwae_samples, iwae_chunk); calling it with (params,
  x [N, ...], key) gives {score name: [N] float64} (the names of `task.scores`).
  """

  def __init__(self, task, eval_config):
    self.batch_size = eval_config.batch_size
    self._scores = jax.jit(functools.partial(task.scores, iwae_samples=eval_config.iwae_samples,
                                             iwae_chunk=eval_config.iwae_chunk))

  def __call__(self, params, x, key) -> dict:
    return batching.map_batches(lambda v, k: self._scores(params, v, k), x, self.batch_size,
                                key=key, dtype=np.float64)


def log_likelihoods(scores: dict) -> dict:
  """The LOG_LIKELIHOOD_SCORES among `scores` (what a scores file holds)."""
  return {k: v for k, v in scores.items() if k in LOG_LIKELIHOOD_SCORES}
