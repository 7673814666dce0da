"""The one launcher: `python launch/main.py --config=experiments/X.py[:variant] --workdir=DIR`.

`python launch/main.py --list` prints every experiment file with its variants.

Overrides: `--config.train.num_steps=200`. A config with a `protocol` section runs its list of
sub-runs into workdir/<name>/ and then the protocol's reducer. Errors end in one line;
GEN_MODELS_DEBUG=1 shows the traceback instead.
"""

import importlib.util
import os
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "launch")]  # runnable from a checkout (and cli.py)

import cli  # noqa: E402  (launch/cli.py: applies the CPU fast path before anything imports jax)
import scaling  # noqa: E402  (launch/scaling.py: --launcher, --jobs, --slurm_*, several hosts)
from absl import app, flags  # noqa: E402
from ml_collections import config_flags  # noqa: E402

_CONFIG = config_flags.DEFINE_config_file("config", None, "Experiment config file.",
                                          lock_config=True)
_WORKDIR = flags.DEFINE_string("workdir", None, "Run directory (created if missing).")
_LIST = flags.DEFINE_bool("list", False, "Print every experiments/*.py with its variants; exit.")
_DRY_RUN = flags.DEFINE_bool("dry_run", False, "Print what would run (a protocol's sub-runs, each "
                             "with its budget and estimated cost) and exit without training.")


def _config_spec(argv) -> str:
  """The `--config` value as given (`experiments/X.py:variant`), or '' if absent."""
  for i, arg in enumerate(argv[1:], 1):
    if arg.startswith("--config="):
      return arg.split("=", 1)[1]
    if arg == "--config" and i + 1 < len(argv):
      return argv[i + 1]
  return ""


def _load_module(path):
  """An experiment file as a module, loaded as config_flags loads it."""
  spec = importlib.util.spec_from_file_location(f"experiment_{pathlib.Path(path).stem}", path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


def _flag_error(argv, e: Exception) -> str:
  """One line for an exception from flag parsing: an unknown override key (with the closest
  key), a config file that failed to load (with its own message), or absl's message."""
  try:  # config_flags checks overrides while loading: load the config again to name the key
    path, colon, arg = _config_spec(argv).partition(":")
    module = _load_module(path)
    problem = cli.unknown_key(module.get_config(arg) if colon else module.get_config(), argv)
  except Exception:  # noqa: BLE001  (then the load itself failed: reported below)
    problem = None
  if problem:
    return problem
  text = str(e)
  if (isinstance(e, flags.Error) and not text.startswith("flag --config=")
      and "Error whilst parsing config file" not in text):
    return " ".join(text.split())
  root = cli.root_cause(e)
  message = " ".join(str(root).split())
  if not isinstance(root, ValueError):
    message = f"{type(root).__name__}: {message}"
  return f"cannot load config {_config_spec(argv)}: {message}"[:600]


def _experiment_list() -> tuple[str, bool]:
  """Every experiments/*.py: the docstring's first line, then each variant's description."""
  lines, ok = [], True
  for path in sorted((REPO / "experiments").rglob("*.py")):
    name = str(path.relative_to(REPO))
    try:
      module = _load_module(path)
      variants = dict(module.VARIANTS)
    except Exception as e:  # noqa: BLE001
      lines.append(f"{name}  (cannot load: {type(e).__name__}: {' '.join(str(e).split())})")
      ok = False
      continue
    doc = (module.__doc__ or "").strip().splitlines() or [""]
    first = doc[0].strip()
    if len(doc) > 1 and doc[1].strip() and not first.endswith((".", ":")):
      first += " ..."
    lines.append(f"{name}  {first}")
    labels = [(":" + v) if v else "(default)" for v in variants]
    width = max(24, *(len(label) + 2 for label in labels))
    for label, description in zip(labels, variants.values()):
      lines.append(f"    {label:<{width}}{description}")
  return "\n".join(lines), ok


def main(argv):
  if len(argv) > 1:
    cli.fail(f"unexpected arguments {argv[1:]}")
  if _LIST.value:
    listing, ok = _experiment_list()
    print(listing)
    sys.exit(0 if ok else 1)
  if not flags.FLAGS["config"].present or not (_WORKDIR.value or _DRY_RUN.value):
    cli.fail("both --config and --workdir are required")
  config_path = flags.FLAGS["config"].serialize().split("=", 1)[1].split(":", 1)[0]
  if not os.path.isfile(config_path):
    cli.fail(f"config file not found: {config_path}")
  try:
    config = _CONFIG.value
    config.keys()  # a failed load returns a placeholder that raises on first use
  except Exception as e:  # noqa: BLE001
    cli.fail(f"cannot load config {flags.FLAGS['config'].serialize()}: "
             + " ".join(str(e).split())[:400])
  if _DRY_RUN.value:
    from gen_models.runs import protocol
    with cli.one_line_errors():
      print(protocol.dry_run(config, _WORKDIR.value or "DIR"))
    return
  with cli.one_line_errors():
    scaling.init_distributed()  # before any other JAX call
  from gen_models import runs
  from gen_models.training import rundir
  rundir.git_commit()  # pins the commit the code was loaded from, before any long work
  with cli.one_line_errors():
    runs.run(config, _WORKDIR.value, scaling.executor(_WORKDIR.value))


if __name__ == "__main__":
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  app.run(main, flags_parser=lambda argv: cli.parse_flags(argv, _flag_error))
