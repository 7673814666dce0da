"""`likelihood_samples`: figures/samples.png, `eval.figure_examples` draws from a likelihood
model (ancestral sampling; the cached sampler for the gated nets), pixels shown at 2x."""

from gen_models import data as data_lib
from gen_models.evaluation import evaluator
from gen_models.plotting import image_grid


def check_figure_examples(name: str, eval_config) -> int:
  n = eval_config.figure_examples
  if n < 1:
    raise ValueError(f"evaluator {name!r} needs eval.figure_examples >= 1, got {n} (drop it from "
                     f"eval.evaluators to skip the figure)")
  return n


class LikelihoodSamples(evaluator.Evaluator):
  name = "likelihood_samples"
  config_keys = ("figure_examples",)

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    self.num_images = check_figure_examples(self.name, config.eval)

  def evaluate(self, state, rng, out_dir):
    samples = self.task.sample(state, rng, self.num_images)  # [n, H, W, C]
    image_grid.save_image_grid(out_dir / "figures" / "samples.png", samples,
                               value_range=data_lib.value_range(self.config.data), scale=2)
    return {}
