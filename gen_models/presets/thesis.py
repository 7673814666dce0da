"""The thesis as one protocol's config: each artefact's runs at one budget (experiments/thesis.py).

    thesis_config(budget, table) -> ConfigDict with a `protocol` section:
      protocol.name      = "thesis"
      protocol.budget    = "smoke" | "cpu" | "full"
      protocol.artefacts = the artefacts to run (default: every one in the table)
      protocol.runs.<artefact>.<run> = {experiment, note, overrides: ((key, value), ...),
                                        hours, stage}
      protocol.order     = ("<artefact>/<run>", ...): the table's order, which sub-runs start
                           in (a ConfigDict lists its keys sorted)

`table` maps artefact -> run id -> {"experiment": "experiments/X.py[:variant]", "note": "" (the
thesis' own setting) or what the run changes, "stage": 0 for runs others depend on (the CIFAR-10
classifier; default 1), and per budget name {"overrides": {dotted key: value}, "hours":
estimated core-hours on CPU (GPU-hours for "full"; None: not estimated)}}. A run without an
entry for a budget is not part of it. Under "smoke" the experiment's config is first shrunk to
smoke sizes (presets/smoke.py), then the overrides apply.
"""

import ml_collections

BUDGETS = ("smoke", "cpu", "full")


def _pairs(overrides: dict) -> tuple:
  return tuple((str(k), tuple(v) if isinstance(v, list) else v) for k, v in overrides.items())


def thesis_config(budget: str, table: dict) -> ml_collections.ConfigDict:
  if budget not in BUDGETS:
    raise ValueError(f"unknown thesis budget {budget!r}; known: {', '.join(BUDGETS)}")
  runs, order = {}, []
  for artefact, specs in table.items():
    chosen = {}
    for run_id, spec in specs.items():
      at_budget = spec.get(budget)
      if at_budget is None:
        continue
      chosen[run_id] = dict(experiment=spec["experiment"], note=spec.get("note", ""),
                            overrides=_pairs(at_budget.get("overrides", {})),
                            hours=at_budget.get("hours"), stage=spec.get("stage", 1))
      order.append(f"{artefact}/{run_id}")
    if chosen:
      runs[artefact] = chosen
  config = ml_collections.ConfigDict()
  config.protocol = ml_collections.ConfigDict(dict(
      name="thesis", budget=budget, artefacts=tuple(runs), runs=runs, order=tuple(order)))
  return config
