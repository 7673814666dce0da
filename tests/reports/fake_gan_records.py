"""Fabricated Chapter 3 (GAN) run records for the report modules' tests, on top of
fake_records: protocols with their sub-runs, evaluation rows in metrics.jsonl, diverged cells.

    grid_protocol(path, protocol, cells)   a finished protocol whose sub-runs are `cells`
    eval_run(path, evals, results)         a finished run with eval/<key> rows over training
"""

import pathlib

from fake_records import protocol, provenance, single_run, write_json


def grid_protocol(path, protocol_section: dict, cells: dict, config: dict | None = None,
                  figures=()) -> pathlib.Path:
  """A finished protocol record (config.json's `protocol` = protocol_section plus `config`)
  with a finished sub-run per entry of `cells` ({sub-run name: results dict, or 'diverged',
  or a (results, metrics rows) pair}); `figures`: the protocol's own PNGs to create."""
  path = protocol(path, {"runs": {}}, config={"protocol": protocol_section, **(config or {})},
                  files=tuple(f"figures/{f}" for f in figures))
  for name, spec in cells.items():
    if spec == "diverged":
      diverged(path / name)
    elif isinstance(spec, tuple):
      eval_run(path / name, *spec, files=("figures/samples.png",))
    else:
      single_run(path / name, spec, config=config, files=("figures/samples.png",))
  return path


def diverged(path) -> pathlib.Path:
  """A sub-run stopped by a non-finite loss (runs/executors.py's diverged.json)."""
  path = pathlib.Path(path)
  write_json(path / "config.json", {"train": {"num_steps": 10, "time_budget_s": 0.0}})
  write_json(path / "provenance.json", provenance(3, finished=False))
  write_json(path / "diverged.json", {"error": "non-finite critic_loss at step 3"})
  return path


def eval_run(path, evals: dict, results: dict, elapsed=None, config: dict | None = None,
             files=()) -> pathlib.Path:
  """A finished run whose metrics.jsonl has one eval row per step: `evals` = {step: {key:
  value}} written as eval/<key>, with train_elapsed_s from `elapsed` ({step: seconds}, default
  the step itself); it finishes at the last step."""
  steps = sorted(evals)
  rows = [{"step": s, "critic_loss": -1.0} for s in steps]
  rows += [{"step": s, **{f"eval/{k}": v for k, v in evals[s].items()},
            "train_elapsed_s": float((elapsed or {}).get(s, s))} for s in steps]
  rows.sort(key=lambda r: r["step"])
  return single_run(path, results, num_steps=steps[-1], metrics=rows, config=config,
                    files=files)


def samples_file(run_dir, lines) -> pathlib.Path:
  path = pathlib.Path(run_dir) / "samples.txt"
  path.write_text("\n".join(lines) + "\n", encoding="utf-8")
  return path

