"""One run from a resolved config: validate, prepare the run directory, build, fit, evaluate."""

import pathlib

from gen_models import data as data_lib, tasks
from gen_models.data import paths
from gen_models.evaluation import registry
from gen_models.training import console, rundir, trainer

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
  budget = t.time_budget_s
  if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not budget >= 0:
    raise ConfigError(f"train.time_budget_s must be a non-negative number of seconds (0: no "
                      f"limit), got {budget!r}")
  if config.data.batch_size < 1:
    raise ConfigError(f"data.batch_size must be positive, got {config.data.batch_size}")
  try:
    names = registry.configured_names(config)
  except ValueError as e:
    raise ConfigError(str(e)) from None
  for name in names:
    missing = [k for k in registry.lookup(name).config_keys if k not in config.eval]
    if missing:
      raise ConfigError(f"evaluator {name!r} reads eval.{missing[0]}, which the config lacks")


def resolve_data_dir(config) -> None:
  """Resolves `data.data_dir` once, at the edge (config value, else $GEN_MODELS_DATA_DIR, else the
  per-user cache), so everything below reads an absolute path and config.json records it."""
  if "data" in config and "data_dir" in config.data:
    config.data.data_dir = str(paths.resolve_data_dir(config.data.data_dir))


def build(config):
  """-> (source, task) of a validated config whose data_dir is resolved."""
  source = data_lib.build_source(config.data, config.train.seed)
  return source, tasks.build_task(config, source)


def build_evaluators(config, task, source, skipped=None) -> registry.EvaluatorSet:
  """The configured evaluators, built once (their files checked first unless `skipped` is
  the result of that check)."""
  skipped = registry.check_assets(config) if skipped is None else skipped
  return registry.EvaluatorSet(config, task, source, skipped)


def run(config, workdir) -> dict:
  """Trains (or resumes) one run into `workdir`; returns its results.json content. A run that
  already finished at train.num_steps is left as it is (raise num_steps to extend it)."""
  validate(config)
  resolve_data_dir(config)
  workdir = rundir.ensure_writable(workdir)
  done = rundir.finished_results(workdir, config.train)
  if done is not None:
    rundir.check_config(workdir, config)  # another config's finished run is refused, not kept
    console.emit(f"finished earlier at step {done['step']}; results in "
                 f"{workdir / 'results.json'}: {console.headline_results(done)}")
    return done
  skipped = registry.check_assets(config)  # before training: a missing file only skips
  rundir.write_config(workdir, config)
  source, task = build(config)
  evaluate = build_evaluators(config, task, source, skipped)
  results = trainer.fit(task, source, config, pathlib.Path(workdir), evaluate)
  console.emit(f"done: results in {workdir / 'results.json'}: "
               f"{console.headline_results(results)}")
  return results
