"""Exports a finished CIFAR-10 classifier run as the cached scorer of the offline classifier
score / classifier Frechet distance (NOT IS/FID), computes its training-set reference statistics,
and scores the CIFAR-10 test set against them (the real-data ceiling):

  python launch/main.py --config=experiments/cifar10_classifier.py --workdir=RUN
  python tools/export_classifier.py --workdir=RUN [--out=PATH.npz]

Default output: <data_dir>/classifiers/cifar10_classifier.npz (data_dir from the run's config /
$GEN_MODELS_DATA_DIR), or ~/.cache/gen_models/data/classifiers/ when that folder is read-only.
The test-set scores go to RUN/offline_scores_test.json.
"""

import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # runnable from a checkout

from absl import app, flags  # noqa: E402

_WORKDIR = flags.DEFINE_string("workdir", None, "Finished classifier run directory.",
                               required=True)
_OUT = flags.DEFINE_string("out", "", "Output .npz (default: see module docstring).")
_SKIP_SCORES = flags.DEFINE_bool("skip_scores", False,
                                 "Only export; no reference statistics or test-set scores.")


def main(argv):
  del argv
  from gen_models.data import cifar10, paths
  from gen_models.evaluation import offline_score
  from gen_models.runs import classifier_export
  from gen_models.training import rundir
  try:
    path = classifier_export.export_classifier(_WORKDIR.value, _OUT.value or None)
    classifier = offline_score.load_classifier(path)
    print(f"exported {path} (sha256 {classifier.sha256}, test accuracy "
          f"{classifier.metadata['test_accuracy']:.4f})")
    if _SKIP_SCORES.value:
      return
    data_dir = rundir.read_json(pathlib.Path(_WORKDIR.value) / "config.json")["data"]["data_dir"]
    reference = offline_score.reference_statistics(classifier, data_dir=data_dir)
    print(f"reference statistics: {offline_score.statistics_path(classifier)}")
    test = cifar10.to_unit_range(
        cifar10.load(paths.resolve_data_dir(data_dir), "test").images)
    result = offline_score.offline_scores(classifier, test, reference)
    result.update(images="CIFAR-10 test set (10 splits)", reference="CIFAR-10 training set",
                  classifier_sha256=classifier.sha256, score_name=offline_score.SCORE_NAME,
                  frechet_name=offline_score.FRECHET_NAME)
    rundir.write_json(pathlib.Path(_WORKDIR.value) / "offline_scores_test.json", result)
    print(json.dumps(result, indent=2))
  except (FileNotFoundError, ValueError) as e:
    print(f"error: {e}", file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
  app.run(main)
