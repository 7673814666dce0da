"""A finished run exports to results/NAME.md with its numbers, figures and provenance."""

import json

import pytest

from conftest import TINY_OVERRIDES, launch
from gen_models.plotting import report


def test_export_of_a_finished_run(tmp_path):
  run = tmp_path / "run"
  launch("--config=experiments/wgan_gp_toy.py", *TINY_OVERRIDES, "--config.train.num_steps=3",
         f"--workdir={run}", check=True)
  path = report.export(run, tmp_path / "results", "toy", "A toy run")
  text = path.read_text()
  results = json.loads((run / "results.json").read_text())
  assert text.startswith("# A toy run")
  assert f"| sliced_w1 | {results['sliced_w1']:.6g} |" in text
  assert "![samples](toy/samples.png)" in text
  assert (tmp_path / "results" / "toy" / "samples.png").exists()
  prov = json.loads((run / "provenance.json").read_text())
  assert prov["command"] in text and "wall time" in text
  assert "- train.num_steps: 3 (per run)" in text
  # a run stopped by a training wall-clock budget states the budget, num_steps only as a cap
  config = json.loads((run / "config.json").read_text())
  config["train"]["time_budget_s"] = 60.0
  (run / "config.json").write_text(json.dumps(config))
  text = report.export(run, tmp_path / "results", "toy").read_text()
  assert "- train.time_budget_s: 60 s of training wall-clock (per run), at most 3 steps" in text


def test_export_refuses_an_unfinished_run(tmp_path):
  (tmp_path / "run").mkdir()
  with pytest.raises(FileNotFoundError, match="has not finished"):
    report.export(tmp_path / "run", tmp_path / "results", "x")
