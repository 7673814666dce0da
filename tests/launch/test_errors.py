"""Bad input stops the launcher with one line naming the problem."""

import pathlib

from conftest import launch

TOY = "--config=experiments/wgan_gp_toy.py"


def _one_line_error(proc, *needles):
  lines = [line for line in proc.stderr.splitlines() if line.strip()]
  assert proc.returncode != 0
  assert len(lines) == 1, proc.stderr
  assert lines[0].startswith("error:"), lines[0]
  for needle in needles:
    assert needle in lines[0], lines[0]


def test_malformed_override(tmp_path):
  _one_line_error(launch(TOY, f"--workdir={tmp_path}", "--config.train.num_steps=abc"),
                  "num_steps")


def test_unknown_config_key(tmp_path):
  _one_line_error(launch(TOY, f"--workdir={tmp_path}", "--config.train.no_such_key=1"),
                  "no_such_key")


def test_missing_config_file(tmp_path):
  _one_line_error(launch("--config=experiments/does_not_exist.py", f"--workdir={tmp_path}"),
                  "does_not_exist.py")


def test_non_writable_workdir(tmp_path):
  blocker = tmp_path / "a_file"
  blocker.write_text("not a directory")
  _one_line_error(launch(TOY, f"--workdir={blocker / 'run'}", "--config.train.num_steps=1"),
                  "workdir", str(blocker))


def test_invalid_value_is_named(tmp_path):
  _one_line_error(launch(TOY, f"--workdir={tmp_path}", "--config.objective.name=wgan_typo"),
                  "wgan_typo")
