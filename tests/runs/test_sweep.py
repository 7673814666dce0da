"""Sweeps: experiments/sweeps/*.py run every point of a product/zip of overrides as sub-runs."""

import json

import ml_collections
import pytest

from conftest import TINY_OVERRIDES, launch
from gen_models.protocols import sweep


def _config(product, zip_=()):
  config = ml_collections.ConfigDict(dict(
      train=dict(seed=0, num_steps=10), optimizer=dict(critic=dict(learning_rate=1e-4),
                                                       generator=dict(learning_rate=1e-4))))
  config.sweep = dict(base="x.py", product=sweep._pairs(product), zip=sweep._pairs(zip_),
                      metrics=())
  return config


def test_points_product_and_zip_and_names():
  config = _config({"optimizer.critic.learning_rate": (1e-4, 2e-4), "train.seed": (0, 1)},
                   {"optimizer.generator.learning_rate": (3e-4, 5e-4),
                    "train.num_steps": (20, 30)})
  points = sweep.points(config)
  assert len(points) == 2 * 2 * 2
  assert points[0] == {"optimizer.critic.learning_rate": 1e-4, "train.seed": 0,
                       "optimizer.generator.learning_rate": 3e-4, "train.num_steps": 20}
  assert points[1]["optimizer.generator.learning_rate"] == 5e-4
  assert points[1]["train.num_steps"] == 30  # zipped: walked together
  names = [name for name, _ in sweep.Sweep.subruns(config)]
  # Two keys ending in learning_rate are told apart by their parent section.
  assert names[0] == "critic-lr1e-4_seed0_generator-lr3e-4_steps20"
  subs = dict(sweep.Sweep.subruns(config))
  assert subs[names[1]].train.num_steps == 30 and "sweep" not in subs[names[1]]


def test_bad_sweeps_are_config_errors():
  with pytest.raises(ValueError, match="no field 'learning_rat'"):
    sweep.Sweep.subruns(_config({"optimizer.critic.learning_rat": (1.0,)}))
  with pytest.raises(ValueError, match="differ in length"):
    sweep.Sweep.subruns(_config({}, {"train.seed": (0, 1), "train.num_steps": (1,)}))
  with pytest.raises(ValueError, match="lists no overrides"):
    sweep.Sweep.subruns(_config({}))


def test_format_value():
  assert [sweep.format_value(v) for v in (1e-4, 2.5e-4, 0.5, 3, 1e6, True, "a/b")] == \
      ["1e-4", "2.5e-4", "0.5", "3", "1e6", "True", "a/b"]


def test_toy_gan_sweep_runs_from_one_command(tmp_path):
  overrides = [o for o in TINY_OVERRIDES if "checkpoint_every" not in o]
  proc = launch("--config=experiments/sweeps/toy_gan_lr_seed.py", *overrides,
                "--config.train.num_steps=3", "--config.train.checkpoint_every=3",
                f"--workdir={tmp_path}", check=True)  # serial: the executors have own tests
  names = ["lr1e-4_seed0", "lr1e-4_seed1", "lr2e-4_seed0", "lr2e-4_seed1"]
  assert [line.split()[-1] for line in proc.stdout.splitlines() if line.startswith("[")] == names
  for name in names:
    sub = json.loads((tmp_path / name / "config.json").read_text())
    assert sub["optimizer"]["critic"]["learning_rate"] == float(name[2:6])
    assert sub["train"]["seed"] == int(name[-1]) and "sweep" not in sub
    assert sub["model"]["critic"]["width"] == 16  # the command line's overrides reach points
  table = (tmp_path / "table.md").read_text().splitlines()
  assert table[0] == ("| optimizer.critic.learning_rate | train.seed | modes_covered | "
                      "high_quality_fraction | mmd_rbf | sliced_w1 | steps |")
  assert len(table) == 2 + 4
  assert table[2].startswith("| 1e-4 | 0 |") and table[5].startswith("| 2e-4 | 1 |")
  assert all(row.endswith("| 3 |") for row in table[2:])
  results = json.loads((tmp_path / "results.json").read_text())
  assert list(results["points"]) == names
  mmd = {n: results["points"][n]["results"]["mmd_rbf"] for n in names}
  assert mmd["lr1e-4_seed0"] != mmd["lr1e-4_seed1"]  # the seed reached the run
  # A relaunch retrains nothing.
  again = launch("--config=experiments/sweeps/toy_gan_lr_seed.py", *overrides,
                 "--config.train.num_steps=3", "--config.train.checkpoint_every=3",
                 f"--workdir={tmp_path}", check=True)
  assert again.stdout.count("finished earlier, kept") == 4
