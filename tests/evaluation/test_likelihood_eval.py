"""Likelihood summaries use the right signs and units."""

import numpy as np

from gen_models.evaluation import likelihood as lik_eval


def test_summarize_reports_nll_as_negative_mean_log_likelihood():
  scores = {"elbo": np.array([-80.0, -90.0]), "kl": np.array([10.0, 20.0]),
            "reconstruction": np.array([70.0, 70.0]), "exact": np.array([-784 * np.log(2.0)])}
  out = lik_eval.summarize(scores, num_dims=784)
  assert out["test_nll_elbo"] == 85.0 and out["test_kl"] == 15.0
  assert out["test_reconstruction"] == 70.0
  np.testing.assert_allclose(out["test_bpd_exact"], 1.0)
