"""train.time_budget_s: a run stops when its training wall-clock reaches the budget, says so, is
finished for a relaunch with the same budget, and resumes when the budget is raised."""


import pytest

from conftest import tiny_gan_config
from gen_models.runs import single
from gen_models.training import metrics as metrics_lib, rundir


def test_a_run_stops_at_its_time_budget_and_resumes_when_it_is_raised(tmp_path):
  config = tiny_gan_config(num_steps=1000)
  config.train.time_budget_s = 1e-6  # the first step (and its compilation) already exceeds it
  results = single.run(config, tmp_path)
  assert results["stopped_by"] == "time_budget"
  assert results["step"] == 1
  assert rundir.logged_train_elapsed(tmp_path) >= 1e-6
  assert (tmp_path / "checkpoints" / "1").is_dir()
  rows = metrics_lib.read_metrics(tmp_path)

  assert single.run(config, tmp_path) == results  # finished: nothing evaluated or logged again
  assert metrics_lib.read_metrics(tmp_path) == rows

  config.train.time_budget_s = 0.0  # no limit: resumes from step 1 to num_steps
  config.train.num_steps = 3
  resumed = single.run(config, tmp_path)
  assert resumed["stopped_by"] == "num_steps" and resumed["step"] == 3
  steps = [r["step"] for r in metrics_lib.read_metrics(tmp_path) if "critic_loss" in r]
  assert steps == [1, 2, 3]


@pytest.mark.parametrize("budget", [-1.0, float("nan")])
def test_a_bad_time_budget_is_refused(tmp_path, budget):
  config = tiny_gan_config(num_steps=2)
  config.train.time_budget_s = budget
  with pytest.raises(single.ConfigError, match="time_budget_s"):
    single.run(config, tmp_path)
