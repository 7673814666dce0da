"""Every experiments/**/*.py file and every variant: the config loads, every config key the code
reads exists (evaluator keys checked statically; the rest by running the locked config), and a
shrunk copy smoke-runs through runs.run (protocols and sweeps with their lists cut to one or two
entries). Loading is in the default suite for every variant; the smoke runs of the long ones
are marked slow (`-m slow`)."""

import ast
import importlib.util
import pathlib

import ml_collections
import numpy as np
import pytest
from PIL import Image

from conftest import REPO
from gen_models import data as data_lib, runs
from gen_models.evaluation import evaluator, registry
from gen_models.presets import smoke
from gen_models.protocols import PROTOCOLS
from gen_models.runs import jobs, protocol as protocol_runner, single

EXPERIMENTS = sorted((REPO / "experiments").rglob("*.py"))
# Smoke runs in the default suite (the rest run with -m slow, as CI does; the other families'
# defaults have smoke tests of their own under tests/tasks, tests/runs; the AC-GAN's terms and
# conditioning are tested in tests/tasks/test_image_gan.py).
FAST_SMOKE = {("wgan_gp_toy", "swissroll,lsgan")}


def _load(path: pathlib.Path):
  spec = importlib.util.spec_from_file_location(f"experiment_{path.stem}", path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


def _cases():
  for path in EXPERIMENTS:
    for variant in _load(path).VARIANTS:
      if variant == variant.lower():  # upper case names a pattern (wgan_gp_toy.py:DATASET,...)
        yield path, variant
  yield REPO / "experiments" / "wgan_gp_toy.py", "swissroll,lsgan"


CASES = list(_cases())
IDS = [f"{p.stem}:{v}" if v else p.stem for p, v in CASES]


def _run_configs(config):
  """The configs that reach runs.single.run (or runs.jobs.run): a protocol's (or sweep's, or
  the thesis') sub-runs, or itself."""
  if "sweep" in config or "protocol" in config:
    return [sub for _, sub in protocol_runner.subruns_of(protocol_runner._protocol(config),
                                                         config, "/nonexistent/W")]
  return [config]


@pytest.mark.parametrize("path,variant", CASES, ids=IDS)
def test_config_loads_and_sets_what_its_evaluators_read(path, variant):
  config = _load(path).get_config(variant)
  configs = _run_configs(config)
  assert configs
  for sub in configs:
    if "job" in sub:  # a computation, not a training (runs/jobs.py)
      jobs.validate(sub)
      continue
    single.validate(sub)  # sections, train cadence, evaluator names and their eval keys
    assert not data_lib.missing_keys(sub.data)
    assert sub.eval.strict is False
    assert registry.configured_names(sub)


def _reads_with_defaults(path: pathlib.Path):
  """`<something config-like>.get(...)` calls: config reads with a silent default."""
  for node in ast.walk(ast.parse(path.read_text())):
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"):
      target = ast.unparse(node.func.value)
      if any(word in target.split(".")[-1].lower() for word in ("config", "cfg")) or \
          target.split(".")[-1] in ("data", "eval", "model", "train", "protocol", "objective"):
        yield f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)}"


def test_no_config_key_is_read_with_a_silent_default():
  found = [hit for path in sorted((REPO / "gen_models").rglob("*.py"))
           for hit in _reads_with_defaults(path)]
  assert not found, "\n".join(found)


def shrink(config, image_folder: pathlib.Path) -> ml_collections.ConfigDict:
  """2 steps of tiny models (gen_models/presets/smoke.py), image folders read from the fixture."""
  return smoke.shrink(config, image_folder)


@pytest.fixture(scope="module")
def image_folder(tmp_path_factory):
  folder = tmp_path_factory.mktemp("images")
  rng = np.random.default_rng(0)
  for i in range(8):
    Image.fromarray(rng.integers(0, 255, (70, 80, 3), dtype=np.uint8)).save(folder / f"{i}.png")
  return folder


def _thesis_smoke_experiments() -> set:
  """(file stem, variant) of every experiment the thesis smoke runs (tests/test_thesis_smoke.py
  runs them end to end, so they need no smoke run of their own here), and of every default
  variant whose config is one of those (`ood_mnist.py` is `ood_mnist.py:vae`)."""
  runs = _load(REPO / "experiments" / "thesis.py").RUNS
  covered = set()
  for specs in runs.values():
    for spec in specs.values():
      if "smoke" in spec:
        path, _, variant = spec["experiment"].partition(":")
        covered.add((pathlib.Path(path).stem, variant))
  for stem, variant in list(covered):
    module = _load(REPO / "experiments" / f"{stem}.py")
    if variant and module.get_config("").to_dict() == module.get_config(variant).to_dict():
      covered.add((stem, ""))
  return covered


def _smoke_cases():
  covered, seen = _thesis_smoke_experiments(), []
  for (path, variant), case_id in zip(CASES, IDS):
    if path.stem == "thesis" or (path.stem, variant) in covered:
      continue
    config = _load(path).get_config(variant).to_dict()
    if config in seen:  # a variant that names another's config (`:cifar10` is the default)
      continue
    seen.append(config)
    marks = () if (path.stem, variant) in FAST_SMOKE else (pytest.mark.slow,)
    yield pytest.param(path, variant, marks=marks, id=case_id)


@pytest.mark.parametrize("path,variant", list(_smoke_cases()))
def test_shrunk_config_smoke_runs(path, variant, tmp_path, image_folder):
  config = shrink(_load(path).get_config(variant), image_folder)
  config.lock()  # as the launcher runs it: a key the code reads but the config lacks fails
  if "protocol" in config and hasattr(PROTOCOLS[config.protocol.name], "required_evaluators"):
    single.resolve_data_dir(config)  # as runs.run does first
    sub = _run_configs(config)[0]
    missing = {n: registry.missing_assets(sub).get(n)
               for n in PROTOCOLS[config.protocol.name].required_evaluators(config)}
    if any(missing.values()):  # e.g. Figure 3.3 without the exported classifier: one clean error
      with pytest.raises(evaluator.MissingAssetError, match="this protocol's table needs it"):
        runs.run(config, tmp_path / "run")
      return
  results = runs.run(config, tmp_path / "run")
  assert isinstance(results, dict) and results
