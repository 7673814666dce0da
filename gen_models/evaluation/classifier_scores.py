"""Evaluator `classifier_scores`: the offline classifier score (± its std over 10 splits) and the
classifier Frechet distance to the CIFAR-10 training set of eval.score_samples generated images,
with the project's own CIFAR-10 classifier (evaluation/offline_score.py; NOT IS/FID), and the
classifier file's SHA-256. eval.classifier_path: the exported .npz ('' = the default,
<data_dir>/classifiers/cifar10_classifier.npz or its per-user cache copy)."""

import pathlib

from gen_models.evaluation import evaluator, offline_score, sample_scores

RUN_DIR = "runs/cifar10_classifier"


def classifier_path(config) -> pathlib.Path:
  if config.eval.classifier_path:
    return pathlib.Path(config.eval.classifier_path)
  return offline_score.default_classifier_path(config.data.data_dir)


class ClassifierScores(sample_scores.SampleScoreEvaluator):
  name = "classifier_scores"
  config_keys = ("score_samples", "classifier_path")

  @classmethod
  def assets(cls, config):
    path = classifier_path(config)
    out = f" --out={path}" if config.eval.classifier_path else ""
    make = (f"python launch/main.py --config=experiments/cifar10_classifier.py "
            f"--workdir={RUN_DIR} && python tools/export_classifier.py --workdir={RUN_DIR}{out}")
    return [evaluator.Asset(path, "CIFAR-10 classifier", make),
            evaluator.Asset(offline_score.sidecar_path(path), "CIFAR-10 classifier's checksum "
                            "sidecar", make)]

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    self.classifier = offline_score.load_classifier(classifier_path(config))
    self.reference = offline_score.reference_statistics(self.classifier,
                                                        data_dir=config.data.data_dir or None)

  def evaluate(self, state, rng, out_dir):
    results = offline_score.offline_scores(self.classifier, self.samples(state, rng),
                                           self.reference)
    results["classifier_sha256"] = self.classifier.sha256
    return results
