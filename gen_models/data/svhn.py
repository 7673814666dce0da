"""SVHN (cropped digits, format 2) from its official MATLAB files, or from TFDS when installed.

Files are looked up in `<data_dir>/svhn/` under their official names. Each holds `X`
[32, 32, 3, N] uint8 and `y` [N, 1] with labels 1..10, where 10 means the digit 0; `load`
returns images [N, 32, 32, 3] uint8 and labels 0..9. Offline, a missing file is an error naming
the files, the folder and where to get them. TFDS (`svhn_cropped`, same arrays with labels
already 0..9) is a fallback only when `tensorflow_datasets` happens to be importable.
"""

import importlib.util
import pathlib

import numpy as np
import scipy.io

from gen_models.data.mnist import DataFileError, Split

FILES = {"train": "train_32x32.mat", "test": "test_32x32.mat", "extra": "extra_32x32.mat"}
OFFICIAL_URL = "http://ufldl.stanford.edu/housenumbers/"
TFDS_NAME = "svhn_cropped"


def read_mat(path) -> Split:
  """Parses one official .mat file -> Split(images [N, 32, 32, 3] uint8, labels [N] int32)."""
  path = pathlib.Path(path)
  try:
    mat = scipy.io.loadmat(path, variable_names=("X", "y"))
  except (ValueError, TypeError, OSError, scipy.io.matlab.MatReadError) as e:
    raise DataFileError(f"cannot read {path} as a MATLAB file: {e}") from None
  if "X" not in mat or "y" not in mat:
    raise DataFileError(f"{path} lacks the SVHN variables X and y (found "
                        f"{sorted(k for k in mat if not k.startswith('__'))})")
  x, y = mat["X"], np.asarray(mat["y"]).reshape(-1)
  if x.ndim != 4 or x.shape[:3] != (32, 32, 3) or x.dtype != np.uint8:
    raise DataFileError(f"{path}: X must be [32, 32, 3, N] uint8, got {x.dtype} {x.shape}")
  if x.shape[3] != y.shape[0]:
    raise DataFileError(f"{path}: {x.shape[3]} images but {y.shape[0]} labels")
  if y.size and (y.min() < 1 or y.max() > 10):
    raise DataFileError(f"{path}: labels must lie in 1..10 (10 = digit 0), found "
                        f"{y.min()}..{y.max()}")
  images = np.ascontiguousarray(np.transpose(x, (3, 0, 1, 2)))
  return Split(images, (y % 10).astype(np.int32))


def _folder(data_dir) -> pathlib.Path:
  return pathlib.Path(data_dir) / "svhn"


def tfds_available() -> bool:
  return importlib.util.find_spec("tensorflow_datasets") is not None


def _load_tfds(split: str, data_dir) -> Split:
  import tensorflow_datasets as tfds  # optional: only where the user installed it
  arrays = tfds.as_numpy(tfds.load(TFDS_NAME, split=split, batch_size=-1,
                                   data_dir=str(pathlib.Path(data_dir) / "tfds")))
  return Split(np.asarray(arrays["image"], np.uint8), np.asarray(arrays["label"], np.int32))


def load(data_dir, split: str, use_tfds: bool = True) -> Split:
  """`split` in {'train' (73,257), 'test' (26,032), 'extra' (531,131)}.

  Reads `<data_dir>/svhn/<split>_32x32.mat`; when it is missing and `use_tfds` is set and
  tensorflow_datasets is importable, loads TFDS `svhn_cropped` (cached in `<data_dir>/tfds/`).
  """
  if split not in FILES:
    raise ValueError(f"unknown SVHN split {split!r}; known: {', '.join(FILES)}")
  path = _folder(data_dir) / FILES[split]
  if path.is_file():
    return read_mat(path)
  if use_tfds and tfds_available():
    return _load_tfds(split, data_dir)
  raise DataFileError(
      f"SVHN file {FILES[split]} missing in {_folder(data_dir)}. Download the official "
      f"cropped-digit files ({', '.join(FILES.values())}) from {OFFICIAL_URL} into that folder "
      f"(set data.data_dir or $GEN_MODELS_DATA_DIR to its parent), or install "
      f"tensorflow_datasets to load TFDS '{TFDS_NAME}' instead")
