"""The provenance lines every reported number carries (plotting/tables.py): each commit of a
resumed run, and a protocol's CPU time summed over its sub-runs."""

import json

import pytest

from gen_models.plotting import tables
from gen_models.training import rundir


def _fake_run(path, results):
  path.mkdir()
  (path / "results.json").write_text(json.dumps(results))
  (path / "provenance.json").write_text(json.dumps(dict(
      commit="0123456789abcdef", dirty=False, command="python launch/main.py --config=x",
      devices=dict(platform="cpu", count=1, kinds=["cpu"]),
      versions=dict(jax="0", flax="0"), wall_time_s=90.0)))
  return path


def test_provenance_names_every_commit_of_a_resumed_run(tmp_path):
  run = _fake_run(tmp_path / "run", {})
  prov = json.loads((run / "provenance.json").read_text())
  prov["segments"] = [dict(commit="aaaaaaaaaaaaaaaa"), dict(commit="0123456789abcdef")]
  (run / "provenance.json").write_text(json.dumps(prov))
  assert ("commit: 0123456789ab (launch segments at aaaaaaaaaaaa, 0123456789ab)"
          in tables.provenance_lines(run))


def test_cpu_time_of_a_protocol_run_counts_its_sub_runs(tmp_path):
  run = _fake_run(tmp_path / "run", {})
  prov = json.loads((run / "provenance.json").read_text())
  prov["segments"] = [dict(commit="a" * 16, cpu_time_s=36.0)]
  (run / "provenance.json").write_text(json.dumps(prov))
  assert "- CPU time: 0.01 core-hours (process CPU time)\n" in tables.provenance_lines(run)
  for name, cpu_time_s in [("heldout_0", 1800.0), ("heldout_1", 3564.0)]:
    (run / name).mkdir()
    (run / name / "provenance.json").write_text(json.dumps(dict(cpu_time_s=cpu_time_s)))
  assert ("- CPU time: 1.50 core-hours (process CPU time; launcher + 2 sub-runs)\n"
          in tables.provenance_lines(run))
  (run / "heldout_1" / "provenance.json").write_text("{not json")
  with pytest.raises(rundir.RunDirError, match="heldout_1/provenance.json is not valid JSON"):
    tables.provenance_lines(run)
