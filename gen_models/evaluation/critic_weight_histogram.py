"""Evaluator `critic_weight_histogram` (Figure 3.1b): one histogram of every critic kernel
weight, in HISTOGRAM_BINS equal bins over their range (biases left out)."""

import jax
import numpy as np

from gen_models.evaluation import evaluator

HISTOGRAM_BINS = 101  # odd: a bin centred on 0 when the range is symmetric (clipping's ±c)


class CriticWeightHistogram(evaluator.Evaluator):
  name = "critic_weight_histogram"

  def evaluate(self, state, rng, out_dir):
    kernels = [np.ravel(v) for path, v in jax.tree_util.tree_leaves_with_path(state["critic"])
               if "kernel" in jax.tree_util.keystr(path)]
    counts, edges = np.histogram(np.concatenate(kernels), bins=HISTOGRAM_BINS)
    return {"critic_weight_histogram": {"counts": counts.tolist(), "edges": edges.tolist()}}
