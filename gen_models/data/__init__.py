"""Data sources. A source maps a batch index to a batch, so resuming needs no iterator state."""

from gen_models.data import mnist, toy
from gen_models.data.paths import resolve_data_dir


def build_source(data_config, seed: int):
  """Builds the data source named by `config.data.name`."""
  name = data_config.name
  if name in toy.TOY_DATASETS:
    return toy.ToySource(name, data_config.batch_size, seed)
  if name in mnist.IDX_DATASETS:
    get = data_config.get
    return mnist.MNISTSource(name, resolve_data_dir(get("data_dir", "")), data_config.batch_size,
                             seed, binarize=get("binarize", True),
                             keep_classes=get("keep_classes", ()),
                             drop_classes=get("drop_classes", ()), eval_seed=get("eval_seed", 0))
  raise ValueError(f"unknown data set {name!r}; "
                   f"known: {list(toy.TOY_DATASETS) + list(mnist.IDX_DATASETS)}")


__all__ = ["build_source", "mnist", "resolve_data_dir", "toy"]
