"""Fully offline sample scores from the project's own CIFAR-10 classifier.

NOT the published metrics. The "classifier score (CIFAR-10 classifier of this project)" is the
Inception-score formula exp(E_x KL(p(y|x) || p(y))) with p(y|x) from the 10-way classifier of
`models/classifier.py` (so it lies in [1, 10]); the "classifier Frechet distance" is the Frechet
distance between Gaussians fitted to that classifier's penultimate features (128-d by default) of
the samples and of the CIFAR-10 training set. Neither is comparable with Inception scores or FIDs
in papers (those are `evaluation/inception.py`); both only compare runs scored with the same
classifier file, whose SHA-256 every result should carry.

Life cycle:
1. `python launch/main.py --config=experiments/cifar10_classifier.py --workdir=RUN` trains it;
2. `python tools/export_classifier.py --workdir=RUN` calls `export_classifier`: the variables go
   to `<data_dir>/classifiers/cifar10_classifier.npz` (per-user cache
   `~/.cache/gen_models/data/classifiers/` when the data folder is read-only) with a JSON sidecar
   (architecture, test accuracy, SHA-256 of the .npz, git commit), and computes the training-set
   reference statistics next to it (`cifar10_classifier_train_stats.npz` + sidecar);
3. `load_classifier(path)` refuses a missing file or one whose SHA-256 differs from the sidecar;
   `offline_scores(classifier, images, reference_statistics(classifier))` scores samples.
"""

import dataclasses
import json
import os
import pathlib
import stat
from typing import Optional

import flax
import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from gen_models.data import batching, cifar10, paths
from gen_models.evaluation import scores
from gen_models.models import classifier as classifier_lib

SCORE_NAME = "classifier score (CIFAR-10 classifier of this project)"
FRECHET_NAME = "classifier Frechet distance (CIFAR-10 classifier of this project)"
FOLDER = "classifiers"
CLASSIFIER_FILE = "cifar10_classifier.npz"
STATS_SUFFIX = "_train_stats.npz"
HOW_TO_MAKE = ("train it with `python launch/main.py --config=experiments/cifar10_classifier.py "
               "--workdir=RUN_DIR`, then export it with `python tools/export_classifier.py "
               "--workdir=RUN_DIR` (gen_models/evaluation/offline_score.py)")


class ClassifierFileError(FileNotFoundError):
  pass


def sha256_file(path) -> str:
  return paths.file_digest(path, "sha256")


def sidecar_path(path) -> pathlib.Path:
  """`x.npz` -> `x.json`."""
  return pathlib.Path(path).with_suffix(".json")


def _candidates(data_dir) -> list[pathlib.Path]:
  """The data folder first, then the per-user cache (for read-only data folders)."""
  return [pathlib.Path(data_dir) / FOLDER / CLASSIFIER_FILE,
          paths.default_cache_dir() / FOLDER / CLASSIFIER_FILE]


def default_classifier_path(data_dir=None) -> pathlib.Path:
  """Where `load_classifier` looks: the first existing candidate, else the data-folder one."""
  candidates = _candidates(paths.given(data_dir))
  return next((c for c in candidates if c.is_file()), candidates[0])


def _writable(folder: pathlib.Path) -> bool:
  """Whether `folder` (or its nearest existing ancestor) may be written. Folders without the
  owner's write bit count as read-only even for root, whom os.access always lets write."""
  while not folder.exists() and folder != folder.parent:
    folder = folder.parent
  return os.access(folder, os.W_OK) and bool(folder.stat().st_mode & stat.S_IWUSR)


def default_export_path(data_dir=None) -> pathlib.Path:
  """`<data_dir>/classifiers/cifar10_classifier.npz`, or the per-user cache when that folder
  is read-only."""
  candidates = _candidates(paths.given(data_dir))
  for candidate in candidates:
    if not _writable(candidate.parent):
      continue
    try:
      candidate.parent.mkdir(parents=True, exist_ok=True)
      return candidate
    except OSError:
      continue
  raise ClassifierFileError(f"none of {', '.join(str(c.parent) for c in candidates)} is "
                            f"writable; pass an explicit output path")


# ---- the loaded classifier -----------------------------------------------------------------
@dataclasses.dataclass(frozen=True, eq=False)
class OfflineClassifier:
  """A loaded classifier: model config, Flax variables, the sidecar's metadata."""

  model_config: dict
  variables: dict
  metadata: dict
  path: Optional[pathlib.Path] = None

  def __post_init__(self):
    model = classifier_lib.build_classifier(ml_collections.ConfigDict(self.model_config))
    apply = jax.jit(lambda v, x: model.apply(v, x, train=False))
    object.__setattr__(self, "_apply", apply)

  @property
  def sha256(self) -> Optional[str]:
    return self.metadata.get("sha256")

  def __call__(self, images) -> dict:
    """images [B, 32, 32, 3] in [-1, 1] -> {'features': [B, D], 'logits': [B, 10]}."""
    if images.ndim != 4 or tuple(images.shape[1:]) != cifar10.IMAGE_SHAPE:
      raise ValueError(f"the CIFAR-10 classifier takes [B, 32, 32, 3] images in [-1, 1], got "
                       f"shape {tuple(images.shape)}")
    return self._apply(self.variables, jnp.asarray(images, jnp.float32))

  def features(self, images) -> np.ndarray:
    return np.asarray(self(images)["features"])

  def logits(self, images) -> np.ndarray:
    return np.asarray(self(images)["logits"])


