"""CIFAR-10 from the official python-pickle tarball, as a data source and as uint8 arrays.

The tarball is looked up as `<data_dir>/cifar10/cifar-10-python.tar.gz`. Its members
(`cifar-10-batches-py/data_batch_1..5`, `test_batch`) are read in memory (no extraction to disk);
each is a Python-2 pickle of {b'data': [N, 3072] uint8 (R, G, B planes of 32x32), b'labels': [N]}.
The decoded arrays are cached as an uncompressed .npz in the per-user cache
(`~/.cache/gen_models/data/cifar10/`), never next to the tarball: data folders are treated as
read-only (shared data must stay byte-identical to its manifest). A cache whose recorded tarball
size/mtime no longer match is rebuilt.

`download(data_dir)` fetches the tarball for users online and checks the official MD5. A file the
user supplied is not required to match it (re-packed copies are common, e.g. the one in this
project's shared data), so a mismatch there is a warning, not an error.
"""

import dataclasses
import hashlib
import os
import pathlib
import pickle
import tarfile
import urllib.request
import warnings
import zlib

import numpy as np

from gen_models.data import paths, shuffle

FOLDER = "cifar10"
TARBALL = "cifar-10-python.tar.gz"
URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
MD5 = "c58f30108f718f92721af3b95e74349a"
MEMBER_DIR = "cifar-10-batches-py"
TRAIN_MEMBERS = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_MEMBERS = ("test_batch",)
CLASSES = ("airplane", "automobile", "bird", "cat", "deer",
           "dog", "frog", "horse", "ship", "truck")
IMAGE_SHAPE = (32, 32, 3)
CACHE_NAME = "cifar-10-python.npz"
CACHE_VERSION = 1


class DataFileError(FileNotFoundError):
  pass


def _how_to_get(folder: pathlib.Path) -> str:
  return (f"Put the official {TARBALL} (from {URL}, md5 {MD5}) in {folder} (set data.data_dir or "
          f"$GEN_MODELS_DATA_DIR to its parent folder), or run `python -c \"from gen_models.data "
          f"import cifar10; cifar10.download('{folder.parent}')\"` where the internet is reachable")


def tarball_path(data_dir) -> pathlib.Path:
  return pathlib.Path(data_dir) / FOLDER / TARBALL


def md5sum(path) -> str:
  return paths.file_digest(path, "md5")


def download(data_dir, url: str = URL, md5: str = MD5) -> pathlib.Path:
  """Downloads the tarball into `<data_dir>/cifar10/` unless present; a wrong MD5 is an error."""
  target = tarball_path(data_dir)
  if target.is_file():
    return target
  target.parent.mkdir(parents=True, exist_ok=True)
  tmp = target.with_name(TARBALL + ".part")
  urllib.request.urlretrieve(url, tmp)
  digest = md5sum(tmp)
  if digest != md5:
    tmp.unlink()
    raise DataFileError(f"checksum mismatch for downloaded {TARBALL} from {url}: md5 {digest}, "
                        f"expected {md5}")
  tmp.replace(target)
  return target


def _decode_batch(raw: bytes, name: str):
  """One pickled batch -> ([N, 32, 32, 3] uint8, [N] int32)."""
  batch = pickle.loads(raw, encoding="bytes")
  data = np.asarray(batch[b"data"], dtype=np.uint8)
  labels = np.asarray(batch[b"labels"], dtype=np.int32)
  if data.ndim != 2 or data.shape[1] != 3072 or data.shape[0] != labels.shape[0]:
    raise ValueError(f"member {name}: data {data.shape} and labels {labels.shape} do not form "
                     f"[N, 3072] images with N labels")
  if labels.size and (labels.min() < 0 or labels.max() > 9):
    raise ValueError(f"member {name}: labels outside 0..9")
  # Rows are channel-major (1024 R, 1024 G, 1024 B values, each a 32x32 row-major plane).
  images = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
  return np.ascontiguousarray(images), labels


