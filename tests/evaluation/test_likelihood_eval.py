"""Batched test-set scoring: padding is invisible, batch keys differ, summaries use the right signs."""

import jax
import jax.numpy as jnp
import numpy as np

from gen_models.evaluation import likelihood as lik_eval


def test_score_dataset_pads_the_last_batch_and_drops_the_padding():
  x = np.arange(7 * 3, dtype=np.float32).reshape(7, 3)
  calls = []

  def score_batch(batch, key):
    calls.append(batch.shape[0])
    return {"s": jnp.sum(batch, axis=1), "u": jax.random.uniform(key, (batch.shape[0],))}

  scores = lik_eval.score_dataset(score_batch, x, jax.random.key(0), batch_size=3)
  assert calls == [3, 3, 3]  # one compiled shape
  np.testing.assert_allclose(scores["s"], x.sum(1))
  assert len(np.unique(scores["u"][:6].round(6))) == 6  # batches get different keys


def test_summarize_reports_nll_as_negative_mean_log_likelihood():
  scores = {"elbo": np.array([-80.0, -90.0]), "kl": np.array([10.0, 20.0]),
            "reconstruction": np.array([70.0, 70.0]), "exact": np.array([-784 * np.log(2.0)])}
  out = lik_eval.summarize(scores, num_dims=784)
  assert out["test_nll_elbo"] == 85.0 and out["test_kl"] == 15.0
  assert out["test_reconstruction"] == 70.0
  np.testing.assert_allclose(out["test_bpd_exact"], 1.0)
