"""MNIST and Fashion-MNIST from their official IDX files.

Files are looked up in `<data_dir>/mnist/` (or `<data_dir>/fashion_mnist/`) under their official
names. `download(name, data_dir)` fetches them for users online and checks their SHA-256; offline,
a missing file raises an error naming every file and the directory expected.
"""

import dataclasses
import gzip
import pathlib
import urllib.request

import numpy as np

from gen_models.data import paths

FILES = {
    "train_images": "train-images-idx3-ubyte.gz", "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz", "test_labels": "t10k-labels-idx1-ubyte.gz",
}
# SHA-256 of the official files (MNIST) and of Debian's re-gzipped Fashion-MNIST (same arrays).
SHA256 = {
    "mnist": {
        "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    },
    "fashion_mnist": {
        "train-images-idx3-ubyte.gz": "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
        "train-labels-idx1-ubyte.gz": "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
        "t10k-images-idx3-ubyte.gz": "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
        "t10k-labels-idx1-ubyte.gz": "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
    },
}
MIRRORS = {
    "mnist": "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "fashion_mnist": "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
}
NUM_VALIDATION = 10_000  # the last 10k training images: train/validation/test = 50k/10k/10k


class DataFileError(FileNotFoundError):
  pass


def read_idx(path) -> np.ndarray:
  """Parses a (gzipped) IDX file: magic 0x0000 | dtype 0x08 (uint8) | ndim, then big-endian dims."""
  path = pathlib.Path(path)
  opener = gzip.open if path.suffix == ".gz" else open
  try:
    with opener(path, "rb") as f:
      raw = f.read()
  except (OSError, EOFError) as e:
    raise DataFileError(f"cannot read {path}: {e}") from None
  if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
    raise DataFileError(f"{path} is not a uint8 IDX file (bad magic number)")
  ndim = raw[3]
  dims = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
  data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
  if data.size != int(np.prod(dims)):
    raise DataFileError(f"{path} is truncated or corrupt: header says {dims}, "
                        f"found {data.size} values")
  return data.reshape(dims)


def _folder(name: str, data_dir) -> pathlib.Path:
  if name not in SHA256:
    raise ValueError(f"unknown IDX data set {name!r}; known: {sorted(SHA256)}")
  return pathlib.Path(data_dir) / name


def missing_files(name: str, data_dir) -> list[str]:
  folder = _folder(name, data_dir)
  return [f for f in FILES.values() if not (folder / f).is_file()]


def download(name: str, data_dir) -> pathlib.Path:
  """Downloads the missing files of `name` into `<data_dir>/<name>/`, verifying SHA-256."""
  folder = _folder(name, data_dir)
  folder.mkdir(parents=True, exist_ok=True)
  for filename in missing_files(name, data_dir):
    tmp = folder / (filename + ".part")
    urllib.request.urlretrieve(MIRRORS[name] + filename, tmp)
    digest = paths.file_digest(tmp)
    if digest != SHA256[name][filename]:
      tmp.unlink()
      raise DataFileError(f"checksum mismatch for downloaded {filename}: {digest}")
    tmp.replace(folder / filename)
  return folder


@dataclasses.dataclass(frozen=True)
class Split:
  images: np.ndarray  # [N, 28, 28, 1] uint8
  labels: np.ndarray  # [N] int32


def load(name: str, data_dir, split: str) -> Split:
  """`split` in {'train' (50k), 'validation' (10k), 'train_full' (60k), 'test' (10k)}."""
  folder = _folder(name, data_dir)
  missing = missing_files(name, data_dir)
  if missing:
    raise DataFileError(
        f"{name} files missing in {folder}: {', '.join(missing)}. Put the official files there "
        f"(set data.data_dir or $GEN_MODELS_DATA_DIR to their parent folder), or run "
        f"`python -c \"from gen_models.data import mnist; mnist.download('{name}', '{data_dir}')\"`"
        f" where the internet is reachable")
  prefix = "test" if split == "test" else "train"
  images = read_idx(folder / FILES[f"{prefix}_images"])[..., None]
  labels = read_idx(folder / FILES[f"{prefix}_labels"]).astype(np.int32)
  if images.shape[0] != labels.shape[0]:
    raise DataFileError(f"{folder}: {images.shape[0]} images but {labels.shape[0]} labels")
  if split in ("test", "train_full"):
    return Split(images, labels)
  if split == "train":
    return Split(images[:-NUM_VALIDATION], labels[:-NUM_VALIDATION])
  if split == "validation":
    return Split(images[-NUM_VALIDATION:], labels[-NUM_VALIDATION:])
  raise ValueError(f"unknown split {split!r}; known: train, validation, train_full, test")


def filter_classes(split: Split, keep=None, drop=None) -> Split:
  """Keeps only the classes in `keep` and/or removes those in `drop` (e.g. a held-out digit)."""
  mask = np.ones(len(split.labels), bool)
  if keep is not None:
    mask &= np.isin(split.labels, list(keep))
  if drop is not None:
    mask &= ~np.isin(split.labels, list(drop))
  return Split(split.images[mask], split.labels[mask])


def subset_rows(num_images: int, size: int, seed: int) -> np.ndarray:
  """`size` distinct rows of 0..num_images-1, drawn by `seed`, sorted. [size] int."""
  if not 0 < size <= num_images:
    raise ValueError(f"data.train_subset must be in 1..{num_images} (the training images "
                     f"after the class filter), got {size}")
  rng = _rng(seed, _SUBSET_STREAM, 0)
  return np.sort(rng.choice(num_images, size, replace=False))


# ---- binarized (or grey-level) batches for training and a fixed binarization for evaluation ----
IDX_DATASETS = tuple(SHA256)
# Separate seed streams: epoch permutations, training binarization, evaluation binarization,
# the training subset.
_PERMUTATION_STREAM, _TRAIN_STREAM, _EVAL_STREAM, _SUBSET_STREAM = 0xA5, 0xB1, 0xE7, 0x5B
_SPLIT_IDS = {"train": 0, "validation": 1, "train_full": 2, "test": 3}


def binarize(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
  """One Bernoulli draw per pixel with p = intensity / 255. uint8 [N, ...] -> float32 {0, 1}."""
  return (rng.uniform(size=images.shape) < images / 255.0).astype(np.float32)


def to_unit_interval(images: np.ndarray) -> np.ndarray:
  """Grey levels in [0, 1]. uint8 -> float32."""
  return images.astype(np.float32) / 255.0


def _rng(seed: int, stream: int, index: int) -> np.random.Generator:
  return np.random.default_rng(np.random.SeedSequence([seed, stream, index]))


class MNISTSource:
  """MNIST / Fashion-MNIST batches; batch `i` is a pure function of (seed, i).

  Examples are visited epoch by epoch, each epoch in its own seeded permutation of the training
  split; with `binarize`, every batch is a fresh Bernoulli draw seeded by (seed, i) (dynamic
  binarization, thesis section 4.2.2), otherwise grey levels in [0, 1]. `keep_classes` /
  `drop_classes` filter the *training and validation* splits only: the test split keeps every
  class, so a held-out digit shows up at test time (thesis section 4.2.1).

  `train_subset` > 0 keeps that many distinct training images (after the class filter), drawn
  without replacement by `subset_seed` alone (not the run's seed), so runs with different
  seeds share one subset (thesis section 3.5.5's random 1,000-digit subset). `subset_rows` are
  their rows in the (filtered) training split; the validation split (the last 10k training
  images) is disjoint from them by construction.
  """

  def __init__(self, name: str, data_dir, batch_size: int, seed: int, binarize: bool = True,
               keep_classes=(), drop_classes=(), eval_seed: int = 0, train_subset: int = 0,
               subset_seed: int = 0):
    self.name = name
    self.batch_size = batch_size
    self.seed = seed
    self.binarize = binarize
    self.eval_seed = eval_seed
    self.data_dir = data_dir
    self._filter = dict(keep=tuple(keep_classes) or None, drop=tuple(drop_classes) or None)
    self.train = filter_classes(load(name, data_dir, "train"), **self._filter)
    self.subset_rows = None
    if train_subset:
      self.subset_rows = subset_rows(len(self.train.labels), train_subset, subset_seed)
      self.train = Split(self.train.images[self.subset_rows], self.train.labels[self.subset_rows])
    if len(self.train.labels) < batch_size:
      raise ValueError(f"{name}: {len(self.train.labels)} training images after the class "
                       f"filter {self._filter}, fewer than batch_size {batch_size}")
    self.data_shape = self.train.images.shape[1:]
    self._perms = {}
    self._eval_sets = {}

  def _permutation(self, epoch: int) -> np.ndarray:
    if epoch not in self._perms:
      if len(self._perms) > 2:  # a run only ever needs the current and the next epoch
        self._perms.pop(min(self._perms))
      self._perms[epoch] = _rng(self.seed, _PERMUTATION_STREAM, epoch).permutation(
          len(self.train.labels))
    return self._perms[epoch]

  def indices(self, batch_index: int) -> np.ndarray:
    """Training-set rows of batch `batch_index`. [B] int."""
    n = len(self.train.labels)
    positions = batch_index * self.batch_size + np.arange(self.batch_size)
    epochs, offsets = np.divmod(positions, n)
    return np.concatenate([self._permutation(int(e))[offsets[epochs == e]]
                           for e in np.unique(epochs)])

  def _pixels(self, images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return binarize(images, rng) if self.binarize else to_unit_interval(images)

  def batch(self, batch_index: int) -> dict:
    """{'x': [B, 28, 28, 1] float32, 'label': [B] int32}."""
    rows = self.indices(batch_index)
    x = self._pixels(self.train.images[rows], _rng(self.seed, _TRAIN_STREAM, batch_index))
    return {"x": x, "label": self.train.labels[rows]}

  def batches(self, first_index: int, count: int) -> dict:
    """Batches first_index .. first_index+count-1, stacked: {'x': [count, B, 28, 28, 1], ...}."""
    items = [self.batch(first_index + j) for j in range(count)]
    return {k: np.stack([b[k] for b in items]) for k in items[0]}

  def eval_set(self, split: str = "test", num_examples: int = 0):
    """The first `num_examples` (0: all) images of `split`, binarized once with `eval_seed`
    (the same draw for every model and run), and their labels: ([N, 28, 28, 1], [N]).
    'train' is the training set this source samples from (class filter and subset applied)."""
    if split not in self._eval_sets:
      data = self.train if split == "train" else load(self.name, self.data_dir, split)
      if split == "validation":
        data = filter_classes(data, **self._filter)
      # The draw covers the whole split, so a prefix is the same images at every size.
      x = self._pixels(data.images, _rng(self.eval_seed, _EVAL_STREAM, _SPLIT_IDS[split]))
      self._eval_sets[split] = (x, data.labels)
    x, labels = self._eval_sets[split]
    n = len(labels) if not num_examples else min(num_examples, len(labels))
    return x[:n], labels[:n]
