"""One run from a resolved config: validate, prepare the run directory, build, fit."""

import pathlib

from gen_models import data as data_lib, tasks
from gen_models.training import rundir, trainer

REQUIRED_SECTIONS = ("task", "data", "model", "objective", "optimizer", "train", "eval")


class ConfigError(ValueError):
  pass


def validate(config) -> None:
  """Checks the fields every run relies on; task-specific checks happen in the task."""
  missing = [s for s in REQUIRED_SECTIONS if s not in config]
  if missing:
    raise ConfigError(f"config lacks section(s) {missing}")
  t = config.train
  for name in ("num_steps", "log_every", "checkpoint_every"):
    if not isinstance(t[name], int) or t[name] < (0 if name == "num_steps" else 1):
      raise ConfigError(f"train.{name} must be a {'non-negative' if name == 'num_steps' else 'positive'} "
                        f"integer, got {t[name]!r}")
  if config.data.batch_size < 1:
    raise ConfigError(f"data.batch_size must be positive, got {config.data.batch_size}")


def run(config, workdir) -> dict:
  """Trains (or resumes) one run into `workdir`; returns its results.json content."""
  validate(config)
  workdir = rundir.ensure_writable(workdir)
  rundir.write_config(workdir, config)
  source = data_lib.build_source(config.data, config.train.seed)
  task = tasks.build_task(config, source)
  return trainer.fit(task, source, config, pathlib.Path(workdir))
