"""Runs a protocol: its list of sub-configs into workdir/<name>/, then its reducer.

A protocol module (gen_models/protocols/) provides `subruns(config) -> [(name, sub_config)]` and
`reduce(config, workdir, results: {name: results.json}) -> summary dict` (it may write figures
and tables). Finished sub-runs (results.json at the full step budget) are not retrained. A
protocol with `record_divergence = True` gets {'diverged': True, 'error': message} for a sub-run
stopped by a non-finite loss, instead of the whole protocol stopping there.
"""

import json
import pathlib

from gen_models.protocols import PROTOCOLS
from gen_models.runs import single
from gen_models.training import rundir, trainer


def _finished(subdir: pathlib.Path, num_steps: int):
  path = subdir / "results.json"
  if path.exists():
    results = json.loads(path.read_text())
    if results.get("step") == num_steps:
      return results
  return None


def run(config, workdir) -> dict:
  name = config.protocol.name
  if name not in PROTOCOLS:
    raise single.ConfigError(f"unknown protocol {name!r}; known: {sorted(PROTOCOLS)}")
  protocol = PROTOCOLS[name]
  workdir = rundir.ensure_writable(workdir)
  rundir.write_config(workdir, config)
  provenance = rundir.Provenance(workdir)
  all_results = {}
  subruns = protocol.subruns(config)
  for i, (sub_name, sub_config) in enumerate(subruns):
    subdir = workdir / sub_name
    single.validate(sub_config)
    done = _finished(subdir, sub_config.train.num_steps)
    if done is not None:
      rundir.write_config(subdir, sub_config)  # refuses a finished run of another config
      print(f"[{i + 1}/{len(subruns)}] {sub_name}: finished earlier, kept", flush=True)
      all_results[sub_name] = done
      continue
    print(f"[{i + 1}/{len(subruns)}] {sub_name}", flush=True)
    try:
      all_results[sub_name] = single.run(sub_config, subdir)
    except trainer.NonFiniteLossError as e:
      if not getattr(protocol, "record_divergence", False):
        raise
      print(f"[{i + 1}/{len(subruns)}] {sub_name}: {e}", flush=True)
      all_results[sub_name] = {"diverged": True, "error": str(e)}
    provenance.update(finished_subruns=len(all_results))
  summary = protocol.reduce(config, workdir, all_results)
  rundir.write_json(workdir / "results.json", summary)
  provenance.update(finished_subruns=len(all_results), finished=True)
  return summary
