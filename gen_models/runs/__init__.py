"""Run glue above every other package: a single run or a protocol of sub-runs, from a config."""

from gen_models.runs import protocol, single
from gen_models.runs.single import ConfigError


def run(config, workdir, executor=None) -> dict:
  """Runs `config` into `workdir`: its protocol (or sweep) when it has a `protocol` (`sweep`)
  section, its sub-runs through `executor` (runs/executors.py; default serial), else one run."""
  if "protocol" in config or "sweep" in config:
    return protocol.run(config, workdir, executor)
  if "job" in config:
    from gen_models.runs import jobs
    return jobs.run(config, workdir)
  return single.run(config, workdir)


__all__ = ["ConfigError", "protocol", "run", "single"]
