"""Where data lives: config field, else $GEN_MODELS_DATA_DIR, else a per-user cache."""

import hashlib
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


def given(data_dir) -> pathlib.Path:
  """`data_dir` as already resolved at the edge (runs/single.py, the launchers, tools): code
  below the edge takes the path it is given and never looks at the environment itself."""
  if not str(data_dir or ""):
    raise ValueError("data.data_dir is empty here: it is resolved once, by the run glue "
                     "(gen_models/runs/single.py resolve_data_dir) or a tool's entry point")
  return pathlib.Path(data_dir)


def file_digest(path, algorithm: str = "sha256") -> str:
  """Hex digest of a file, read in 4 MiB chunks (weights and tarballs are hundreds of MB)."""
  digest = hashlib.new(algorithm)
  with open(path, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 22), b""):
      digest.update(chunk)
  return digest.hexdigest()
