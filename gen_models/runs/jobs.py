"""Jobs: computations that are not trainings (a FLOP count, a sampler benchmark) run as
sub-runs, so a thesis run records them like any other run.

A job's config has a `job` section (`job.name` = a key of JOBS, plus the job's own keys) and
a `train` section with `num_steps = 0` (what makes a finished job look like a finished run to
rundir.finished_results); its run directory gets config.json, provenance.json and results.json
(`step` 0), and whatever files the job writes (figures/*.png, ...).
"""

import importlib

from gen_models.runs.single import ConfigError
from gen_models.training import rundir

# name -> "module:function"; function(config, workdir) -> results dict (JSON-serializable).
JOBS = {
    "flops_table_2_2": "gen_models.evaluation.flops:flops_table_2_2",
    "sampling_speed": "gen_models.evaluation.sampling_speed:job",
}


def lookup(name: str):
  if name not in JOBS:
    raise ConfigError(f"unknown job {name!r}; known: {', '.join(sorted(JOBS)) or 'none'}")
  module, _, function = JOBS[name].partition(":")
  return getattr(importlib.import_module(module), function)


def validate(config) -> None:
  for section in ("job", "train"):
    if section not in config:
      raise ConfigError(f"a job config needs a {section!r} section")
  lookup(config.job.name)
  if config.train.num_steps != 0:
    raise ConfigError(f"a job trains nothing: train.num_steps must be 0, got "
                      f"{config.train.num_steps}")


def run(config, workdir) -> dict:
  """Runs the job into `workdir` (kept as it is when it finished before)."""
  validate(config)
  workdir = rundir.ensure_writable(workdir)
  done = rundir.finished_results(workdir, config.train)
  if done is not None:
    rundir.check_config(workdir, config)
    return done
  rundir.write_config(workdir, config)
  provenance = rundir.Provenance(workdir)
  provenance.update(step=None, finished=False)
  results = dict(lookup(config.job.name)(config, workdir))
  results["step"] = 0
  rundir.write_json(workdir / "results.json", results)
  provenance.update(step=0, finished=True)
  return results
