"""Figure 3.3 (thesis section 3.5.2): a sample score of CIFAR-10 GANs over generator iterations
and over training wall-clock time, for WGAN with weight clipping, WGAN-GP with RMSProp (the
clipping run's optimizer and learning rate, to control for the optimizer), WGAN-GP with Adam,
and DCGAN.

All four share one generator/critic architecture, the DCGAN models of `models/dcgan.py` (the
WGAN-GP authors' CIFAR-10 comparison used a DCGAN-like architecture), without batch norm in the
critic (the penalty forbids it; the other three keep the same critic so only objective and
optimizer differ). Learning rates are constant (no linear decay), as for Figure 3.3's curves.

The score is the one named by `protocol.score` ('classifier_score': the project's offline
CIFAR-10 classifier score, NOT the Inception score of the thesis; 'inception_score' when the
runs were configured with user-supplied Inception weights); the curves come from the
`eval/<score>` rows of each sub-run's metrics.jsonl, whose `train_elapsed_s` gives the
wall-clock axis (training only: evaluation time is excluded).
"""

import pathlib

import numpy as np

from gen_models.plotting import curves as curve_plots, tables, toy as toy_plots
from gen_models.presets import gan_objectives
from gen_models.training import optimizers

METHODS = gan_objectives.FIGURE_3_3_METHODS
SCORE_LABELS = {"classifier_score": "classifier score (CIFAR-10 classifier of this project)",
                "inception_score": "Inception score"}
SCORE_EVALUATORS = {"classifier_score": "classifier_scores", "inception_score": "inception_score"}


def method_config(base, method: str):
  """`base` (a gan_cifar config) switched to `method`'s objective, n_critic and optimizers."""
  if method not in METHODS:
    raise ValueError(f"unknown method {method!r}; known: {sorted(METHODS)}")
  _, objective, opt = METHODS[method]
  gan_objectives.set_objective(base, objective, optimizers.optimizer_config(**opt))
  return base


class MethodComparison:
  """Four CIFAR-10 GANs (METHODS); figures/method_comparison.png and table.md."""

  @staticmethod
  def required_evaluators(config):
    """The figure is the score's curves: without its evaluator there is nothing to reduce."""
    if config.protocol.score not in SCORE_EVALUATORS:
      raise ValueError(f"protocol.score must be one of {sorted(SCORE_EVALUATORS)}, got "
                       f"{config.protocol.score!r}")
    return (SCORE_EVALUATORS[config.protocol.score],)

  @staticmethod
  def subruns(config):
    from gen_models.protocols import base_config  # late: the package imports this module
    return [(method, method_config(base_config(config), method))
            for method in config.protocol.methods]

  @staticmethod
  def reduce(config, workdir, results):
    workdir = pathlib.Path(workdir)
    score = config.protocol.score
    methods = list(config.protocol.methods)
    curves = {METHODS[m][0]: curve_plots.eval_curve(workdir / m, score) for m in methods}
    timed = {label: c for label, c in curves.items()
             if all(t is not None for t in c["train_elapsed_s"])}
    fig, axes = toy_plots.plt.subplots(1, 2, figsize=(11, 4), squeeze=False)
    ylabel = SCORE_LABELS.get(score, score)
    curve_plots.score_curves(axes[0, 0], curves, "step", "generator iterations", ylabel)
    if timed:
      curve_plots.score_curves(axes[0, 1], timed, "train_elapsed_s",
                               "training wall-clock time (hours)", ylabel, x_scale=3600.0)
    else:
      axes[0, 1].set_axis_off()
      axes[0, 1].set_title("no train_elapsed_s logged", fontsize=9)
    toy_plots.save(fig, workdir / "figures" / "method_comparison.png")

    rows, summary = [], {}
    for method in methods:
      label, objective, opt = METHODS[method]
      n_critic = gan_objectives.THESIS_N_CRITIC[objective]
      c = curves[label]
      best = int(np.argmax(c["score"]))
      last_std = f" ± {c['score_std'][-1]:.2f}" if c["score_std"] is not None else ""
      elapsed = c["train_elapsed_s"][-1]
      summary[method] = {"final_score": c["score"][-1], "best_score": c["score"][best],
                         "best_step": c["step"][best], "final_step": c["step"][-1],
                         "train_elapsed_s": elapsed}
      rows.append((label, f"{opt['name']} {opt['learning_rate']:g}", n_critic,
                   f"{c['score'][-1]:.2f}{last_std}", f"{c['score'][best]:.2f} @ {c['step'][best]}",
                   c["step"][-1], f"{elapsed / 3600:.3g}" if elapsed is not None else "n/a"))
    table = tables.markdown_table(
        ("method", "optimizer", "n_critic", f"final {score}", f"best {score} @ step",
         "generator steps", "training hours"), rows)
    (workdir / "table.md").write_text(f"Score: {ylabel}.\n\n" + table)
    return {"score": score, "table_markdown": table, "runs": summary}
