"""The console: a plain line every log_every steps, bar or no bar, and a closing results line."""

import re

import numpy as np

from conftest import TINY_OVERRIDES, launch
from gen_models.training import console

TOY = "--config=experiments/wgan_gp_toy.py"
STEP_LINE = re.compile(r"^step (\d+)/6  critic_loss \S+  generator_loss \S+  .*  \S+ ex/s  "
                       r"ETA \S+$")


def test_step_lines_and_results_line_without_a_bar(tmp_path):
  proc = launch(TOY, *TINY_OVERRIDES, "--config.train.num_steps=6",
                "--config.train.log_every=2", f"--workdir={tmp_path}", check=True)
  lines = proc.stdout.splitlines()
  assert [int(m.group(1)) for m in map(STEP_LINE.match, lines) if m] == [2, 4, 6], proc.stdout
  assert lines[-1].startswith(f"done: results in {tmp_path / 'results.json'}: sliced_w1=")
  assert proc.stderr.strip() == ""


def test_step_lines_with_the_bar_on(tmp_path):
  overrides = [o for o in TINY_OVERRIDES if "progress_bar" not in o]
  proc = launch(TOY, *overrides, "--config.train.num_steps=6", "--config.train.log_every=3",
                "--config.train.progress_bar=True", f"--workdir={tmp_path}", check=True)
  assert [int(m.group(1)) for m in map(STEP_LINE.match, proc.stdout.splitlines()) if m] == [3, 6]


def test_line_formats():
  assert [console.duration(s) for s in (4.2, 190, 7500, float("inf"))] == [
      "4s", "3m10s", "2h05m", "?"]
  line = console.step_line(200, 10000, {"a": np.float32(2.0), "critic_loss": -1.234,
                                        "generator_loss": 0.45, "vector": np.ones(3)},
                           12.34, 190)
  assert line == "step 200/10000  critic_loss -1.234  generator_loss 0.45  a 2  12.3 ex/s  ETA 3m10s"
  assert console.headline_results({"step": 9, "fid": np.float64(31.25), "curve": [1, 2],
                                   "ok": True, "modes": 8}) == "fid=31.25 modes=8"
