"""Bad input stops the launcher with one line naming the problem."""


import pytest

from conftest import REPO, launch

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


def test_unknown_key_names_the_closest_key(tmp_path):
  proc = launch(TOY, f"--workdir={tmp_path}", "--config.train.num_stepz=1")
  _one_line_error(proc, "unknown config key 'train.num_stepz'", "did you mean 'train.num_steps'")
  assert "\\" not in proc.stderr  # neither escaped quotes nor a literal \n


def test_unknown_section_is_named(tmp_path):
  _one_line_error(launch(TOY, f"--workdir={tmp_path}", "--config.trian.num_steps=1"),
                  "'trian'", "did you mean 'train'")


@pytest.mark.parametrize("spec, valid", [
    ("wgan_gp_cifar.py:foo", ["dcgan"]),
    ("wgan_gp_toy.py:foo", ["8gaussians", "25gaussians", "swissroll"]),
    ("wgan_gp_toy.py:swissroll,foo", ["wgan_gp", "wgan_clip", "dcgan", "lsgan"]),
    ("cifar10_classifier.py:foo", ["none"]),
])
def test_bad_variant_lists_the_valid_ones(tmp_path, spec, valid):
  proc = launch(f"--config=experiments/{spec}", f"--workdir={tmp_path}")
  _one_line_error(proc, f"cannot load config experiments/{spec}:", "unknown variant 'foo'",
                  f"experiments/{spec.split(':')[0]}", "valid", *valid)
  assert "Traceback" not in proc.stderr and "\\" not in proc.stderr


def test_list_shows_every_experiment_and_variant():
  proc = launch("--list")
  assert proc.returncode == 0, proc.stderr
  for path in sorted((REPO / "experiments").glob("*.py")):
    assert f"experiments/{path.name}" in proc.stdout
  for variant in (":dcgan", ":fashion_mnist", ":image_folder", ":pixelcnnpp",
                  ":DATASET[,OBJECTIVE]", "(default)"):
    assert variant in proc.stdout
