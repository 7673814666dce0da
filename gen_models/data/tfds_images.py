"""Any TFDS image data set as likelihood training data (`data.name = 'tfds_images'`): 64x64
ImageNet (`downsampled_imagenet/64x64`, Table 2.2), LSUN bedrooms (`lsun/bedroom`), ...

tensorflow-datasets is an optional extra (`pip install -e .[tfds]`; reading a prepared data set
also needs TensorFlow). `data.tfds_name` names the data set, `data.split` the training split,
the TFDS files live in <data_dir>/tensorflow_datasets (data_dir: `data.data_dir`, else
$GEN_MODELS_DATA_DIR, else the per-user cache; see `tfds_dir`). Images (the feature `image`) are read as RGB, centre-cropped to a square and resized
to `data.image_size` as image folders are (data/image_folder.py), held in memory as uint8
(`data.max_images` caps the training images, `data.max_eval_images` each evaluation split: 64x64
ImageNet's 1.28M training images take 15 GiB). Nothing is downloaded: offline, a data set that
is not prepared is a one-line error saying which files to put where.
"""

import importlib.util
import pathlib

import numpy as np
from PIL import Image

from gen_models.data import paths, shuffle
from gen_models.data.cifar10 import to_unit_range
from gen_models.data.image_folder import square_resize


class TfdsDataError(FileNotFoundError):
  """tensorflow-datasets is missing, or the data set is not prepared under data_dir."""


def tfds_available() -> bool:
  return importlib.util.find_spec("tensorflow_datasets") is not None


def tfds_dir(data_dir: str = "") -> pathlib.Path:
  """<data_dir>/tensorflow_datasets (data_dir as resolved by the run glue)."""
  return paths.given(data_dir) / "tensorflow_datasets"


def _import_tfds():
  if not tfds_available():
    raise TfdsDataError("data.name='tfds_images' needs tensorflow-datasets: pip install -e .[tfds] "
                        "(or use data.name='image_folder' with the images exported to files)")
  import tensorflow_datasets as tfds  # pylint: disable=import-outside-toplevel
  return tfds


def load_split(tfds_name: str, split: str, data_dir: str, image_size: int,
               max_images: int = 0) -> np.ndarray:
  """The first `max_images` (0: all) images of `split` -> [N, S, S, 3] uint8."""
  tfds = _import_tfds()
  folder = tfds_dir(data_dir)
  try:
    builder = tfds.builder(tfds_name, data_dir=str(folder))
    ds = builder.as_dataset(split=split, shuffle_files=False)
  except Exception as e:  # noqa: BLE001  (TFDS raises assertion, dataset-not-found, ...)
    raise TfdsDataError(
        f"TFDS data set {tfds_name!r} split {split!r} is not prepared under {folder} "
        f"({type(e).__name__}); put the prepared TFDS files ({tfds_name}/<version>/*.tfrecord* "
        f"and dataset_info.json) in {folder}, or run `tfds build {tfds_name} --data_dir "
        f"{folder}` where the internet is reachable (manual downloads go in "
        f"{folder}/downloads/manual)") from None
  if max_images:
    ds = ds.take(max_images)
  images = []
  for example in tfds.as_numpy(ds):
    image = np.asarray(example["image"])
    if image.ndim == 3 and image.shape[-1] == 1:
      image = np.repeat(image, 3, axis=-1)
    images.append(np.asarray(square_resize(Image.fromarray(image.astype(np.uint8)), image_size)))
  if not images:
    raise TfdsDataError(f"TFDS data set {tfds_name!r} split {split!r} under {folder} is empty")
  return np.stack(images)


class TfdsImageSource:
  """Shuffled batches of a TFDS split's images in [-1, 1]; batch `i` is a pure function of
  (seed, i) (data/shuffle.py). `eval_set(split)` reads any other split of the same data set."""

  def __init__(self, tfds_name: str, split: str, data_dir: str, image_size: int,
               batch_size: int, seed: int, max_images: int = 0, max_eval_images: int = 0):
    self.tfds_name, self.data_dir, self.image_size = tfds_name, data_dir, image_size
    self.max_eval_images = max_eval_images
    self.split = split
    self.images = load_split(tfds_name, split, data_dir, image_size, max_images)
    if batch_size > len(self.images):
      raise ValueError(f"batch size {batch_size} exceeds the {len(self.images)} images of "
                       f"{tfds_name} {split}")
    self.batch_size, self.seed = batch_size, seed
    self.data_shape = (image_size, image_size, 3)
    self.num_classes = 0
    self._eval = {split: self.images}

  def batch_indices(self, index: int) -> np.ndarray:
    return shuffle.epoch_batch_indices(self.seed, index, len(self.images), self.batch_size)

  def batches(self, first_index: int, count: int) -> dict:
    """{'x': [count, B, S, S, 3] float32 in [-1, 1]}."""
    idx = np.stack([self.batch_indices(first_index + j) for j in range(count)])
    return {"x": to_unit_range(self.images[idx])}

  def eval_set(self, split: str, num_examples: int = 0):
    """The first `num_examples` (0: all, up to data.max_eval_images) images of `split`:
    ([N, S, S, 3] float32 in [-1, 1], None)."""
    if split not in self._eval:
      self._eval[split] = load_split(self.tfds_name, split, self.data_dir, self.image_size,
                                     self.max_eval_images)
    images = self._eval[split]
    n = len(images) if not num_examples else min(num_examples, len(images))
    return to_unit_range(images[:n]), None
