"""A run's config read back from config.json is the config it was launched with: tuples stay
tuples, so `launch/evaluate.py --config.eval.evaluators=(...)` can override them."""

from conftest import tiny_gan_config
from gen_models.runs import restore
from gen_models.training import rundir


def test_load_config_gives_back_the_written_config_with_its_tuples(tmp_path):
  config = tiny_gan_config(num_steps=2)
  rundir.write_config(tmp_path, config)
  loaded = restore.load_config(tmp_path)
  assert isinstance(loaded.eval.evaluators, tuple)
  assert loaded.eval.evaluators == tuple(config.eval.evaluators)
  assert rundir.config_differences(rundir.config_to_dict(config),
                                   rundir.config_to_dict(loaded)) == []
  loaded.eval.evaluators = ("sample_grid",)  # what the override does; a list field refuses it
