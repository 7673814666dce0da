"""Run glue above every other package: a single run or a protocol of sub-runs, from a config."""

from gen_models.runs import protocol, single
from gen_models.runs.single import ConfigError


def run(config, workdir) -> dict:
  """Runs `config` into `workdir`: its protocol when it has a `protocol` section, else one run."""
  if "protocol" in config:
    return protocol.run(config, workdir)
  return single.run(config, workdir)


__all__ = ["ConfigError", "protocol", "run", "single"]
