"""Evaluator `inception_score`: the Inception score (± its std over 10 splits) of
eval.score_samples generated images, with user-supplied InceptionV3 weights that keep the
1008-way head (evaluation/weights.py). eval.inception_weights: the weight file ('' =
<data_dir>/inception/inception-2015-12-05-full.npz)."""

from gen_models.evaluation import evaluator, inception, sample_scores, weights
from gen_models.evaluation.fid_score import weights_path


class InceptionScore(sample_scores.SampleScoreEvaluator):
  name = "inception_score"
  config_keys = ("score_samples", "inception_weights")

  @classmethod
  def assets(cls, config):
    path = weights_path(config, True, "inception_weights")
    return [evaluator.Asset(
        path, "InceptionV3 weights with the 1008-way head",
        f"python tools/convert_fid_inception.py --torchscript INCEPTION.pt --out {path} "
        f"(INCEPTION.pt: a TorchScript export that keeps the output layer, e.g. NVIDIA's "
        f"inception-2015-12-05.pt; BUILD_NOTES.md, 'Inception score and FID')")]

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    variables = weights.load_weights(weights_path(config, True, "inception_weights"),
                                     with_logits=True)
    self.network = inception.InceptionNetwork(variables, input_range=(-1.0, 1.0))

  def evaluate(self, state, rng, out_dir):
    score, std = inception.inception_score(self.network, self.samples(state, rng))
    return {"inception_score": score, "inception_score_std": std}
