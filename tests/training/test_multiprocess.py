"""One training over two processes (jax.distributed on CPU, gloo collectives) follows the same
trajectory as one process with two devices, and its checkpoints restore on one process."""

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO, TINY_OVERRIDES, launch

ARGS = ["--config=experiments/wgan_gp_toy.py", *TINY_OVERRIDES]
LOSSES = ("critic_loss", "generator_loss", "gradient_penalty", "wasserstein_estimate")


def _free_port() -> int:
  with socket.socket() as s:
    s.bind(("localhost", 0))
    return s.getsockname()[1]


def _losses(workdir):
  rows = [json.loads(line) for line in (workdir / "metrics.jsonl").read_text().splitlines()]
  return {r["step"]: [r[k] for k in LOSSES] for r in rows if "critic_loss" in r}


def _two_processes(workdir, num_steps, extra=()):
  port = _free_port()
  env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=1",
             JAX_CPU_COLLECTIVES_IMPLEMENTATION="gloo")
  env.setdefault("JAX_PLATFORMS", "cpu")
  procs = [subprocess.Popen(
      [sys.executable, str(REPO / "launch" / "main.py"), *ARGS, *extra,
       f"--config.train.num_steps={num_steps}", f"--workdir={workdir}",
       f"--coordinator_address=localhost:{port}", "--num_processes=2", f"--process_id={i}"],
      cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
      for i in range(2)]
  outs = [p.communicate(timeout=300)[0] for p in procs]
  for p, out in zip(procs, outs):
    assert p.returncode == 0, out[-3000:]


def test_two_processes_match_two_devices(tmp_path):
  one, two = tmp_path / "one_process", tmp_path / "two_processes"
  launch(*ARGS, "--config.train.num_steps=4", f"--workdir={one}", devices=2, check=True)
  _two_processes(two, num_steps=4)
  a, b = _losses(one), _losses(two)
  assert sorted(a) == sorted(b) == list(range(1, 5))  # process 0 alone wrote the metrics
  np.testing.assert_allclose([a[s] for s in a], [b[s] for s in a], rtol=1e-5, atol=1e-6)
  prov = json.loads((two / "provenance.json").read_text())
  assert len(prov["segments"]) == 1  # one writer, not one segment per process
  assert json.loads((two / "results.json").read_text())["step"] == 4


@pytest.mark.slow
def test_two_process_checkpoint_continues_on_one_process(tmp_path):
  one, two = tmp_path / "one_process", tmp_path / "two_processes"
  # A constant learning rate: the default decays it over train.num_steps, which is extended here.
  constant = ["--config.optimizer.critic.linear_decay=False",
              "--config.optimizer.generator.linear_decay=False"]
  _two_processes(two, num_steps=6, extra=constant)
  # The two-process checkpoint (step 6) continues on one process with two devices, as an
  # uninterrupted one-process run does.
  launch(*ARGS, *constant, "--config.train.num_steps=8", f"--workdir={two}", devices=2,
         check=True)
  launch(*ARGS, *constant, "--config.train.num_steps=8", f"--workdir={one}", devices=2,
         check=True)
  a, b = _losses(one), _losses(two)
  assert sorted(b) == list(range(1, 9))
  prov = json.loads((two / "provenance.json").read_text())
  assert [seg["devices"]["count"] for seg in prov["segments"]] == [1, 2]
  np.testing.assert_allclose([a[s] for s in a], [b[s] for s in a], rtol=1e-5, atol=1e-6)


def test_explicit_flags_go_together(tmp_path):
  proc = launch(*ARGS, f"--workdir={tmp_path}", "--num_processes=2")
  assert proc.returncode == 2
  assert "go together" in proc.stderr
