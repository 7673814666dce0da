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


# The sampling and per-family step benchmarks take 14-20 s each: the slow set runs them.
SLOW_CASES = {"sampling_speed.py", "step_times.py"}


@pytest.mark.parametrize("script", [
    pytest.param(name, marks=pytest.mark.slow) if name in SLOW_CASES else name
    for name in sorted(CASES)])
def test_benchmark_runs_and_reports(script, tmp_path):
  out = tmp_path / "report.md"
  env = dict(os.environ, JAX_PLATFORMS="cpu")
  proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), *CASES[script],
                         f"--out={out}"], capture_output=True, text=True, timeout=600, env=env,
                        cwd=REPO)
  assert proc.returncode == 0, proc.stderr[-3000:]
  assert out.read_text().strip()


@pytest.mark.slow
def test_fast_path_comparison_times_another_checkout_as_a_third_side(tmp_path):
  """--compare-fast-path --before=DIR: three workers (DIR's default path, this checkout's default
  and fast path) alternate, and the report gives both speed-ups; a DIR that is not a checkout
  is refused by name. This checkout stands in for the other one."""
  out = tmp_path / "report.md"
  run = lambda before: subprocess.run(  # noqa: E731
      [sys.executable, str(REPO / "benchmarks" / "gp_step_throughput.py"), "--compare-fast-path",
       "--width=8", "--batch-size=4", "--rounds=2", f"--before={before}", f"--out={out}"],
      capture_output=True, text=True, timeout=600, env=dict(os.environ, JAX_PLATFORMS="cpu"),
      cwd=REPO)
  refused = run(tmp_path)
  assert refused.returncode != 0 and "is not a checkout" in refused.stderr
  proc = run(REPO)
  assert proc.returncode == 0, proc.stderr[-3000:]
  report = out.read_text()
  assert "| quantity | A: before | B: default | C: fast path |" in report
  assert "Speed-up of the fast path (the flag alone)" in report
  assert "Speed-up of this checkout's fast path over the code before" in report
