"""Data sources. A source maps a batch index to a batch, so resuming needs no iterator state."""

from gen_models.data import cifar10, mnist, text, toy
from gen_models.data.paths import resolve_data_dir

KNOWN = list(toy.TOY_DATASETS) + list(mnist.IDX_DATASETS) + ["cifar10", "text"]


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
  if name == "text":
    return text.TextSource(get("path", ""), data_config.batch_size, seed,
                           seq_len=get("seq_len", 32), vocab_size=get("vocab_size", 2048),
                           data_dir=get("data_dir", ""))
  raise ValueError(f"unknown data set {name!r}; known: {KNOWN}")


__all__ = ["build_source", "cifar10", "mnist", "resolve_data_dir", "text", "toy"]
