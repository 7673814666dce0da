"""Sweeps: a base experiment's config run at every point of a product and/or zip of overrides.

A sweep file (experiments/sweeps/*.py) returns `sweep_config(base, product=..., zip=...)`: the
base experiment's config plus a `sweep` section,

    sweep.base    = "experiments/wgan_gp_toy.py"       (":variant" allowed; for the record)
    sweep.product = (("optimizer.critic.learning_rate", (1e-4, 2e-4)), ("train.seed", (0, 1)))
    sweep.zip     = ()       pairs whose value lists are walked together (equal lengths)
    sweep.metrics = ()       result columns of the table (default: every scalar result)

(pairs, not a dict: config field names cannot contain dots). Points are the product of the
`product` lists times the `zip` rows. A config with a `sweep` section runs as this protocol
(runs/protocol.py): each point a sub-run named from its overrides (`lr1e-4_seed0`), through
the same executors as every protocol, then table.md (one row per point: its overrides and final
scalar results) and results.json. A point whose loss diverges is a row, not a failure.
"""

import importlib.util
import itertools
import math
import pathlib
import re

import ml_collections

from gen_models.plotting import tables

REPO = pathlib.Path(__file__).resolve().parents[2]

SHORT_NAMES = {"learning_rate": "lr", "batch_size": "bs", "num_steps": "steps",
               "n_critic": "ncritic", "gp_weight": "gp", "weight_decay": "wd"}
NOT_RESULTS = frozenset({"step", "train_step_compilations"})


def load_experiment(spec: str) -> ml_collections.ConfigDict:
  """get_config(variant) of an experiment file `path[:variant]` (path relative to the repo)."""
  path, _, variant = spec.partition(":")
  file = pathlib.Path(path) if pathlib.Path(path).is_absolute() else REPO / path
  if not file.is_file():
    raise FileNotFoundError(f"experiment file {file} not found")
  module_spec = importlib.util.spec_from_file_location(f"sweep_base_{file.stem}", file)
  module = importlib.util.module_from_spec(module_spec)
  module_spec.loader.exec_module(module)
  return module.get_config(variant)


def _pairs(mapping) -> tuple:
  items = mapping.items() if isinstance(mapping, dict) else (mapping or ())
  return tuple((str(k), tuple(v)) for k, v in items)


def sweep_config(base: str, product=None, zip=None, metrics=()) -> ml_collections.ConfigDict:  # noqa: A002
  """The base experiment's config with a `sweep` section; product/zip: {dotted key: values}."""
  config = load_experiment(base)
  if "protocol" in config:
    raise ValueError(f"sweep base {base} is a protocol; a sweep's points are single runs")
  config.sweep = ml_collections.ConfigDict(dict(
      base=base, product=_pairs(product), zip=_pairs(zip), metrics=tuple(metrics)))
  return config


def points(config) -> list[dict]:
  """[{dotted key: value}] for every point of the sweep, product first, then zip."""
  product = [(k, list(v)) for k, v in config.sweep.product]
  zipped = [(k, list(v)) for k, v in config.sweep.get("zip", ())]
  if not product and not zipped:
    raise ValueError("sweep lists no overrides (sweep.product and sweep.zip are empty)")
  keys = [k for k, _ in product] + [k for k, _ in zipped]
  if len(set(keys)) != len(keys):
    raise ValueError(f"sweep overrides a key twice: {keys}")
  if zipped and len({len(v) for _, v in zipped}) != 1:
    raise ValueError("sweep.zip value lists differ in length: "
                     + ", ".join(f"{k}: {len(v)}" for k, v in zipped))
  zip_rows = list(zip(*(v for _, v in zipped))) if zipped else [()]
  out = []
  for combo in itertools.product(*(v for _, v in product)):
    for row in zip_rows:
      out.append(dict(zip(keys, tuple(combo) + tuple(row))))
  return out


