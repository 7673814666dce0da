"""A finished CIFAR-10 classifier run exported as the offline scorer's .npz
(evaluation/offline_score.py): the run is restored like any other (runs/restore.py)."""

import datetime
import pathlib

from gen_models.evaluation import offline_score
from gen_models.runs import restore
from gen_models.training import rundir


def export_classifier(workdir, out_path=None) -> pathlib.Path:
  """Exports the last checkpoint of a finished classifier run (`results.json` at its step).

  out_path: default `offline_score.default_export_path(<the run's data.data_dir>)`.
  Returns the .npz path.
  """
  workdir = pathlib.Path(workdir)
  results = rundir.read_json(workdir / "results.json")
  if results is None or not (workdir / "config.json").is_file():
    raise offline_score.ClassifierFileError(
        f"{workdir} holds no finished classifier run (results.json and config.json expected); "
        f"{offline_score.HOW_TO_MAKE}")
  config = restore.load_config(workdir)
  if config.task != "classifier":
    raise ValueError(f"{workdir} is a {config.task!r} run, not a classifier run")
  steps = restore.checkpoint_steps(workdir)
  if not steps or steps[-1] != results["step"]:
    raise offline_score.ClassifierFileError(
        f"latest checkpoint of {workdir} is step {steps[-1] if steps else None}, but "
        f"results.json reports step {results['step']}")
  run = restore.restore(workdir, config, steps[-1])
  provenance = rundir.read_json(workdir / "provenance.json", default={})
  metadata = {
      "test_accuracy": results["test_accuracy"], "test_loss": results["test_loss"],
      "num_test_examples": results["num_test_examples"], "step": run.step,
      "git_commit": provenance.get("commit"), "git_dirty": provenance.get("dirty"),
      "run_dir": str(workdir.resolve()),
      "exported": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
  }
  out_path = out_path or offline_score.default_export_path(config.data.data_dir)
  return offline_score.save_classifier(out_path, config.model.to_dict(),
                                       run.task.variables(run.state), metadata)
