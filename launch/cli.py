"""What the launch scripts share: one-line errors, flag parsing, config overrides of a run."""

import contextlib
import difflib
import os
import pathlib
import re
import sys

from absl import flags, logging

from gen_models import xla_setup

xla_setup.apply_cpu_fast_path()  # before any launcher imports jax (sample.py, evaluate.py)

logging.set_verbosity(logging.WARNING)  # orbax logs every checkpoint operation at INFO

# Bad input the user can fix ends in one line (GEN_MODELS_DEBUG=1 shows the traceback).
USER_ERRORS = (OSError, ValueError, KeyError, AttributeError, FloatingPointError)


def fail(message: str) -> None:
  print(f"error: {' '.join(str(message).split())}", file=sys.stderr)
  sys.exit(2)


def parse_flags(argv, describe_error=None):
  """absl's parser, but any flag or config problem ends in one line naming it:
  describe_error(argv, exception) -> the line (default: the error's own text)."""
  try:
    return flags.FLAGS(argv)
  except Exception as e:  # noqa: BLE001  (config files raise arbitrary errors when loaded)
    if os.environ.get("GEN_MODELS_DEBUG"):
      raise
    fail(describe_error(argv, e) if describe_error else f"{type(e).__name__}: {e}")


def unknown_key(config, argv) -> str | None:
  """One line naming the first `--config.a.b` override whose path `config` lacks, with the
  closest existing key; None when every override path exists."""
  for arg in argv[1:]:
    match = re.match(r"--(?:no)?config\.([^=\s]+)", arg)
    if not match:
      continue
    path, node, done = match.group(1), config, []
    for part in path.split("."):
      name = part.split("[", 1)[0]  # `a.b[0]` indexes a tuple field `b`
      if not hasattr(node, "keys"):
        return (f"unknown config key {path!r}: {'.'.join(done)!r} is a value "
                f"({type(node).__name__}), not a section")
      keys = [str(k) for k in node.keys()]
      if name not in keys:
        close = difflib.get_close_matches(name, keys, 1, 0.6)
        hint = (f"did you mean {'.'.join(done + close)!r}?" if close else
                f"{'.'.join(done) or 'the config'} has {', '.join(sorted(keys))}")
        missing = ".".join(done + [name])
        where = "" if missing == path.split("[", 1)[0] else f" (in --config.{path})"
        return f"unknown config key {missing!r}{where}; {hint}"
      node = node[name]
      done.append(name)
  return None


def root_cause(e: BaseException) -> BaseException:
  while (e.__cause__ or e.__context__) is not None:
    e = e.__cause__ or e.__context__
  return e




def _own_message(error: Exception) -> bool:
  """Project errors whose message already says what is wrong (no type name needed)."""
  from gen_models.evaluation import evaluator
  from gen_models.runs import single
  from gen_models.training import checkpointing, rundir
  return isinstance(error, (single.ConfigError, rundir.RunDirError, evaluator.MissingAssetError,
                            checkpointing.CheckpointSaveError))


@contextlib.contextmanager
def one_line_errors():
  from gen_models.training import rundir
  try:
    yield
  except USER_ERRORS + (rundir.RunDirError,) as e:
    if os.environ.get("GEN_MODELS_DEBUG"):
      raise
    fail(str(e) if _own_message(e) else f"{type(e).__name__}: {e}")


def flag_value(argv, name: str):
  for i, arg in enumerate(argv):
    if arg.startswith(f"--{name}="):
      return arg.split("=", 1)[1]
    if arg == f"--{name}" and i + 1 < len(argv):
      return argv[i + 1]
  return None


def define_config_from_workdir(argv) -> None:
  """Defines --config as the run's own config.json, so --config.a.b=value overrides it."""
  from ml_collections import config_flags
  from gen_models.runs import restore
  workdir = flag_value(argv, "workdir")
  if not workdir:
    fail("--workdir is required")
  if not pathlib.Path(workdir).is_dir():
    fail(f"run directory not found: {workdir}")
  with one_line_errors():
    config = restore.load_config(workdir)
  problem = unknown_key(config, argv)  # DEFINE_config_dict applies overrides right away
  if problem:
    fail(problem)
  config_flags.DEFINE_config_dict("config", config, "The run's config (overridable).",
                                  lock_config=True)


def overrides(argv) -> list[str]:
  return [a for a in argv[1:] if a.startswith("--config.")]
