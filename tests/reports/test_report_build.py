"""The report builder: any tree of run records -> one REPORT.md, byte-identical when rebuilt from
the records alone; records copied without checkpoints; budgets summed over every process."""

import json
import shutil

import pytest

from conftest import REPO, TINY_OVERRIDES, launch
from gen_models.reports import records, report


@pytest.fixture(scope="module")
def toy_run_dir(tmp_path_factory):
  """A finished 3-step toy GAN run, launched once for this file's tests."""
  path = tmp_path_factory.mktemp("toy") / "run"
  launch("--config=experiments/wgan_gp_toy.py", *TINY_OVERRIDES, "--config.train.num_steps=3",
         f"--workdir={path}", check=True)
  return path


@pytest.fixture
def toy_run(toy_run_dir):
  """A copy of the toy run at `path` (each test may delete parts of its own)."""
  def copy(path):
    shutil.copytree(toy_run_dir, path)
    return path
  return copy


def _write(path, name, obj):
  path.mkdir(parents=True, exist_ok=True)
  (path / name).write_text(json.dumps(obj) if not isinstance(obj, str) else obj)


def _fake_run(path, steps, cpu_s, wall_s, command="python launch/main.py --config=X.py"):
  """A finished single-run record with the given budget."""
  _write(path, "config.json", {"train": {"num_steps": steps, "time_budget_s": 0.0}})
  _write(path, "results.json", {"step": steps, "value": 1.5})
  _write(path, "provenance.json", {
      "commit": "c" * 40, "dirty": False, "command": command, "wall_time_s": wall_s,
      "cpu_time_s": cpu_s, "devices": {"platform": "cpu", "count": 1, "kinds": ["cpu"],
                                       "cpu": "test CPU"},
      "segments": [{"finished": True, "step": steps, "wall_time_s": wall_s,
                    "cpu_time_s": cpu_s, "xla_flags": "--flag"}]})
  return path


def test_a_run_of_no_artefact_is_reported_with_its_numbers_figures_and_provenance(tmp_path,
                                                                              toy_run):
  run = toy_run(tmp_path / "tree" / "toy")
  path, errors = report.build(tmp_path / "tree")
  assert not errors
  text = path.read_text()
  results = json.loads((run / "results.json").read_text())
  assert "## Other runs" in text and "#### toy (`experiments/wgan_gp_toy.py`)" in text
  assert f"| sliced_w1 | {results['sliced_w1']:.6g} |" in text
  assert "![samples](toy/figures/samples.png)" in text
  assert "3 steps, 1 x cpu" in text
  assert json.loads((run / "provenance.json").read_text())["command"] in text
  # every artefact is listed, with 'not run' verdicts where the tree has no run of it
  for key in report.ARTEFACTS:
    assert f"### {report.module(key).TITLE}" in text


def test_the_report_is_rebuilt_byte_identically_from_records_alone(tmp_path, toy_run):
  run = toy_run(tmp_path / "tree" / "toy")
  first = report.build(tmp_path / "tree")[0].read_bytes()
  assert (run / "checkpoints").is_dir()
  copied = records.copy_records(tmp_path / "tree", tmp_path / "records")
  assert not any(p.suffix == ".npz" or "checkpoints" in p.parts or "tensorboard" in p.parts
                 for p in copied)
  assert (tmp_path / "records" / "toy" / "results.json").is_file()
  shutil.rmtree(run / "checkpoints")
  shutil.rmtree(run / "tensorboard", ignore_errors=True)
  assert report.build(tmp_path / "tree")[0].read_bytes() == first
  # the copy reports the same runs (only the paths in the regenerate line may differ)
  copy = report.build(tmp_path / "records")[0].read_text()
  assert copy.split("\n", 3)[3] == first.decode().split("\n", 3)[3]


def test_an_unfinished_run_is_reported_as_such(tmp_path):
  run = _fake_run(tmp_path / "tree" / "r", steps=10, cpu_s=1.0, wall_s=1.0)
  _write(run, "results.json", {"step": 5})  # stopped at step 5 of 10
  text = report.build(tmp_path / "tree")[0].read_text()
  assert "not finished (running, or interrupted: relaunch the same command)" in text
  config = json.loads((run / "config.json").read_text())
  config["train"]["time_budget_s"] = 60.0  # a run whose clock stops it states that budget
  _write(run, "config.json", config)
  _write(run, "results.json", {"step": 10})
  text = report.build(tmp_path / "tree")[0].read_text()
  assert "10 steps (training budget 1.0 min each), 1 x cpu" in text


