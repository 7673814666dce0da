"""Runs a protocol: its list of sub-configs into workdir/<name>/, then its reducer.

A protocol module (gen_models/protocols/) provides `subruns(config) -> [(name, sub_config)]` and
`reduce(config, workdir, results: {name: results.json}) -> summary dict` (it may write figures
and tables). Finished sub-runs (results.json at the full step budget) are not retrained. A
protocol with `record_divergence = True` gets {'diverged': True, 'error': message} for a sub-run
stopped by a non-finite loss, instead of the whole protocol stopping there. The unfinished
sub-runs go to an executor (runs/executors.py): serially in this process, as local processes
N at a time, or as a SLURM job array. A config with a `sweep` section is the sweep protocol
(protocols/sweep.py).
"""

from gen_models.evaluation import evaluator, registry
from gen_models.protocols import PROTOCOLS
from gen_models.runs import executors, single
from gen_models.training import rundir

# How often a running protocol rewrites its launch segment's wall time (provenance.json).
HEARTBEAT_S = 60.0


def _protocol(config):
  if "sweep" in config:
    from gen_models.protocols import sweep
    return sweep.Sweep
  name = config.protocol.name
  if name not in PROTOCOLS:
    raise single.ConfigError(f"unknown protocol {name!r}; known: {sorted(PROTOCOLS)}")
  return PROTOCOLS[name]


def _check_required_evaluators(protocol, config, sub_configs) -> None:
  """A protocol whose reducer needs an evaluator's results (e.g. Figure 3.3's score curves)
  stops before training when that evaluator's files are missing, instead of training every
  sub-run and failing in the reducer."""
  required = getattr(protocol, "required_evaluators", lambda c: ())(config)
  if not required or not sub_configs:
    return
  first = sub_configs[0]  # the sub-runs share their evaluators and data
  missing = registry.missing_assets(first)
  for name in required:
    if name not in registry.configured_names(first):
      raise single.ConfigError(f"this protocol's table needs evaluator {name!r}; add it to "
                               f"eval.evaluators")
    if name in missing:
      raise evaluator.MissingAssetError(f"{missing[name]}; this protocol's table needs it")


def run(config, workdir, executor=None) -> dict:
  """Runs the protocol (or sweep) of `config`; its unfinished sub-runs through `executor`
  (runs/executors.py; default: serially in this process)."""
  protocol = _protocol(config)
  single.resolve_data_dir(config)  # sub-configs inherit the resolved path
  executor = executor or executors.Serial()
  workdir = rundir.ensure_writable(workdir)
  rundir.write_config(workdir, config)
  provenance = rundir.Provenance(workdir)
  provenance.update(**executors.describe(executor))
  all_results, pending = {}, []
  subruns = protocol.subruns(config)
  _check_required_evaluators(protocol, config, [sub for _, sub in subruns])
  for i, (sub_name, sub_config) in enumerate(subruns):
    subdir = workdir / sub_name
    single.validate(sub_config)
    done = rundir.finished_results(subdir, sub_config.train)
    if done is not None:
      rundir.write_config(subdir, sub_config)  # refuses a finished run of another config
      print(f"[{i + 1}/{len(subruns)}] {sub_name}: finished earlier, kept", flush=True)
      all_results[sub_name] = done
      continue
    if executor.name != "serial":  # a different config's checkpoint fails here, not in a worker
      rundir.write_config(rundir.ensure_writable(subdir), sub_config)
    pending.append(executors.SubRun(sub_name, sub_config, subdir, i + 1, len(subruns)))

  def on_done(sub, results):
    all_results[sub.name] = results
    provenance.update(finished_subruns=len(all_results))

  with provenance.heartbeat(HEARTBEAT_S):
    executor.run(pending, getattr(protocol, "record_divergence", False), on_done)
  all_results = {name: all_results[name] for name, _ in subruns}  # the protocol's order
  summary = protocol.reduce(config, workdir, all_results)
  rundir.write_json(workdir / "results.json", summary)
  provenance.update(finished_subruns=len(all_results), finished=True)
  return summary
