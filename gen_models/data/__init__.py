"""Data sources. A source maps a batch index to a batch, so resuming needs no iterator state."""

from gen_models.data import cifar10
from gen_models.data import text
from gen_models.data import toy
from gen_models.data.paths import resolve_data_dir


def build_source(data_config, seed: int):
  """Builds the data source named by `config.data.name`."""
  name = data_config.name
  if name in toy.TOY_DATASETS:
    return toy.ToySource(name, data_config.batch_size, seed)
  if name == "cifar10":
    return cifar10.Cifar10Source(data_config.get("data_dir", ""), data_config.batch_size, seed)
  if name == "text":
    return text.TextSource(data_config.get("path", ""), data_config.batch_size, seed,
                           seq_len=data_config.get("seq_len", 32),
                           vocab_size=data_config.get("vocab_size", 2048),
                           data_dir=data_config.get("data_dir", ""))
  raise ValueError(f"unknown data set {name!r}; "
                   f"known: {list(toy.TOY_DATASETS) + ['cifar10', 'text']}")


__all__ = ["build_source", "resolve_data_dir", "toy"]
