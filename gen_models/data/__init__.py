"""Data sources. A source maps a batch index to a batch, so resuming needs no iterator state."""

from gen_models.data import cifar10, image_folder, mnist, text, tfds_images, toy
from gen_models.data.paths import resolve_data_dir

KNOWN = list(toy.TOY_DATASETS) + list(mnist.IDX_DATASETS) + ["cifar10", "image_folder",
                                                              "tfds_images", "text"]


# The data.* keys each source reads (besides name and batch_size); every config sets them.
SOURCE_KEYS = {
    "toy": (),
    "idx": ("data_dir", "binarize", "keep_classes", "drop_classes", "eval_seed", "train_subset",
            "subset_seed"),
    "cifar10": ("data_dir", "keep_classes", "drop_classes"),
    "image_folder": ("path", "image_size", "max_images"),
    "tfds_images": ("tfds_name", "split", "data_dir", "image_size", "max_images",
                    "max_eval_images"),
    "text": ("path", "seq_len", "vocab_size", "data_dir"),
}


def source_kind(name: str) -> str:
  if name in toy.TOY_DATASETS:
    return "toy"
  if name in mnist.IDX_DATASETS:
    return "idx"
  if name in SOURCE_KEYS:
    return name
  raise ValueError(f"unknown data set {name!r}; known: {KNOWN}")


def missing_keys(data_config) -> list[str]:
  """The data.* keys the source named by data_config.name reads but the config lacks."""
  return [k for k in ("batch_size",) + SOURCE_KEYS[source_kind(data_config.name)]
          if k not in data_config]


def build_source(data_config, seed: int):
  """Builds the data source named by `config.data.name` (data_dir already resolved)."""
  missing = missing_keys(data_config)
  if missing:
    raise ValueError(f"data {data_config.name!r} needs data.{missing[0]}, which the config "
                     f"lacks")
  c, kind = data_config, source_kind(data_config.name)
  if kind == "toy":
    return toy.ToySource(c.name, c.batch_size, seed)
  if kind == "idx":
    return mnist.MNISTSource(c.name, c.data_dir, c.batch_size, seed, binarize=c.binarize,
                             keep_classes=c.keep_classes, drop_classes=c.drop_classes,
                             eval_seed=c.eval_seed, train_subset=c.train_subset,
                             subset_seed=c.subset_seed)
  if kind == "cifar10":
    return cifar10.Cifar10Source(c.data_dir, c.batch_size, seed, keep_classes=c.keep_classes,
                                 drop_classes=c.drop_classes)
  if kind == "image_folder":
    return image_folder.ImageFolderSource(c.path, c.image_size, c.batch_size, seed,
                                          max_images=c.max_images)
  if kind == "tfds_images":
    return tfds_images.TfdsImageSource(c.tfds_name, c.split, c.data_dir, c.image_size,
                                       c.batch_size, seed, max_images=c.max_images,
                                       max_eval_images=c.max_eval_images)
  return text.TextSource(c.path, c.batch_size, seed, seq_len=c.seq_len,
                         vocab_size=c.vocab_size, data_dir=c.data_dir)


def value_range(data_config) -> tuple[float, float]:
  """The range of `data_config`'s model-space pixels: CIFAR-10's and image folders' [-1, 1], or
  MNIST-like {0, 1} (binarized) / [0, 1] (grey levels)."""
  return ((-1.0, 1.0) if data_config.name in ("cifar10", "image_folder", "tfds_images")
          else (0.0, 1.0))


def discrete_levels(data_config) -> int:
  """How many values a pixel of `data_config`'s model-space images takes: 2 (binarized MNIST-like
  data sets) or 256 (8-bit)."""
  return 2 if data_config.name in mnist.IDX_DATASETS and data_config.binarize else 256


__all__ = ["build_source", "cifar10", "discrete_levels", "image_folder", "missing_keys", "mnist",
           "resolve_data_dir", "text", "tfds_images", "toy", "value_range"]
