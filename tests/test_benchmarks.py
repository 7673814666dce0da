"""The benchmark scripts run on a fresh machine (no classifier, no Inception weights, no GPU),
shrunk to seconds; each writes its markdown report."""

import os
import subprocess
import sys

import pytest

from conftest import REPO

CASES = {
    "gp_step_throughput.py": ["--width=8", "--batch-size=4", "--steps=1"],
    "sampling_speed.py": ["--num_samples=2", "--size=6", "--layers=2", "--channels=8"],
    "step_times.py": ["--steps=1", "--families=gan_toy,vae_mnist"],
}


@pytest.mark.parametrize("script", sorted(CASES))
def test_benchmark_runs_and_reports(script, tmp_path):
  out = tmp_path / "report.md"
  env = dict(os.environ, JAX_PLATFORMS="cpu")
  proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), *CASES[script],
                         f"--out={out}"], capture_output=True, text=True, timeout=600, env=env,
                        cwd=REPO)
  assert proc.returncode == 0, proc.stderr[-3000:]
  assert out.read_text().strip()
