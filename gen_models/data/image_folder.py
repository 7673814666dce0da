"""Any folder of images as unconditional GAN training data (`data.name = 'image_folder'`).

This is how the architecture zoo (thesis section 3.5.1) and the image GANs train on data sets
that have no offline loader here: LSUN bedrooms (export the official LMDB to JPEG files with the
LSUN tools, or write TFDS `lsun/bedroom` out as files), downsampled ImageNet, CelebA, ...

Every file with an image extension below `data.path` (recursively, in sorted path order) is
read as RGB, centre-cropped to a square and resized to `data.image_size` (antialiased bicubic),
as the thesis' LSUN and ImageNet pipelines do. The decoded uint8 array is cached under
`~/.cache/gen_models/data/image_folder/`, keyed by the image size, the image cap and every
file's relative path, size and modification time, so a relaunch (resume) reads it back instead
of decoding the folder again, and a changed folder is decoded afresh. The images are held in
memory (3 MiB per 1,000 at 32x32, 12 MiB at 64x64): `data.max_images` caps the count, e.g.
for LSUN bedrooms' 3M images.
"""

import hashlib
import pathlib

import numpy as np
import tqdm
from PIL import Image, UnidentifiedImageError

from gen_models.data import paths, shuffle
from gen_models.data.cifar10 import to_unit_range

EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif", ".ppm", ".tif", ".tiff")


class ImageFolderError(FileNotFoundError):
  """The configured image folder is missing, empty or holds an unreadable image."""


def list_images(folder) -> list[pathlib.Path]:
  """The image files below `folder`, sorted by relative path."""
  if not str(folder or ""):  # before Path(), which turns '' into '.'
    raise ImageFolderError("data.path is empty: set --config.data.path=DIR to a folder of images "
                           "(e.g. LSUN bedrooms exported to JPEG files)")
  folder = pathlib.Path(folder)
  if not folder.is_dir():
    raise ImageFolderError(f"image folder {folder} does not exist (data.path); put the training "
                           f"images (any of {', '.join(EXTENSIONS)}, sub-folders allowed) there")
  files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in EXTENSIONS and p.is_file())
  if not files:
    raise ImageFolderError(f"image folder {folder} holds no image files "
                           f"(looked for {', '.join(EXTENSIONS)}, recursively)")
  return files


def square_resize(img, image_size: int):
  """A PIL image -> RGB, centre square crop, resized to image_size (antialiased bicubic)."""
  img = img.convert("RGB")
  w, h = img.size
  side = min(w, h)
  left, top = (w - side) // 2, (h - side) // 2
  img = img.crop((left, top, left + side, top + side))
  if img.size != (image_size, image_size):
    img = img.resize((image_size, image_size), Image.Resampling.BICUBIC)
  return img


def load_image(path, image_size: int) -> np.ndarray:
  """One file -> [image_size, image_size, 3] uint8: RGB, centre square crop, resized."""
  try:
    with Image.open(path) as img:
      return np.asarray(square_resize(img, image_size), np.uint8)
  except (UnidentifiedImageError, OSError) as e:
    raise ImageFolderError(f"cannot read image {path}: {e}") from None


def _fingerprint(folder: pathlib.Path, files, image_size: int) -> str:
  digest = hashlib.sha256(f"{folder.resolve()}|{image_size}|{len(files)}".encode())
  for f in files:
    st = f.stat()
    digest.update(f"{f.relative_to(folder)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
  return digest.hexdigest()[:24]


def load_folder(folder, image_size: int, max_images: int = 0, cache_dir=None) -> np.ndarray:
  """The folder's first `max_images` (0: all) images in sorted path order. [N, S, S, 3] uint8.

  cache_dir: where the decoded array is cached (default: the per-user data cache; '' or False
  disables it). Decoding a large folder shows a progress bar.
  """
  files = list_images(folder)
  folder = pathlib.Path(folder)
  if max_images:
    files = files[:max_images]
  cache = None
  if cache_dir is not False and cache_dir != "":
    base = pathlib.Path(cache_dir) if cache_dir else paths.default_cache_dir() / "image_folder"
    cache = base / f"{_fingerprint(folder, files, image_size)}.npy"
    if cache.is_file():
      images = np.load(cache)
      if images.shape == (len(files), image_size, image_size, 3):
        return images
  images = np.empty((len(files), image_size, image_size, 3), np.uint8)
  bar = tqdm.tqdm(files, desc=f"decoding {folder}", unit="img", disable=len(files) < 1000)
  for i, f in enumerate(bar):
    images[i] = load_image(f, image_size)
  if cache is not None:
    try:
      cache.parent.mkdir(parents=True, exist_ok=True)
      tmp = cache.with_suffix(".tmp.npy")
      np.save(tmp, images)
      tmp.replace(cache)
    except OSError:
      pass  # a read-only cache only costs the next launch another decode
  return images


class ImageFolderSource:
  """Shuffled batches of a folder's images in [-1, 1] (no labels: unconditional models only).

  Batch `i` is a pure function of (seed, i) (data/shuffle.py), so resuming needs no iterator
  state. The folder has no test split: `eval_set('train')` is every image; other splits are
  refused with an error rather than silently reusing the training images.
  """

  def __init__(self, folder, image_size: int, batch_size: int, seed: int, max_images: int = 0,
               cache_dir=None):
    self.folder = folder
    self.images = load_folder(folder, image_size, max_images, cache_dir)
    if batch_size > len(self.images):
      raise ValueError(f"batch size {batch_size} exceeds the {len(self.images)} images in "
                       f"{self.folder}")
    self.batch_size = batch_size
    self.seed = seed
    self.data_shape = (image_size, image_size, 3)
    self.num_classes = 0

  def batch_indices(self, index: int) -> np.ndarray:
    """Image indices of batch `index`. [B] int64."""
    return shuffle.epoch_batch_indices(self.seed, index, len(self.images), self.batch_size)

  def batches(self, first_index: int, count: int) -> dict:
    """{'x': [count, B, S, S, 3] float32 in [-1, 1]}."""
    idx = np.stack([self.batch_indices(first_index + j) for j in range(count)])
    return {"x": to_unit_range(self.images[idx])}

  def eval_set(self, split: str = "train", num_examples: int = 0):
    """The first `num_examples` (0: all) images in path order: ([N, S, S, 3] float32 in
    [-1, 1], None). Only 'train' exists for a folder."""
    if split != "train":
      raise ValueError(f"an image folder has only the 'train' split, not {split!r}; point "
                       f"data.path at the held-out images in a run of their own")
    n = len(self.images) if not num_examples else min(num_examples, len(self.images))
    return to_unit_range(self.images[:n]), None
