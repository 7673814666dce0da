"""What the launch scripts share: one-line errors, flag parsing, config overrides of a run."""

import contextlib
import os
import pathlib
import sys

from absl import flags, logging

logging.set_verbosity(logging.WARNING)  # orbax logs every checkpoint operation at INFO

# Bad input the user can fix ends in one line (GEN_MODELS_DEBUG=1 shows the traceback).
USER_ERRORS = (FileNotFoundError, PermissionError, ValueError, KeyError, AttributeError,
               FloatingPointError)


def fail(message: str) -> None:
  print(f"error: {' '.join(str(message).split())}", file=sys.stderr)
  sys.exit(2)


def parse_flags(argv):
  """absl's parser, but any flag or config problem ends in one line naming it."""
  try:
    return flags.FLAGS(argv)
  except flags.Error as e:
    fail(str(e))
  except Exception as e:  # noqa: BLE001  (config files raise arbitrary errors when loaded)
    fail(f"cannot load config: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")


def _own_message(error: Exception) -> bool:
  """Project errors whose message already says what is wrong (no type name needed)."""
  from gen_models.evaluation import evaluator
  from gen_models.runs import single
  from gen_models.training import rundir
  return isinstance(error, (single.ConfigError, rundir.RunDirError, evaluator.MissingAssetError))


@contextlib.contextmanager
def one_line_errors():
  from gen_models.training import rundir
  try:
    yield
  except USER_ERRORS + (rundir.RunDirError,) as e:
    if os.environ.get("GEN_MODELS_DEBUG"):
      raise
    fail(str(e) if _own_message(e) else f"{type(e).__name__}: {e}")


def _flag_value(argv, name: str):
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
  workdir = _flag_value(argv, "workdir")
  if not workdir:
    fail("--workdir is required")
  if not pathlib.Path(workdir).is_dir():
    fail(f"run directory not found: {workdir}")
  with one_line_errors():
    config = restore.load_config(workdir)
  config_flags.DEFINE_config_dict("config", config, "The run's config (overridable).",
                                  lock_config=True)


def overrides(argv) -> list[str]:
  return [a for a in argv[1:] if a.startswith("--config.")]


def headline(results: dict, limit: int = 8) -> str:
  """A line of the scalar results (the first `limit`), for the console."""
  scalars = [(k, v) for k, v in results.items()
             if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "step"]
  shown = "  ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                    for k, v in scalars[:limit])
  return shown or "(no scalar results)"