def format_value(value) -> str:
  if isinstance(value, bool):
    return str(value)
  if isinstance(value, float):
    if value != 0 and math.isfinite(value) and not 1e-2 <= abs(value) < 1e5:
      mantissa, exponent = f"{value:.6e}".split("e")
      mantissa = mantissa.rstrip("0").rstrip(".")
      return f"{mantissa}e{int(exponent)}"
    return f"{value:g}"
  if isinstance(value, (list, tuple)):
    return "-".join(format_value(v) for v in value)
  return str(value)


def _short_keys(keys) -> dict:
  base = {k: SHORT_NAMES.get(k.split(".")[-1], k.split(".")[-1]) for k in keys}
  # Two keys ending alike (generator and critic learning rates): named with their parent too.
  return {k: f"{k.split('.')[-2]}-{b}" if list(base.values()).count(b) > 1 and "." in k else b
          for k, b in base.items()}


def point_name(overrides: dict, short=None) -> str:
  short = short or _short_keys(list(overrides))
  name = "_".join(f"{short[k]}{format_value(v)}" for k, v in overrides.items())
  return re.sub(r"[^A-Za-z0-9_.+=-]", "-", name)


def apply_overrides(config, overrides: dict) -> None:
  for key, value in overrides.items():
    *parents, leaf = key.split(".")
    node = config
    for part in parents:
      if part not in node:
        raise ValueError(f"sweep override {key}: the base config has no section {part!r}")
      node = node[part]
    if leaf not in node:
      raise ValueError(f"sweep override {key}: the base config has no field {leaf!r}")
    try:
      node[leaf] = value
    except TypeError as e:
      raise ValueError(f"sweep override {key}={value!r}: {e}") from None


class Sweep:
  """Every point of config.sweep as a sub-run; table.md with one row per point."""

  record_divergence = True  # a learning rate too large for the model is a result of a sweep

  @staticmethod
  def subruns(config):
    base = ml_collections.ConfigDict(config.to_dict())
    del base["sweep"]
    if "protocol" in base:
      raise ValueError("a sweep's base config must be a single run, not a protocol")
    all_points = points(config)
    short = _short_keys(list(all_points[0]))
    runs = []
    for overrides in all_points:
      sub = ml_collections.ConfigDict(base.to_dict())
      apply_overrides(sub, overrides)
      runs.append((point_name(overrides, short), sub))
    names = [n for n, _ in runs]
    if len(set(names)) != len(names):
      raise ValueError(f"sweep points share a name: {names}")
    return runs

  @staticmethod
  def reduce(config, workdir, results):
    all_points = points(config)
    short = _short_keys(list(all_points[0]))
    named = [(point_name(o, short), o) for o in all_points]
    metrics = list(config.sweep.get("metrics", ()))
    if not metrics:  # every scalar result, in the order the first finished point lists them
      for name, _ in named:
        res = results[name]
        if not res.get("diverged"):
          metrics = [k for k, v in res.items() if _is_scalar(v) and k not in NOT_RESULTS]
          break
    keys = list(all_points[0])
    rows, summary = [], {}
    for name, overrides in named:
      res = results[name]
      cells = [format_value(v) for v in overrides.values()]
      if res.get("diverged"):
        rows.append((*cells, *(["diverged"] + ["—"] * (len(metrics) - 1) if metrics else []),
                     "—"))
      else:
        rows.append((*cells, *(_cell(res.get(m)) for m in metrics), res.get("step", "—")))
      summary[name] = {"overrides": overrides,
                       "results": {k: v for k, v in res.items() if _is_scalar(v) or
                                   k in ("diverged", "error")}}
    table = tables.markdown_table((*keys, *metrics, "steps"), rows)
    (pathlib.Path(workdir) / "table.md").write_text(table)
    return {"base": config.sweep.base, "points": summary, "table_markdown": table}


def _is_scalar(value) -> bool:
  return isinstance(value, (int, float)) and not isinstance(value, bool)


def _cell(value) -> str:
  if value is None:
    return "n/a"
  if isinstance(value, float):
    return f"{value:.4g}"
  return str(value)
