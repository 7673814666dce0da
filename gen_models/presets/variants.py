"""Experiment variants: every experiments/X.py declares `VARIANTS = {"": "the default", name:
"one line", ...}` and checks the `:variant` it is given with `check_variant`."""

import pathlib
from typing import Iterable


def experiment_path(file: str) -> str:
  """`experiments/X.py` (or `experiments/sweeps/X.py`) for a file below an experiments/ folder,
  as the user types it; else the path as given."""
  parts = pathlib.Path(file).parts
  if "experiments" not in parts:
    return str(file)
  return "/".join(parts[len(parts) - 1 - parts[::-1].index("experiments"):])


def check_variant(arg: str, valid: Iterable[str], file: str, *, part: str = "",
                  pattern: str = "") -> str:
  """`arg` if it is one of `valid` (the keys of a VARIANTS dict, or names; "" is the default),
  else a ValueError whose one line lists the valid names.

  A compound variant (`experiments/wgan_gp_toy.py:DATASET[,OBJECTIVE]`) checks each part on its
  own: `part` names it ("DATASET") and `pattern` is the whole form (":DATASET[,OBJECTIVE]").
  """
  valid = list(valid)
  if arg in valid:
    return arg
  names = ", ".join(v for v in valid if v)
  if not names:
    names = "none (this experiment takes no :variant)"
  elif "" in valid:
    names += " (or no :variant, for the default)"
  where = experiment_path(file) + pattern
  raise ValueError(f"unknown variant {arg!r} for {where}; valid{' ' + part if part else ''}: "
                   f"{names}")
