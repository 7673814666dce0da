"""Inception score and FID with the JAX port of TF's inception-2015-12-05 InceptionV3.

    variables = weights.load_weights(path, with_logits=True)
    net = InceptionNetwork(variables, input_range=(-1, 1))   # generator samples in [-1, 1]
    is_mean, is_std = inception_score(net, samples)          # 10 splits, as Salimans et al.
    ref = reference_statistics(net, cifar10.load(data_dir, "train").images, (0, 255))
    value = fid(net, samples, ref)

Images of any size are resized to 299x299 inside (legacy TF bilinear), as the original graph
did; the thesis' CIFAR-10 Inception scores use 50,000 samples.
"""

import pathlib
from typing import Optional

import chex
import jax
import numpy as np

from gen_models.evaluation import scores
from gen_models.models import inception

DEFAULT_NUM_SAMPLES = 50_000
DEFAULT_SPLITS = 10


class InceptionNetwork:
  """A jitted InceptionV3 on raw images: [B, H, W, 3] in `input_range` -> pool3 and logits.

  precision: HIGHEST by default, so accelerators do not silently use TF32/bf16 convolutions
  (FID differences between runs of ~0.1 would otherwise come from the hardware).
  logits_bias: False (default) computes logits = pool3 @ W as the original Inception-score code
  (Salimans et al.; reused by the WGAN-GP code behind the thesis' numbers) did, which took the
  weight matrix of `softmax/logits/MatMul` and left out the bias.
  """

  def __init__(self, variables: dict, input_range=(-1.0, 1.0),
               precision=jax.lax.Precision.HIGHEST, logits_bias: bool = False):
    self.with_logits = "logits" in variables["params"]
    if self.with_logits and not logits_bias:
      params = dict(variables["params"])
      params["logits"] = dict(params["logits"], bias=np.zeros_like(params["logits"]["bias"]))
      variables = dict(variables, params=params)
    self.input_range = tuple(float(v) for v in input_range)
    self.precision = precision
    model = inception.InceptionV3(with_logits=self.with_logits, precision=precision)
    self._apply = jax.jit(lambda v, x: model.apply(
        v, inception.preprocess(x, self.input_range)))
    self.variables = variables

  def __call__(self, images) -> dict:
    """images: [B, H, W, 3] -> {'pool3': [B, 2048], 'logits': [B, 1008] (when available)}."""
    chex.assert_rank(images, 4)
    return self._apply(self.variables, images)

  def features(self, images) -> np.ndarray:
    return np.asarray(self(images)["pool3"])

  def logits(self, images) -> np.ndarray:
    if not self.with_logits:
      raise ValueError("these InceptionV3 weights have no 1008-way logits (an FID feature file): "
                       "the Inception score needs a full weight file, see "
                       "gen_models/evaluation/weights.py")
    return np.asarray(self(images)["logits"])


def inception_score(net: InceptionNetwork, images, splits: int = DEFAULT_SPLITS,
                    batch_size: int = 100) -> tuple[float, float]:
  """Mean and std over `splits` parts of the Inception score of images [N, H, W, 3].

  The 1008-way softmax keeps the graph's 8 unused classes, as the original implementation did
  (and, by default, leaves out the logits bias: see InceptionNetwork).
  """
  return scores.classifier_score(net.logits, images, splits, batch_size)


def statistics(net: InceptionNetwork, images, batch_size: int = 100) -> scores.GaussianStatistics:
  """Mean and covariance of the 2048-d pool3 features of images [N, H, W, 3]."""
  return scores.feature_statistics(net.features, images, batch_size)


def fid(net: InceptionNetwork, images, reference: scores.GaussianStatistics,
        batch_size: int = 100) -> float:
  """Frechet Inception distance between images [N, H, W, 3] and reference statistics."""
  return scores.frechet_distance(statistics(net, images, batch_size), reference)


def reference_statistics(net: InceptionNetwork, images, input_range=(0, 255),
                         cache_path: Optional[pathlib.Path] = None,
                         batch_size: int = 100) -> scores.GaussianStatistics:
  """pool3 statistics of a reference set (e.g. the 50k CIFAR-10 training images, uint8).

  `input_range` is that of `images` (the network's own range is for generated samples). With
  `cache_path`, statistics are saved there and reused when present.
  """
  if cache_path is not None and pathlib.Path(cache_path).is_file():
    return scores.load_statistics(cache_path)
  ref_net = net if tuple(input_range) == net.input_range else InceptionNetwork(
      net.variables, input_range, net.precision)
  stats = statistics(ref_net, images, batch_size)
  if cache_path is not None:
    pathlib.Path(cache_path).parent.mkdir(parents=True, exist_ok=True)
    scores.save_statistics(cache_path, stats)
  return stats
