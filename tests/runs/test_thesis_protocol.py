"""The thesis protocol: nested protocols flattened into its sub-runs and reduced when their last
sub-run finishes, stage 0 before the rest, the report rebuilt, a relaunch keeps finished work;
the dry run prints every run with its cost."""

import json
import subprocess
import sys

from conftest import REPO
from gen_models import runs
from gen_models.presets import thesis as thesis_preset
from gen_models.reports import records

TOY = {"model.generator.depth": 2, "model.generator.width": 16, "model.critic.depth": 2,
       "model.critic.width": 16, "data.batch_size": 8, "objective.n_critic": 2,
       "train.num_steps": 3, "train.log_every": 1, "train.checkpoint_every": 3,
       "train.progress_bar": False, "eval.toy_samples": 64, "eval.mmd_samples": 32,
       "eval.grid_size": 8}
TABLE = {
    "figure_3_1": {
        "comparison": dict(experiment="experiments/toy_gan_comparison.py", cpu={"hours": 0.5,
                           "overrides": {**TOY, "protocol.datasets": ("8gaussians",),
                                         "protocol.objectives": ("wgan_gp", "dcgan")}}),
        "first": dict(experiment="experiments/wgan_gp_toy.py", stage=0,
                      cpu={"hours": 0.25, "overrides": TOY}),
    },
}


def _started(path):
  return json.loads((path / "provenance.json").read_text())["segments"][0]["started"]


def test_thesis_runs_stages_flattens_reduces_reports_and_resumes(tmp_path, capsys):
  config = thesis_preset.thesis_config("cpu", TABLE)
  workdir = tmp_path / "W"
  summary = runs.run(config, workdir)
  assert summary["finished_subruns"] == 3
  first = workdir / "figure_3_1" / "first"
  leaves = [workdir / "figure_3_1" / "comparison" / n
            for n in ("wgan_gp_8gaussians", "dcgan_8gaussians")]
  assert all((leaf / "results.json").is_file() for leaf in leaves)
  assert all(_started(first) < _started(leaf) for leaf in leaves)  # stage 0 ran first
  nested = workdir / "figure_3_1" / "comparison"  # its reducer ran into the run's folder
  assert (nested / "table.md").is_file() and (nested / "results.json").is_file()
  assert json.loads((nested / "config.json").read_text())["protocol"]["name"] == \
      "toy_gan_comparison"
  report = (workdir / "REPORT.md").read_text()
  assert "- **first** (`experiments/wgan_gp_toy.py`): 3 steps" in report
  before = {p: p.stat().st_mtime for p in [first, *leaves]
            for p in [p / "metrics.jsonl"]}
  capsys.readouterr()
  runs.run(config, workdir)  # relaunched: nothing trains again
  out = capsys.readouterr().out
  assert out.count("finished earlier, kept") == 3
  assert {p: p.stat().st_mtime for p in before} == before
  # another machine relaunches from the committed records (no checkpoints, no score files):
  # nothing trains, nothing is reduced again, and the report is the same
  copy = tmp_path / "records"
  records.copy_records(workdir, copy)
  runs.run(config, copy)
  out = capsys.readouterr().out
  assert out.count("finished earlier, kept") == 3 and "reduced" not in out
  assert (copy / "REPORT.md").read_text().split("\n", 3)[3] == \
      (workdir / "REPORT.md").read_text().split("\n", 3)[3]


def test_dry_run_prints_every_run_with_its_cost_and_the_total():
  proc = subprocess.run([sys.executable, str(REPO / "launch" / "main.py"),
                         "--config=experiments/thesis.py:cpu", "--dry_run"],
                        capture_output=True, text=True, cwd=REPO, timeout=300)
  assert proc.returncode == 0, proc.stderr
  out = proc.stdout
  spec = _thesis_module()
  for artefact, specs in spec.RUNS.items():
    for run_id, run in specs.items():
      if "cpu" in run:
        assert f"{artefact}/{run_id}: " in out
  total = float(out.rsplit("total: ~", 1)[1].split()[0])
  assert total == round(sum(r["cpu"]["hours"] for s in spec.RUNS.values()
                            for r in s.values() if "cpu" in r), 1)
  assert total <= 40.0


def _thesis_module():
  import importlib.util
  s = importlib.util.spec_from_file_location("thesis_experiment", REPO / "experiments" / "thesis.py")
  module = importlib.util.module_from_spec(s)
  s.loader.exec_module(module)
  return module
