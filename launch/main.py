"""The one launcher: `python launch/main.py --config=experiments/X.py[:variant] --workdir=DIR`.

Overrides: `--config.train.num_steps=200`. A config with a `protocol` section runs its list of
sub-runs into workdir/<name>/ and then the protocol's reducer. Errors end in one line;
GEN_MODELS_DEBUG=1 shows the traceback instead.
"""

import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # runnable from a checkout

from absl import app, flags, logging  # noqa: E402
from ml_collections import config_flags  # noqa: E402

_CONFIG = config_flags.DEFINE_config_file("config", None, "Experiment config file.",
                                          lock_config=True)
_WORKDIR = flags.DEFINE_string("workdir", None, "Run directory (created if missing).")


def _fail(message: str) -> None:
  print(f"error: {message}", file=sys.stderr)
  sys.exit(2)


def _parse_flags(argv):
  """absl's parser, but any flag or config problem ends in one line naming it."""
  try:
    return flags.FLAGS(argv)
  except flags.Error as e:
    _fail(str(e).replace("\n", " "))
  except Exception as e:  # noqa: BLE001  (config files raise arbitrary errors when loaded)
    _fail(f"cannot load config: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")


def main(argv):
  if len(argv) > 1:
    _fail(f"unexpected arguments {argv[1:]}")
  if not _WORKDIR.value or not flags.FLAGS["config"].present:
    _fail("both --config and --workdir are required")
  config_path = flags.FLAGS["config"].serialize().split("=", 1)[1].split(":", 1)[0]
  if not os.path.isfile(config_path):
    _fail(f"config file not found: {config_path}")
  try:
    config = _CONFIG.value
    config.keys()  # a failed load returns a placeholder that raises on first use
  except Exception as e:  # noqa: BLE001
    _fail(f"cannot load config {flags.FLAGS['config'].serialize()}: "
          + " ".join(str(e).split())[:400])
  from gen_models import runs
  from gen_models.evaluation import evaluator
  from gen_models.training import checkpointing, rundir, trainer
  rundir.git_commit()  # pins the commit the code was loaded from, before any long work
  logging.set_verbosity(logging.WARNING)  # orbax logs every save at INFO
  try:
    with config.unlocked():
      from gen_models.data import resolve_data_dir
      if "data" in config and "data_dir" in config.data:
        config.data.data_dir = str(resolve_data_dir(config.data.data_dir))
    runs.run(config, _WORKDIR.value)
  except (runs.ConfigError, rundir.RunDirError, trainer.NonFiniteLossError,
          checkpointing.CheckpointSaveError, evaluator.MissingAssetError, FileNotFoundError,
          PermissionError, ValueError, KeyError, AttributeError) as e:
    if os.environ.get("GEN_MODELS_DEBUG"):
      raise
    plain = (runs.ConfigError, rundir.RunDirError, evaluator.MissingAssetError,
             checkpointing.CheckpointSaveError)
    _fail(str(e) if isinstance(e, plain) else f"{type(e).__name__}: {e}")


if __name__ == "__main__":
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  app.run(main, flags_parser=_parse_flags)
