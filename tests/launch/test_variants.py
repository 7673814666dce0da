"""Every experiments/*.py declares VARIANTS; each named variant builds and a bad one is one line
listing the valid ones (gen_models/presets/variants.py)."""

import importlib.util

import pytest

from conftest import REPO
from gen_models.presets import variants

EXPERIMENTS = sorted((REPO / "experiments").glob("*.py"))


def _load(path):
  spec = importlib.util.spec_from_file_location(f"experiment_{path.stem}", path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_variants_are_declared_and_build(path):
  module = _load(path)
  assert isinstance(module.VARIANTS, dict) and "" in module.VARIANTS
  for name, description in module.VARIANTS.items():
    assert isinstance(description, str) and description and "\n" not in description
    if name == name.lower():  # upper case names a pattern (wgan_gp_toy.py:DATASET[,OBJECTIVE])
      assert module.get_config(name) is not None
  with pytest.raises(ValueError) as error:
    module.get_config("no_such_variant")
  message = str(error.value)
  assert "\n" not in message
  assert f"unknown variant 'no_such_variant' for experiments/{path.name}" in message
  for name in module.VARIANTS:
    if name and name == name.lower():
      assert name in message


def test_toy_compound_variant():
  module = _load(REPO / "experiments" / "wgan_gp_toy.py")
  config = module.get_config("swissroll,lsgan")
  assert (config.data.name, config.objective.name) == ("swissroll", "lsgan")
  assert module.get_config("25gaussians").objective.name == "wgan_gp"
  with pytest.raises(ValueError, match="valid OBJECTIVE: wgan_gp, wgan_clip, dcgan, lsgan"):
    module.get_config("swissroll,wgan")


def test_check_variant_message():
  assert variants.check_variant("b", {"": "default", "b": "B"}, "/x/experiments/e.py") == "b"
  with pytest.raises(ValueError, match=r"^unknown variant 'c' for experiments/e.py; valid: b "
                                       r"\(or no :variant, for the default\)$"):
    variants.check_variant("c", {"": "default", "b": "B"}, "/x/experiments/e.py")
