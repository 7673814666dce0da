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
  if name == "thesis":  # above protocols/: it composes experiments and writes the report
    from gen_models.runs import thesis
    return thesis.Thesis
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
  subruns = subruns_of(protocol, config, workdir)
  _check_required_evaluators(protocol, config, [sub for _, sub in subruns])
  for i, (sub_name, sub_config) in enumerate(subruns):
    subdir = workdir / sub_name
    validate(sub_config)
    done = rundir.finished_results(subdir, sub_config.train)
    if done is not None:
      rundir.write_config(subdir, sub_config)  # refuses a finished run of another config
      print(f"[{i + 1}/{len(subruns)}] {sub_name}: finished earlier, kept", flush=True)
      all_results[sub_name] = done
      continue
    if executor.name != "serial":  # a different config's checkpoint fails here, not in a worker
      rundir.write_config(rundir.ensure_writable(subdir), sub_config)
    pending.append(executors.SubRun(sub_name, sub_config, subdir, i + 1, len(subruns)))

  after_each = getattr(protocol, "on_subrun_done", None)

  def on_done(sub, results):
    all_results[sub.name] = results
    provenance.update(finished_subruns=len(all_results))
    if after_each is not None:
      after_each(config, workdir, sub.name, all_results)

  failure = None
  before_stage = getattr(protocol, "before_stage", None)
  with provenance.heartbeat(HEARTBEAT_S):
    for key, stage in _stages(protocol, config, pending):
      if before_stage is not None:
        before_stage(config, workdir, key)
      try:
        executor.run(stage, getattr(protocol, "record_divergence", False), on_done)
      except executors.SubRunError as e:
        if not getattr(protocol, "reduce_on_failure", False):
          raise
        failure = e if failure is None else executors.SubRunError(f"{failure}; {e}")
  if failure is not None:  # reduce what finished (the report says what did not), then fail
    protocol.reduce(config, workdir, all_results)
    provenance.update(finished_subruns=len(all_results))
    raise failure
  all_results = {name: all_results[name] for name, _ in subruns}  # the protocol's order
  summary = protocol.reduce(config, workdir, all_results)
  rundir.write_json(workdir / "results.json", summary)
  provenance.update(finished_subruns=len(all_results), finished=True)
  return summary


def subruns_of(protocol, config, workdir) -> list:
  """protocol.subruns(config), given the workdir when the protocol needs it (the thesis)."""
  if getattr(protocol, "needs_workdir", False):
    return protocol.subruns(config, workdir)
  return protocol.subruns(config)


def validate(sub_config) -> None:
  if "job" in sub_config:
    from gen_models.runs import jobs
    jobs.validate(sub_config)
  else:
    single.validate(sub_config)


def _stages(protocol, config, pending) -> list:
  """[(stage, pending sub-runs of it)], the protocol's stages in order (one stage 0 when it
  has none): a stage starts when the one before it has finished."""
  stage_of = getattr(protocol, "stage", None)
  if stage_of is None:
    return [(0, pending)] if pending else []
  groups = {}
  for sub in pending:
    groups.setdefault(stage_of(config, sub.name), []).append(sub)
  return [(k, groups[k]) for k in sorted(groups)]


def dry_run(config, workdir) -> str:
  """What `run` would do, without doing it: every sub-run with its budget and, where the
  protocol estimates it (the thesis), its cost and the total."""
  if "protocol" not in config and "sweep" not in config:
    t = config.train if "train" in config else None
    budget = f"{t.num_steps} steps" if t is not None else "a job"
    return f"one run: {budget} into {workdir}"
  protocol = _protocol(config)
  describe = getattr(protocol, "describe", None)
  if describe is None:
    subs = subruns_of(protocol, config, workdir)
    lines = [f"{len(subs)} sub-runs into {workdir}/<name>:"]
    lines += [f"  {name}: {sub.train.num_steps} steps" for name, sub in subs]
    return "\n".join(lines)
  return describe_rows(describe(config, workdir), config)


def describe_rows(rows, config) -> str:
  """A thesis dry run's table: run, trainings, stage, estimated hours, experiment, overrides."""
  budget = config.protocol.budget
  unit = "GPU-hours" if budget == "full" else "core-hours"
  lines = [f"thesis budget {budget!r}: {len(rows)} runs, "
           f"{sum(r[1] for r in rows)} trainings (sub-runs)", ""]
  total, unknown = 0.0, []
  for name, trainings, hours, experiment, overrides, stage in rows:
    cost = "not estimated" if hours is None else f"{hours:.2f} {unit}"
    if hours is None:
      unknown.append(name)
    else:
      total += hours
    per = "" if hours is None or trainings == 1 else f" ({hours / trainings:.2f} each)"
    lines.append(f"{name}: {trainings} training(s), stage {stage}, ~{cost}{per}")
    lines.append(f"    {experiment}" + "".join(f" {k}={v!r}" for k, v in overrides))
  lines += ["", f"total: ~{total:.1f} {unit}"
            + (f" over the estimated runs ({len(unknown)} not estimated: the thesis' own "
               f"budgets need a GPU and were not timed here)" if unknown else "")]
  return "\n".join(lines)