def read_tarball(path) -> dict:
  """Decodes the official tarball in memory.

  Returns {'train_images': [50000, 32, 32, 3] uint8, 'train_labels': [50000] int32,
  'test_images': [10000, 32, 32, 3] uint8, 'test_labels': [10000] int32} (sizes of the official
  release; a smaller file in the same layout gives smaller arrays).
  """
  path = pathlib.Path(path)
  if not path.is_file():
    raise DataFileError(f"CIFAR-10 tarball {path.name} missing in {path.parent}. "
                        + _how_to_get(path.parent))
  wanted = {f"{MEMBER_DIR}/{m}": m for m in TRAIN_MEMBERS + TEST_MEMBERS}
  decoded = {}
  try:
    with tarfile.open(path, "r:*") as tar:
      for member in tar:
        if member.name in wanted:
          decoded[wanted[member.name]] = _decode_batch(tar.extractfile(member).read(), member.name)
  except (tarfile.TarError, EOFError, OSError, zlib.error, pickle.UnpicklingError, KeyError,
          ValueError, TypeError) as e:
    raise DataFileError(f"{path} is not a readable CIFAR-10 python tarball ({type(e).__name__}: "
                        f"{e}). " + _how_to_get(path.parent)) from None
  missing = [f"{MEMBER_DIR}/{m}" for m in TRAIN_MEMBERS + TEST_MEMBERS if m not in decoded]
  if missing:
    raise DataFileError(f"{path} lacks members {', '.join(missing)}. " + _how_to_get(path.parent))

  def cat(members, i):
    return np.concatenate([decoded[m][i] for m in members])

  return {"train_images": cat(TRAIN_MEMBERS, 0), "train_labels": cat(TRAIN_MEMBERS, 1),
          "test_images": cat(TEST_MEMBERS, 0), "test_labels": cat(TEST_MEMBERS, 1)}


def _cache_candidates(tarball: pathlib.Path, cache_dir) -> list[pathlib.Path]:
  if cache_dir is not None:
    return [pathlib.Path(cache_dir) / CACHE_NAME]
  # The per-user cache is keyed by the tarball's folder so two data dirs never share a cache.
  key = hashlib.sha1(str(tarball.resolve()).encode()).hexdigest()[:12]
  return [paths.default_cache_dir() / FOLDER / f"cifar-10-python-{key}.npz"]


def _fingerprint(tarball: pathlib.Path) -> np.ndarray:
  stat = tarball.stat()
  return np.array([CACHE_VERSION, stat.st_size, stat.st_mtime_ns], np.int64)


def _read_cache(candidate: pathlib.Path, fingerprint: np.ndarray):
  try:
    with np.load(candidate) as cached:
      if not np.array_equal(cached["fingerprint"], fingerprint):
        return None
      return {k: cached[k] for k in ("train_images", "train_labels", "test_images", "test_labels")}
  except (OSError, KeyError, ValueError, EOFError, zlib.error):
    return None  # unreadable or stale cache: rebuilt below


def _write_cache(candidates, arrays, fingerprint) -> None:
  for candidate in candidates:
    try:
      candidate.parent.mkdir(parents=True, exist_ok=True)
      tmp = candidate.with_name(candidate.name + f".{os.getpid()}.tmp.npz")
      np.savez(tmp, fingerprint=fingerprint, **arrays)
      tmp.replace(candidate)  # atomic: a concurrent reader never sees half a file
      return
    except OSError:
      continue  # read-only folder: try the next candidate


def load_arrays(data_dir, cache_dir=None, use_cache: bool = True) -> dict:
  """All of CIFAR-10 as uint8 images and int32 labels (see `read_tarball`), via the .npz cache.

  Decoding the tarball (first use) checks its MD5 and warns when it is not the official file.
  """
  tarball = tarball_path(data_dir)
  if not tarball.is_file():
    raise DataFileError(f"CIFAR-10 tarball {TARBALL} missing in {tarball.parent}. "
                        + _how_to_get(tarball.parent))
  fingerprint = _fingerprint(tarball)
  candidates = _cache_candidates(tarball, cache_dir)
  if use_cache:
    for candidate in candidates:
      if candidate.is_file():
        arrays = _read_cache(candidate, fingerprint)
        if arrays is not None:
          return arrays
  arrays = read_tarball(tarball)
  digest = md5sum(tarball)
  if digest != MD5:
    warnings.warn(f"{tarball} has md5 {digest}, not the official {MD5}: using it as supplied "
                  f"(a re-packed copy gives slightly different images, so absolute Inception "
                  f"scores/FIDs are not comparable with published ones)", stacklevel=2)
  if use_cache:
    _write_cache(candidates, arrays, fingerprint)
  return arrays