def test_a_protocol_budget_sums_every_process(tmp_path):
  proto = tmp_path / "proto"
  _write(proto, "config.json", {"protocol": {"name": "x"}, "train": {"num_steps": 4}})
  _write(proto, "results.json", {"table_markdown": ""})
  _write(proto, "provenance.json", {
      "command": "python launch/main.py --config=P.py", "wall_time_s": 100.0,
      "cpu_time_s": 36.0, "devices": {"platform": "cpu", "count": 1, "kinds": ["cpu"]},
      "segments": [{"finished": True, "wall_time_s": 100.0, "cpu_time_s": 36.0}]})
  _fake_run(proto / "a", steps=4, cpu_s=1800.0, wall_s=90.0)
  _fake_run(proto / "b", steps=4, cpu_s=1764.0, wall_s=95.0)
  run = records.Run(name="p", experiment="P.py", path=proto)
  assert run.finished and [t.path.name for t in run.trainings()] == ["a", "b"]
  budget = run.budget()
  assert budget.trainings == 2 and budget.steps == (4,)
  assert abs(budget.core_hours - (36 + 1800 + 1764) / 3600) < 1e-9
  assert budget.cell() == "4 steps x 2 trainings, 1 x cpu, 1.7 min wall, 1.00 core-hours"


def test_a_thesis_tree_lists_its_runs_and_says_which_did_not_run(tmp_path):
  root = tmp_path / "W"
  runs = {"table_2_1": {"vae": {"experiment": "experiments/vae_mnist.py", "note": "",
                                "overrides": [["train.num_steps", 7]], "hours": 0.1,
                                "stage": 1}}}
  _write(root, "config.json", {"protocol": {"name": "thesis", "budget": "cpu",
                                            "artefacts": ["table_2_1"], "runs": runs,
                                            "order": ["table_2_1/vae"]}})
  _write(root, "provenance.json", {"command": "python launch/main.py "
                                   "--config=experiments/thesis.py:cpu --workdir=W"})
  text = report.build(root)[0].read_text()
  assert "`python launch/main.py --config=experiments/thesis.py:cpu --workdir=W`" in text
  assert "- **vae** (`experiments/vae_mnist.py`): not run" in text
  assert "| Convolutional VAE | ≤ 87.41 | not run |" in text
  assert "**not run**" in text
  # once the run exists, its command carries the budget's overrides
  _fake_run(root / "table_2_1" / "vae", steps=7, cpu_s=3.0, wall_s=4.0)
  text = report.build(root)[0].read_text()
  assert "`python launch/main.py --config=experiments/vae_mnist.py --workdir=DIR " \
         "--config.train.num_steps=7`" in text


def test_launch_report_copies_records_and_adds_extra_columns(tmp_path, toy_run):
  import subprocess
  import sys
  toy_run(tmp_path / "tree" / "toy")
  proc = subprocess.run([sys.executable, str(REPO / "launch" / "report.py"),
                         f"--workdir={tmp_path / 'tree'}", f"--records_to={tmp_path / 'rec'}"],
                        capture_output=True, text=True, cwd=REPO)
  assert proc.returncode == 0, proc.stderr
  assert "copied" in proc.stdout and (tmp_path / "rec" / "REPORT.md").is_file()
  assert not (tmp_path / "rec" / "toy" / "checkpoints").exists()
  bad = subprocess.run([sys.executable, str(REPO / "launch" / "report.py"),
                        f"--workdir={tmp_path / 'tree'}", "--run=nope:x@y=z"],
                       capture_output=True, text=True, cwd=REPO)
  assert bad.returncode != 0 and "unknown artefact 'nope'" in bad.stdout + bad.stderr


def test_render_elsewhere_gives_the_committed_text_and_leaves_the_report_folder_alone(tmp_path):
  """What a test of a committed report does: the same text, its figures written elsewhere."""
  root = tmp_path / "W"
  runs = {"table_2_1": {"vae": {"experiment": "experiments/vae_mnist.py", "note": "",
                                "overrides": [], "hours": 0.1, "stage": 1}}}
  _write(root, "config.json", {"protocol": {"name": "thesis", "budget": "cpu",
                                            "artefacts": ["table_2_1"], "runs": runs,
                                            "order": ["table_2_1/vae"]}})
  _write(root, "provenance.json", {"command": "python launch/main.py --config=experiments/"
                                   "thesis.py:cpu --workdir=W"})
  vae = _fake_run(root / "table_2_1" / "vae", steps=7, cpu_s=3.0, wall_s=4.0)
  _write(vae, "results.json", {"step": 7, "test_nll_elbo": 90.0, "num_test_examples": 100})
  _write(vae, "metrics.jsonl", "".join(json.dumps(r) + "\n" for r in (
      {"step": 5, "eval/test_nll_elbo": 100.0, "train_elapsed_s": 1.0},
      {"step": 7, "eval/test_nll_elbo": 90.0, "train_elapsed_s": 2.0})))
  out, errors = report.build(root)
  assert not errors and (root / "report_figures" / "table_2_1").is_dir()
  shutil.rmtree(root / "report_figures")
  text, errors = report.render(root, out, figures_to=tmp_path / "elsewhere")
  assert text == out.read_text() and "report_figures/table_2_1/" in text
  assert (tmp_path / "elsewhere" / "table_2_1").is_dir()
  assert not (root / "report_figures").exists()
