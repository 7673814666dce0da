"""The evaluator plug-in interface (big_vision's `config.evals`, adapted).

A run lists its evaluators by name in `config.eval.evaluators`; each is one small module under
`gen_models/evaluation/` holding one `Evaluator` subclass, registered in `registry.py`. An
evaluator
- names the `config.eval` keys it reads (`config_keys`, checked against every experiment config);
- declares the files it needs (`assets(config)`): the launcher checks them before training and
  skips (or, with `eval.strict`, refuses) an evaluator whose files are missing, so a missing
  evaluation asset never stops training;
- is built once per run (`__init__`, where heavy things such as a classifier load), then called
  at each evaluation with the train state: `evaluate(state, rng, out_dir) -> results`.
Evaluators write their files (figures, score arrays) under `out_dir`: the run directory during
training, `<workdir>/eval/<step>/` for `launch/evaluate.py`.
"""

import abc
import dataclasses
import pathlib
from typing import ClassVar


@dataclasses.dataclass(frozen=True)
class Asset:
  """A file an evaluator needs: where it is expected, what it is, and the command that makes it."""
  path: pathlib.Path
  what: str
  make_command: str

  def exists(self) -> bool:
    return pathlib.Path(self.path).is_file()


class MissingAssetError(FileNotFoundError):
  """An evaluator's file is missing and `eval.strict` is set."""


def missing_reason(name: str, asset: Asset) -> str:
  """One line naming the evaluator, the file and how to make it."""
  return f"evaluator {name!r} {missing_file(asset)}"


def missing_file(asset: Asset) -> str:
  return f"needs the {asset.what} {asset.path} (missing); make it with: {asset.make_command}"


class Evaluator(abc.ABC):
  """One named evaluation. Subclasses set `name` and `config_keys` and implement `evaluate`."""

  name: ClassVar[str]
  config_keys: ClassVar[tuple[str, ...]] = ()  # keys of config.eval this evaluator reads

  def __init__(self, config, task, source):
    self.config = config
    self.task = task
    self.source = source

  def require_eval_set(self, what: str) -> None:
    """Evaluators that score a held-out split need a source that has one."""
    if not hasattr(self.source, "eval_set"):
      raise ValueError(f"evaluator {self.name!r} needs a source with {what}; data "
                       f"{self.config.data.name!r} has none")

  @classmethod
  def assets(cls, config) -> list[Asset]:
    """Files this evaluator needs under `config` (data_dir already resolved)."""
    del config
    return []

  @abc.abstractmethod
  def evaluate(self, state, rng, out_dir: pathlib.Path) -> dict:
    """-> JSON-serializable results (scalars are also logged as eval/<key>)."""