@dataclasses.dataclass(frozen=True)
class Split:
  images: np.ndarray  # [N, 32, 32, 3] uint8
  labels: np.ndarray  # [N] int32


def load(data_dir, split: str, cache_dir=None) -> Split:
  """`split` in {'train' (50k), 'test' (10k)} as uint8 arrays, e.g. for FID reference statistics."""
  if split not in ("train", "test"):
    raise ValueError(f"unknown CIFAR-10 split {split!r}; known: train, test")
  arrays = load_arrays(data_dir, cache_dir)
  return Split(arrays[f"{split}_images"], arrays[f"{split}_labels"])


def to_unit_range(images: np.ndarray) -> np.ndarray:
  """uint8 [..., H, W, C] in 0..255 -> float32 in [-1, 1]."""
  return images.astype(np.float32) / 127.5 - 1.0


def filter_classes(split: Split, keep=(), drop=()) -> Split:
  """Keeps only the classes in `keep` (empty: all) and removes those in `drop` (e.g. the
  held-out class of Chapter 4's leave-one-class-out protocol)."""
  for c in tuple(keep) + tuple(drop):
    if not 0 <= int(c) < len(CLASSES):
      raise ValueError(f"CIFAR-10 class {c} outside 0..{len(CLASSES) - 1} ({', '.join(CLASSES)})")
  mask = np.ones(len(split.labels), bool)
  if len(keep):
    mask &= np.isin(split.labels, list(keep))
  if len(drop):
    mask &= ~np.isin(split.labels, list(drop))
  return Split(split.images[mask], split.labels[mask])


class Cifar10Source:
  """Shuffled CIFAR-10 batches; batch `i` is a pure function of (seed, i).

  Batch i is the (i mod E)-th slice of epoch i // E's permutation, E = N // batch_size (the
  last partial batch of each epoch is dropped); epoch e's permutation is drawn from a NumPy
  generator seeded by (seed, e), so resuming needs no iterator state. `keep_classes` /
  `drop_classes` filter the training split only; `eval_set('test')` keeps every class, so a
  held-out class shows up at test time (thesis section 4.2.1).
  """

  def __init__(self, data_dir, batch_size: int, seed: int, split: str = "train", cache_dir=None,
               keep_classes=(), drop_classes=()):
    self.data_dir = paths.given(data_dir)
    self.cache_dir = cache_dir
    data = filter_classes(load(self.data_dir, split, cache_dir), keep_classes, drop_classes)
    if batch_size > len(data.labels):
      raise ValueError(f"batch size {batch_size} exceeds the {len(data.labels)} {split} images"
                       f" (after the class filter keep={tuple(keep_classes)}, "
                       f"drop={tuple(drop_classes)})")
    self.images, self.labels = data.images, data.labels
    self.batch_size = batch_size
    self.seed = seed
    self.data_shape = IMAGE_SHAPE
    self.num_classes = len(CLASSES)
    self.batches_per_epoch = len(self.labels) // batch_size

  def batch_indices(self, index: int) -> np.ndarray:
    """Image indices of batch `index`. [B] int64."""
    return shuffle.epoch_batch_indices(self.seed, index, len(self.labels), self.batch_size)

  def batches(self, first_index: int, count: int) -> dict:
    """{'x': [count, B, 32, 32, 3] float32 in [-1, 1], 'label': [count, B] int32}."""
    idx = np.stack([self.batch_indices(first_index + j) for j in range(count)])
    return {"x": to_unit_range(self.images[idx]), "label": self.labels[idx]}

  def eval_set(self, split: str = "test", num_examples: int = 0):
    """The first `num_examples` (0: all) images of `split` in file order: ([N, 32, 32, 3]
    float32 in [-1, 1], [N] int32). 'test' has every class; 'train' is the training set this
    source samples from (class filter applied), as MNISTSource.eval_set."""
    data = (Split(self.images, self.labels) if split == "train"
            else load(self.data_dir, split, self.cache_dir))
    n = len(data.labels) if not num_examples else min(num_examples, len(data.labels))
    return to_unit_range(data.images[:n]), data.labels[:n]
