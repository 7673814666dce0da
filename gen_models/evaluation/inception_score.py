"""Evaluator `inception_score`: the Inception score (± its std over 10 splits) of
eval.score_samples generated images, with user-supplied InceptionV3 weights that keep the
1008-way head (evaluation/weights.py). eval.inception_weights: the weight file ('' =
<data_dir>/inception/inception-2015-12-05-full.npz)."""

from gen_models.evaluation import inception
from gen_models.evaluation.fid_score import InceptionWeightsEvaluator


class InceptionScore(InceptionWeightsEvaluator):
  name = "inception_score"
  config_keys = ("score_samples", "inception_weights")
  weights_key, with_logits = "inception_weights", True
  weights_what = "InceptionV3 weights with the 1008-way head"
  make_command = ("python tools/convert_fid_inception.py --torchscript INCEPTION.pt --out {path} "
                  "(INCEPTION.pt: a TorchScript export that keeps the output layer, e.g. "
                  "NVIDIA's inception-2015-12-05.pt; BUILD_NOTES.md, 'Inception score and FID')")

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    self.network = self.load_network()

  def evaluate(self, state, rng, out_dir):
    score, std = inception.inception_score(self.network, self.samples(state, rng))
    return {"inception_score": score, "inception_score_std": std}
