"""The SLURM executor against a real SLURM (tests/slurm/start_local_slurm.sh starts a one-node
cluster on this machine): the tiny protocol as one job array gives the serial run's table, and
a relaunch submits nothing that finished."""

import json
import shutil
import subprocess

import pytest

from conftest import launch
from tiny_protocol import SUBRUNS, TINY_PROTOCOL, serial_table  # noqa: F401 (fixture)

pytestmark = pytest.mark.slurm


def _cluster_up() -> str:
  """'' when a SLURM node accepts jobs, else why not."""
  if not shutil.which("sinfo"):
    return "no SLURM here (sinfo not found); start one with tests/slurm/start_local_slurm.sh"
  try:
    states = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True,
                            timeout=20).stdout.split()
  except (OSError, subprocess.SubprocessError) as e:
    return f"sinfo failed ({e}); start the cluster with tests/slurm/start_local_slurm.sh"
  if not any(s.rstrip("*") in ("idle", "mix", "alloc") for s in states):
    return (f"no SLURM node up (sinfo states: {states or 'none'}); start the cluster with "
            f"tests/slurm/start_local_slurm.sh")
  return ""


@pytest.fixture(scope="module", autouse=True)
def slurm_cluster():
  reason = _cluster_up()
  if reason:
    pytest.skip(reason)


def test_slurm_job_array_gives_the_serial_table(tmp_path, serial_table):
  args = (*TINY_PROTOCOL, f"--workdir={tmp_path}", "--launcher=slurm", "--slurm_time=10",
          "--slurm_cpus_per_task=1")
  proc = launch(*args, check=True, timeout=600)
  assert "submitted 2 sub-run(s) as SLURM array" in proc.stdout, proc.stdout
  assert (tmp_path / "table.md").read_text() == serial_table
  jobs = json.loads((tmp_path / "slurm" / "jobs.json").read_text())
  assert sorted(jobs) == sorted(SUBRUNS)
  array_ids = {job_id.split("_")[0] for job_id in jobs.values()}
  assert len(array_ids) == 1  # one array, one task per sub-run
  for name, job_id in jobs.items():
    assert (tmp_path / "slurm" / job_id).is_dir()  # submitit's pickles and logs
    prov = json.loads((tmp_path / name / "provenance.json").read_text())
    assert prov["segments"][0]["finished"]
  # Relaunch after one sub-run is lost: only that one is submitted again.
  (tmp_path / SUBRUNS[1] / "results.json").unlink()
  kept = (tmp_path / SUBRUNS[0] / "metrics.jsonl").read_bytes()
  proc = launch(*args, check=True, timeout=600)
  assert f"{SUBRUNS[0]}: finished earlier, kept" in proc.stdout
  assert "submitted 1 sub-run(s) as SLURM array" in proc.stdout
  assert (tmp_path / SUBRUNS[0] / "metrics.jsonl").read_bytes() == kept
  assert (tmp_path / "table.md").read_text() == serial_table
