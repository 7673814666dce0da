"""The per-image scores file (scores.npz) that Chapter 4's protocols read: one writer, one reader.

  labels        [N] int     labels of the scored images
  <score name>  [N] float   one array per normality score, higher = more normal (a
                            log-likelihood or bound in nats, a discriminator output, ...)
  png_bits      [N] float   optional: PNG code length of each image (evaluation/complexity.py)
  images        [N, H, W, C] uint8, optional: the scored images
"""

import dataclasses
import pathlib
from typing import Optional

import numpy as np

FILE_NAME = "scores.npz"
RESERVED = ("labels", "png_bits", "images")


class ScoresError(ValueError):
  pass


@dataclasses.dataclass
class Scores:
  labels: np.ndarray  # [N] int
  scores: dict  # name -> [N] float64
  images: Optional[np.ndarray] = None  # [N, H, W, C] uint8
  png_bits: Optional[np.ndarray] = None  # [N] float


def write(path, labels, scores: dict, images=None, png_bits=None) -> pathlib.Path:
  """Writes a scores file (compressed); checks every array against the labels' length."""
  path = pathlib.Path(path)
  labels = np.asarray(labels, np.int32)
  arrays = {"labels": labels}
  for name, values in scores.items():
    if name in RESERVED:
      raise ScoresError(f"score name {name!r} is reserved ({RESERVED})")
    values = np.asarray(values, np.float64)
    if values.shape != labels.shape:
      raise ScoresError(f"score {name!r} has shape {values.shape}, labels {labels.shape}")
    arrays[name] = values
  if not scores:
    raise ScoresError("a scores file needs at least one score array")
  if images is not None:
    images = np.asarray(images)
    if images.dtype != np.uint8 or len(images) != len(labels):
      raise ScoresError(f"images must be [N={len(labels)}, ...] uint8, got {images.dtype} "
                        f"{images.shape}")
    arrays["images"] = images
  if png_bits is not None:
    arrays["png_bits"] = np.asarray(png_bits, np.float64)
  path.parent.mkdir(parents=True, exist_ok=True)
  np.savez_compressed(path, **arrays)
  return path


def read(path) -> Scores:
  """Reads and checks a scores file; a missing or malformed one is a ScoresError naming it."""
  path = pathlib.Path(path)
  if not path.is_file():
    raise ScoresError(f"{path} is missing: the sub-run's evaluators must write {path.name} "
                      f"with 'labels' and one normality array per score "
                      f"(gen_models/evaluation/scores_file.py)")
  with np.load(path) as npz:
    arrays = {k: npz[k] for k in npz.files}
  if "labels" not in arrays:
    raise ScoresError(f"{path} has no 'labels' array (found {sorted(arrays)})")
  labels = arrays["labels"]
  if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
    raise ScoresError(f"{path}: 'labels' must be [N] integers, got {labels.dtype} {labels.shape}")
  scores = {}
  for name in sorted(k for k in arrays if k not in RESERVED):
    values = arrays[name]
    if values.shape != labels.shape or not np.issubdtype(values.dtype, np.floating):
      raise ScoresError(f"{path}: score {name!r} must be [N={len(labels)}] floats, got "
                        f"{values.dtype} {values.shape}")
    scores[name] = values.astype(np.float64)
  if not scores:
    raise ScoresError(f"{path} holds no score array besides {sorted(arrays)}")
  return Scores(labels, scores, arrays.get("images"), arrays.get("png_bits"))
