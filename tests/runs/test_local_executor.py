"""The local executor: sub-runs as concurrent processes, same table as serial, kill and resume."""

import datetime
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO, launch
from tiny_protocol import SUBRUNS, TINY_PROTOCOL, serial_table  # noqa: F401 (fixture)


def _interval(subdir):
  """(start, end) in seconds of a sub-run's first launch segment (provenance.json)."""
  segment = json.loads((subdir / "provenance.json").read_text())["segments"][0]
  start = datetime.datetime.fromisoformat(segment["started"]).timestamp()
  return start, start + segment["wall_time_s"]


def test_local_runs_subruns_concurrently_with_the_serial_table(tmp_path, serial_table):
  proc = launch(*TINY_PROTOCOL, f"--workdir={tmp_path}", "--launcher=local", "--jobs=2",
                check=True)
  assert proc.stdout.count("started on cpu") == 2, proc.stdout
  (s1, e1), (s2, e2) = (_interval(tmp_path / name) for name in SUBRUNS)
  overlap = min(e1, e2) - max(s1, s2)
  # "started" is to the millisecond: serial runs do not overlap; concurrent ones, started
  # together, overlap by most of the shorter one.
  assert overlap > 0.5 * min(e1 - s1, e2 - s2), ((s1, e1), (s2, e2))
  assert (tmp_path / "table.md").read_text() == serial_table
  prov = json.loads((tmp_path / "provenance.json").read_text())
  assert prov["segments"][-1]["launcher"] == "local"
  for name in SUBRUNS:  # each worker bound to its own core (1 of the 2 the test machine has)
    assert (tmp_path / name / "launcher.log").exists()


@pytest.mark.slow
def test_killed_local_protocol_resumes_without_retraining(tmp_path, serial_table):
  env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=1")
  env.setdefault("JAX_PLATFORMS", "cpu")
  # One sub-run at a time, so the kill lands while the second one trains.
  parent = subprocess.Popen(
      [sys.executable, str(REPO / "launch" / "main.py"), *TINY_PROTOCOL,
       f"--workdir={tmp_path}", "--launcher=local", "--jobs=1"],
      cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
      start_new_session=True)
  first = tmp_path / SUBRUNS[0]
  deadline = time.time() + 240
  try:
    while not (first / "results.json").exists():
      assert parent.poll() is None, "the protocol ended before the kill"
      assert time.time() < deadline, "first sub-run did not finish in time"
      time.sleep(0.2)
  finally:
    os.killpg(parent.pid, signal.SIGKILL)
    parent.wait()
  assert not (tmp_path / SUBRUNS[1] / "results.json").exists()
  assert not (tmp_path / "table.md").exists()
  kept = (first / "metrics.jsonl").read_bytes()
  stamp = (first / "metrics.jsonl").stat().st_mtime_ns

  proc = launch(*TINY_PROTOCOL, f"--workdir={tmp_path}", "--launcher=local", "--jobs=2",
                check=True)
  assert f"{SUBRUNS[0]}: finished earlier, kept" in proc.stdout
  assert f"{SUBRUNS[1]}: started on" in proc.stdout
  assert (first / "metrics.jsonl").read_bytes() == kept
  assert (first / "metrics.jsonl").stat().st_mtime_ns == stamp
  assert (tmp_path / "table.md").read_text() == serial_table


def test_failing_subrun_is_reported_and_the_others_finish(tmp_path):
  # data.batch_size=3 is not divisible by 2 devices: every sub-run fails in its worker.
  proc = launch(*TINY_PROTOCOL, f"--workdir={tmp_path}", "--launcher=local", "--jobs=2",
                "--config.data.batch_size=3", devices=2)
  assert proc.returncode == 2
  assert "SubRunError: 2 sub-run(s) failed" in proc.stderr
  assert "not divisible by the 2 devices" in (tmp_path / SUBRUNS[0] / "launcher.log").read_text()


@pytest.mark.parametrize("jobs,cores,expected", [
    (2, 2, [[0], [1]]), (None, 4, [[0], [1], [2], [3]]), (2, 4, [[0, 1], [2, 3]]),
    (3, 2, [[0], [1], [0]])])
def test_cpu_slots(monkeypatch, jobs, cores, expected):
  from gen_models.runs import executors
  monkeypatch.setenv("JAX_PLATFORMS", "cpu")
  monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
  slots = executors._slots(jobs)
  assert [s["env"]["GEN_MODELS_WORKER_CPUS"] for s in slots] == \
      [",".join(map(str, g)) for g in expected]


def test_gpu_slots(monkeypatch):
  from gen_models.runs import executors
  monkeypatch.setenv("JAX_PLATFORMS", "")
  monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "2,3")
  slots = executors._slots(None)
  assert [s["env"]["CUDA_VISIBLE_DEVICES"] for s in slots] == ["2", "3"]
  shared = executors._slots(4)  # two sub-runs per GPU split its memory
  assert [s["env"]["CUDA_VISIBLE_DEVICES"] for s in shared] == ["2", "3", "2", "3"]
  assert shared[0]["env"]["XLA_PYTHON_CLIENT_PREALLOCATE"] == "false"
