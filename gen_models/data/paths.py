"""Where data lives: config field, else $GEN_MODELS_DATA_DIR, else a per-user cache."""

import os
import pathlib

ENV_VAR = "GEN_MODELS_DATA_DIR"


def default_cache_dir() -> pathlib.Path:
  base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
  return pathlib.Path(base) / "gen_models" / "data"


def resolve_data_dir(configured: str = "") -> pathlib.Path:
  """Returns the data directory following the project's precedence rule.

  1. `configured` (the config field `data.data_dir`) when non-empty;
  2. the environment variable GEN_MODELS_DATA_DIR;
  3. a per-user cache directory (`~/.cache/gen_models/data`).
  """
  if configured:
    return pathlib.Path(configured).expanduser().resolve()
  env = os.environ.get(ENV_VAR, "")
  if env:
    return pathlib.Path(env).expanduser().resolve()
  return default_cache_dir()
