"""Small fabricated run records for the report modules' tests: the real file formats
(config.json, provenance.json, results.json, metrics.jsonl, eval/<step>.json, table.md,
figures/*.png), written by hand with known numbers; no training, no JAX.

    single_run(path, results, num_steps=..., metrics=...)   a finished single run
    protocol(path, results, config=...)                      a finished protocol directory
    context(tmp_path, key, runs)                             a section.Context over those runs
"""

import json
import pathlib

from gen_models.reports import records, section

PNG = bytes.fromhex(  # a 1x1 PNG, for records whose figures a section links
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def write_json(path: pathlib.Path, obj) -> pathlib.Path:
  path.parent.mkdir(parents=True, exist_ok=True)
  path.write_text(json.dumps(obj, indent=1))
  return path


def provenance(step, wall_s: float = 60.0, cpu_s: float = 55.0, finished: bool = True,
               command: str = "python launch/main.py --config=X.py --workdir=DIR") -> dict:
  """A minimal valid provenance.json whose last segment stopped at `step`."""
  return {"commit": "abc", "dirty": False, "command": command,
          "devices": {"platform": "cpu", "count": 1, "kinds": ["cpu"], "host": "h", "cpu": "x"},
          "versions": {"jax": "0", "flax": "0"}, "wall_time_s": wall_s, "cpu_time_s": cpu_s,
          "segments": [{"finished": finished, "step": step, "wall_time_s": wall_s,
                        "cpu_time_s": cpu_s, "xla_flags": ""}]}


def single_run(path, results: dict, num_steps: int = 10, config: dict | None = None,
               metrics=(), finished: bool = True, files=()) -> pathlib.Path:
  """A single-run record at `path` that finished at `num_steps` (results["step"] is set to it
  unless given); `config`: extra sections merged into config.json; `metrics`: metrics.jsonl
  rows; `files`: relative paths of figures (1x1 PNGs) to create."""
  path = pathlib.Path(path)
  cfg = {"train": {"num_steps": num_steps, "time_budget_s": 0.0, "seed": 0}, **(config or {})}
  write_json(path / "config.json", cfg)
  write_json(path / "results.json", {"step": num_steps, **results})
  write_json(path / "provenance.json", provenance(num_steps, finished=finished))
  if metrics:
    (path / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in metrics))
  for rel in files:
    (path / rel).parent.mkdir(parents=True, exist_ok=True)
    (path / rel).write_bytes(PNG)
  return path


def protocol(path, results: dict, config: dict | None = None, table: str = "",
             files=()) -> pathlib.Path:
  """A finished protocol record at `path`: config.json with a `protocol` section (plus
  `config`), its reducer's results.json, table.md when given, figures (1x1 PNGs)."""
  path = pathlib.Path(path)
  cfg = {"protocol": {"name": "fake"}, "train": {"num_steps": 10, "time_budget_s": 0.0},
         **(config or {})}
  write_json(path / "config.json", cfg)
  write_json(path / "results.json", results)
  write_json(path / "provenance.json", provenance(None))
  if table:
    (path / "table.md").write_text(table)
  for rel in files:
    (path / rel).parent.mkdir(parents=True, exist_ok=True)
    (path / rel).write_bytes(PNG)
  return path


def context(tmp_path, key: str, runs) -> section.Context:
  """A Context for artefact `key` over `runs`: [(experiment, path)] or [(experiment, path,
  note)] (a path that does not exist is a run that was not started)."""
  built = []
  for spec in runs:
    experiment, path, note = (tuple(spec) + ("",))[:3]
    built.append(records.Run(name=pathlib.Path(path).name, experiment=experiment,
                             path=pathlib.Path(path), note=note))
  report_dir = pathlib.Path(tmp_path) / "report"
  return section.Context(key, built, report_dir / "report_figures", report_dir)


def leave_one_class_out(path, class_names, aupr: dict, held_out=None, sub_results=None,
                        nll=None, skew: float = 0.1) -> pathlib.Path:
  """A finished leave-one-class-out protocol record (protocols/ood.py's results.json):
  `aupr`: {score: [AUPR (fraction) per held-out class]}, AUROC = AUPR + 0.4 and FPR95 =
  1 - AUPR; `held_out`: the class indices it held out (default all); `sub_results`: a results
  dict per held-out class, written as its finished sub-run; `nll`: {score: [(held-out, seen)
  mean NLL per held-out class]}, the reducer's split."""
  import numpy as np
  from gen_models.protocols import ood
  path = pathlib.Path(path)
  held_out = list(range(len(class_names))) if held_out is None else list(held_out)

  def split(values):
    return {"skew": skew, "num_test": 10_000, "num_ood": int(10_000 * skew),
            "scores": {s: {"aupr": v, "aupr_trapezoid": v, "auroc": v + 0.4, "fpr95": 1 - v}
                       for s, v in values.items()}}

  per_class = {}
  for i, c in enumerate(held_out):
    per_class[class_names[c]] = split({s: v[i] for s, v in aupr.items()})
    if nll:
      per_class[class_names[c]]["nll"] = {s: {"held_out": v[i][0], "seen": v[i][1]}
                                          for s, v in nll.items()}
  results = {"per_class": per_class, "score_names": list(aupr),
             "mean": split({s: float(np.mean(v)) for s, v in aupr.items()}),
             "median": split({s: float(np.median(v)) for s, v in aupr.items()})}
  config = {"protocol": {"name": "ood_leave_one_class_out", "held_out_classes": held_out,
                         "class_names": list(class_names)}}
  protocol(path, results, config=config, files=("figures/pr_curves.png",))
  for i, c in enumerate(held_out):
    if sub_results:
      single_run(path / ood.subrun_name(c), sub_results[i])
  return path