def _flatten(variables: dict) -> dict:
  return {k: np.asarray(v) for k, v in
          flax.traverse_util.flatten_dict(jax.device_get(variables), sep="/").items()}


def save_classifier(path, model_config: dict, variables: dict, metadata: dict) -> pathlib.Path:
  """Writes the variables as .npz ('params/stem/Conv_0/kernel', ...) and the JSON sidecar
  {'model', 'sha256', ...metadata}; returns the .npz path."""
  path = pathlib.Path(path)
  path.parent.mkdir(parents=True, exist_ok=True)
  tmp = path.with_name(path.name + f".{os.getpid()}.tmp.npz")
  np.savez(tmp, **_flatten(variables))
  tmp.replace(path)
  sidecar = {"name": SCORE_NAME, "frechet_name": FRECHET_NAME, **metadata,
             "model": dict(model_config), "file": path.name, "sha256": sha256_file(path)}
  sidecar_path(path).write_text(json.dumps(sidecar, indent=2, sort_keys=True) + "\n")
  return path


def load_classifier(path=None, data_dir=None) -> OfflineClassifier:
  """Loads an exported classifier after checking the .npz's SHA-256 against its sidecar.

  path: the .npz; default `default_classifier_path(data_dir)`.
  """
  path = pathlib.Path(path) if path else default_classifier_path(data_dir)
  side = sidecar_path(path)
  missing = [p.name for p in (path, side) if not p.is_file()]
  if missing:
    raise ClassifierFileError(f"CIFAR-10 classifier file(s) {', '.join(missing)} missing in "
                              f"{path.parent}; {HOW_TO_MAKE}")
  try:
    metadata = json.loads(side.read_text())
    expected, model_config = metadata["sha256"], metadata["model"]
  except (json.JSONDecodeError, KeyError, TypeError) as e:
    raise ClassifierFileError(f"{side} is not a valid classifier sidecar ({type(e).__name__}: "
                              f"{e}); re-export it: {HOW_TO_MAKE}") from None
  actual = sha256_file(path)
  if actual != expected:
    raise ClassifierFileError(f"{path} has SHA-256 {actual}, but {side.name} records {expected}: "
                              f"the file was changed or replaced; re-export it: {HOW_TO_MAKE}")
  with np.load(path) as f:
    flat = {k: f[k] for k in f.files}
  variables = flax.traverse_util.unflatten_dict(flat, sep="/")
  return OfflineClassifier(model_config, variables, metadata, path)


# ---- reference statistics and scores ---------------------------------------------------------
def statistics_path(classifier: OfflineClassifier) -> pathlib.Path:
  """`<classifier>_train_stats.npz` next to the classifier file."""
  if classifier.path is None:
    raise ValueError("this classifier has no file; pass cache_path explicitly")
  return classifier.path.with_name(classifier.path.stem + STATS_SUFFIX)


def reference_statistics(classifier: OfflineClassifier, images=None, data_dir=None,
                         cache_path=None, batch_size: int = 500) -> scores.GaussianStatistics:
  """Gaussian statistics of the classifier features of the CIFAR-10 training set (or of
  `images` [N, 32, 32, 3] in [-1, 1]), cached at `cache_path` (default `statistics_path`).

  The cache's sidecar records its own SHA-256 and the classifier's: a cache of another
  classifier is recomputed; a cache whose file no longer matches its checksum is an error.
  """
  cache = pathlib.Path(cache_path) if cache_path else statistics_path(classifier)
  side = sidecar_path(cache)
  if cache.is_file() and side.is_file():
    meta = json.loads(side.read_text())
    if meta.get("classifier_sha256") == classifier.sha256:
      actual = sha256_file(cache)
      if actual != meta.get("sha256"):
        raise ClassifierFileError(f"{cache} has SHA-256 {actual}, but {side.name} records "
                                  f"{meta.get('sha256')}; delete both files to recompute them")
      return scores.load_statistics(cache)
  if images is None:
    train = cifar10.load(paths.given(data_dir), "train")
    images, source = cifar10.to_unit_range(train.images), "CIFAR-10 training set"
  else:
    source = "user-supplied images"
  stats = scores.feature_statistics(classifier.features, images, batch_size)
  cache.parent.mkdir(parents=True, exist_ok=True)
  scores.save_statistics(cache, stats)
  side.write_text(json.dumps({"images": source, "count": stats.count,
                              "classifier_sha256": classifier.sha256,
                              "sha256": sha256_file(cache)}, indent=2, sort_keys=True) + "\n")
  return stats


def offline_scores(classifier: OfflineClassifier, images, reference_stats,
                   splits: int = 10, batch_size: int = 500) -> dict:
  """The classifier score (CIFAR-10 classifier of this project) and the classifier Frechet
  distance of images [N, 32, 32, 3] in [-1, 1] against `reference_stats`. NOT IS/FID.

  Returns {'classifier_score', 'classifier_score_std' (over `splits` parts),
  'classifier_frechet_distance'}.
  """
  num_classes = classifier.model_config["num_classes"]

  def both(x):  # one pass through the network for logits and features
    out = classifier(x)
    return jnp.concatenate([out["logits"], out["features"]], axis=-1)

  outputs = batching.map_batches(both, images, batch_size)
  logits, features = outputs[:, :num_classes], outputs[:, num_classes:]
  score, score_std = scores.inception_score_from_logits(logits, splits)
  distance = scores.frechet_distance(scores.gaussian_statistics(features), reference_stats)
  return {"classifier_score": score, "classifier_score_std": score_std,
          "classifier_frechet_distance": distance}
