"""Data sources. A source maps a batch index to a batch, so resuming needs no iterator state."""

from gen_models.data import cifar10, image_folder, mnist, text, tfds_images, toy
from gen_models.data.paths import resolve_data_dir

KNOWN = list(toy.TOY_DATASETS) + list(mnist.IDX_DATASETS) + ["cifar10", "image_folder", "tfds_images", "text"]


def build_source(data_config, seed: int):
  """Builds the data source named by `config.data.name`."""
  name = data_config.name
  get = data_config.get
  if name in toy.TOY_DATASETS:
    return toy.ToySource(name, data_config.batch_size, seed)
  if name in mnist.IDX_DATASETS:
    return mnist.MNISTSource(name, resolve_data_dir(get("data_dir", "")), data_config.batch_size,
                             seed, binarize=get("binarize", True),
                             keep_classes=get("keep_classes", ()),
                             drop_classes=get("drop_classes", ()), eval_seed=get("eval_seed", 0),
                             train_subset=get("train_subset", 0),
                             subset_seed=get("subset_seed", 0))
  if name == "cifar10":
    return cifar10.Cifar10Source(get("data_dir", ""), data_config.batch_size, seed,
                                 keep_classes=get("keep_classes", ()),
                                 drop_classes=get("drop_classes", ()))
  if name == "image_folder":
    return image_folder.ImageFolderSource(get("path", ""), get("image_size", 32),
                                          data_config.batch_size, seed,
                                          max_images=get("max_images", 0))
  if name == "tfds_images":
    return tfds_images.TfdsImageSource(
        data_config.tfds_name, data_config.split, data_config.data_dir, data_config.image_size,
        data_config.batch_size, seed, max_images=data_config.max_images,
        max_eval_images=data_config.max_eval_images)
  if name == "text":
    return text.TextSource(get("path", ""), data_config.batch_size, seed,
                           seq_len=get("seq_len", 32), vocab_size=get("vocab_size", 2048),
                           data_dir=get("data_dir", ""))
  raise ValueError(f"unknown data set {name!r}; known: {KNOWN}")


def value_range(data_config) -> tuple[float, float]:
  """The range of `data_config`'s model-space pixels: CIFAR-10's and image folders' [-1, 1], or
  MNIST-like {0, 1} (binarized) / [0, 1] (grey levels)."""
  return ((-1.0, 1.0) if data_config.name in ("cifar10", "image_folder", "tfds_images")
          else (0.0, 1.0))


def discrete_levels(data_config) -> int:
  """How many values a pixel of `data_config`'s model-space images takes: 2 (binarized MNIST-like
  data sets) or 256 (8-bit)."""
  return 2 if data_config.name in mnist.IDX_DATASETS and data_config.get("binarize", True) else 256


__all__ = ["build_source", "cifar10", "discrete_levels", "image_folder", "mnist",
           "resolve_data_dir", "text", "tfds_images", "toy", "value_range"]
