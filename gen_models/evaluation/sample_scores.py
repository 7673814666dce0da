"""The sample scores of a CIFAR-10 GAN run, loaded once per run and applied at each evaluation.

Config fields (`config.eval`):
- offline_score (bool): the classifier score / classifier Frechet distance of the project's own
  CIFAR-10 classifier (`evaluation/offline_score.py`; NOT IS/FID);
- classifier_path (str): its .npz; '' = `offline_score.default_classifier_path(data.data_dir)`;
- fid (bool) / inception_score (bool): FID / Inception score with user-supplied InceptionV3
  weights (`evaluation/inception.py`); inception_weights (str): the weight file, '' = the default
  `<data_dir>/inception/inception-2015-12-05-{fid,full}.npz` (the full file when IS is asked);
- score_samples (int): generated images scored per evaluation (50k for the published numbers).

A score the config asks for whose files are missing is an error when the scorers are built
(the start of the run), never a silent skip.
"""

import hashlib
import pathlib
from typing import Optional

import numpy as np

from gen_models.data import cifar10, paths
from gen_models.evaluation import inception, offline_score, weights


class ScorerFileError(FileNotFoundError):
  pass


def _with_opt_out(error: Exception, flag: str) -> ScorerFileError:
  message = str(error).rstrip(". ")
  return ScorerFileError(f"{message}; or pass --config.eval.{flag}=False to run without it")


def _fid_cache_path(weights_path: pathlib.Path) -> pathlib.Path:
  """Reference pool3 statistics of the CIFAR-10 training set, keyed by the weight file's bytes
  so statistics of another conversion are never reused."""
  digest = hashlib.sha256(weights_path.read_bytes()).hexdigest()[:16]
  return paths.default_cache_dir() / "inception" / f"cifar10_train_pool3_{digest}.npz"


class SampleScorers:
  """Loads the requested scorers and their reference statistics once; `__call__` scores."""

  def __init__(self, eval_config, data_dir: str = ""):
    self.num_samples = int(eval_config.get("score_samples", 0))
    self.classifier = self.classifier_reference = None
    self.inception = self.inception_reference = None
    self.want_fid = bool(eval_config.get("fid", False))
    self.want_is = bool(eval_config.get("inception_score", False))
    if eval_config.get("offline_score", False):
      self._load_classifier(eval_config.get("classifier_path", ""), data_dir)
    if self.want_fid or self.want_is:
      self._load_inception(eval_config.get("inception_weights", ""), data_dir)
    if self.active and self.num_samples < 10:
      raise ValueError(f"eval.score_samples must be >= 10 (10 score splits), got "
                       f"{self.num_samples}")

  @property
  def active(self) -> bool:
    return self.classifier is not None or self.inception is not None

  def _load_classifier(self, path: str, data_dir: str) -> None:
    try:
      self.classifier = offline_score.load_classifier(path or None, data_dir=data_dir or None)
    except offline_score.ClassifierFileError as e:
      raise _with_opt_out(e, "offline_score") from None
    self.classifier_reference = offline_score.reference_statistics(
        self.classifier, data_dir=data_dir or None)

  def _load_inception(self, path: str, data_dir: str) -> None:
    resolved = paths.resolve_data_dir(data_dir)
    weights_path = pathlib.Path(path) if path else weights.default_weights_path(
        resolved, with_logits=self.want_is)
    flag = "inception_score" if self.want_is else "fid"
    try:
      variables = weights.load_weights(weights_path, with_logits=self.want_is)
    except weights.WeightFileError as e:
      raise _with_opt_out(e, flag) from None
    self.inception = inception.InceptionNetwork(variables, input_range=(-1.0, 1.0))
    if self.want_fid:
      train = cifar10.load(resolved, "train")
      self.inception_reference = inception.reference_statistics(
          self.inception, train.images, (0, 255), cache_path=_fid_cache_path(weights_path))

  def __call__(self, samples: np.ndarray) -> dict:
    """samples [N, 32, 32, 3] in [-1, 1] -> {'classifier_score', 'classifier_score_std',
    'classifier_frechet_distance', 'fid', 'inception_score', 'inception_score_std'} (the
    requested ones)."""
    results = {}
    if self.classifier is not None:
      results.update(offline_score.offline_scores(self.classifier, samples,
                                                  self.classifier_reference))
      results["classifier_sha256"] = self.classifier.sha256
    if self.inception is not None and self.want_fid:
      results["fid"] = inception.fid(self.inception, samples, self.inception_reference)
    if self.inception is not None and self.want_is:
      results["inception_score"], results["inception_score_std"] = inception.inception_score(
          self.inception, samples)
    return results


def requested(eval_config) -> bool:
  """Whether `eval_config` asks for any sample score (without loading a file)."""
  return any(bool(eval_config.get(flag, False))
             for flag in ("offline_score", "fid", "inception_score"))


def build(eval_config, data_dir: str = "") -> Optional[SampleScorers]:
  """-> SampleScorers, or None when the config asks for no score."""
  scorers = SampleScorers(eval_config, data_dir)
  return scorers if scorers.active else None
