"""Evaluators by name, the asset check before training, and the set a run calls."""

import pathlib
import sys
import zlib

import jax

from gen_models.evaluation import evaluator as evaluator_lib
from gen_models.evaluation import (classifier_accuracy, classifier_scores,
                                   critic_layer_grad_norms, critic_value_surface,
                                   critic_weight_histogram, cross_dataset_scores,
                                   discriminator_ood_scores, fid_score, gan_losses,
                                   heldout_wasserstein, inception_score, latents,
                                   level_variations, likelihood_samples, nll, reconstructions,
                                   sample_grid, text_samples, top_reconstructions,
                                   toy_mode_metrics, toy_samples_figure)

# name -> Evaluator subclass; one module each under gen_models/evaluation/.
EVALUATORS: dict[str, type[evaluator_lib.Evaluator]] = {
    cls.name: cls for cls in (
        # GANs (tasks/gan.py)
        sample_grid.SampleGrid,
        gan_losses.GanLosses,
        classifier_scores.ClassifierScores,
        fid_score.Fid,
        inception_score.InceptionScore,
        toy_samples_figure.ToySamplesFigure,
        toy_mode_metrics.ToyModeMetrics,
        critic_layer_grad_norms.CriticLayerGradNorms,
        critic_weight_histogram.CriticWeightHistogram,
        critic_value_surface.CriticValueSurface,
        discriminator_ood_scores.DiscriminatorOodScores,
        heldout_wasserstein.HeldoutWasserstein,
        text_samples.TextSamples,
        # the likelihood family (tasks/likelihood.py)
        nll.HeldOutNLL,
        nll.TrainNLL,
        likelihood_samples.LikelihoodSamples,
        reconstructions.Reconstructions,
        cross_dataset_scores.CrossDatasetScores,
        latents.Latents,
        # the hierarchical PixelVAE (tasks/hierarchical_pixelvae.py)
        top_reconstructions.TopReconstructions,
        level_variations.LevelVariations,
        # the classifier (tasks/classifier.py)
        classifier_accuracy.ClassifierAccuracy,
    )
}


def lookup(name: str) -> type[evaluator_lib.Evaluator]:
  if name not in EVALUATORS:
    raise ValueError(f"unknown evaluator {name!r} in eval.evaluators; known: {sorted(EVALUATORS)}")
  return EVALUATORS[name]


def configured_names(config) -> tuple[str, ...]:
  names = config.eval.evaluators
  if isinstance(names, str):
    names = (names,)
  # `--config.eval.evaluators=a,b` arrives as the one-element tuple ('a,b',).
  names = tuple(n.strip() for entry in names for n in entry.split(",") if n.strip())
  for name in names:
    lookup(name)
  if len(set(names)) != len(names):
    raise ValueError(f"eval.evaluators lists an evaluator twice: {names}")
  return names


def missing_files(config) -> dict[str, evaluator_lib.Asset]:
  """{evaluator name: its first missing file} for each configured evaluator missing one."""
  found = {}
  for name in configured_names(config):
    missing = [a for a in lookup(name).assets(config) if not a.exists()]
    if missing:
      found[name] = missing[0]
  return found


def missing_assets(config) -> dict[str, str]:
  """{evaluator name: one-line reason} for each configured evaluator whose files are missing."""
  return {name: evaluator_lib.missing_reason(name, asset)
          for name, asset in missing_files(config).items()}


def check_assets(config, warn=None) -> dict[str, str]:
  """Checks the configured evaluators' files before training. With `config.eval.strict` a missing
  file raises MissingAssetError; otherwise one warning line per skipped evaluator is printed (to
  stderr) and {name: reason} is returned."""
  missing = missing_files(config)
  skipped = {name: evaluator_lib.missing_reason(name, asset) for name, asset in missing.items()}
  if skipped and config.eval.strict:
    raise evaluator_lib.MissingAssetError(next(iter(skipped.values())))
  warn = warn or (lambda line: print(line, file=sys.stderr, flush=True))
  for name, asset in missing.items():
    warn(f"warning: skipping evaluator {name!r}: it {evaluator_lib.missing_file(asset)} "
         f"(--config.eval.strict=True makes this an error)")
  return skipped


class EvaluatorSet:
  """The run's evaluators, built once; calling it runs each on the state and merges results.

  Each evaluator gets its own key, folded from its name (so adding or reordering evaluators
  leaves the others' numbers unchanged). Two evaluators returning the same
  result key is an error, not a silent overwrite. Skipped evaluators appear under 'skipped'.
  """

  def __init__(self, config, task, source, skipped: dict[str, str]):
    self.skipped = dict(skipped)
    self.names = tuple(n for n in configured_names(config) if n not in self.skipped)
    self.evaluators = [lookup(n)(config, task, source) for n in self.names]

  def __call__(self, state, rng, out_dir) -> dict:
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, ev in zip(self.names, self.evaluators):
      part = ev.evaluate(state, jax.random.fold_in(rng, zlib.crc32(name.encode()) & 0x7FFFFFFF),
                         out_dir)
      clash = sorted(set(part) & set(results))
      if clash:
        raise ValueError(f"evaluator {name!r} returns keys {clash} that another evaluator "
                         f"already returned")
      results.update(part)
    if self.skipped:
      results["skipped"] = dict(self.skipped)
    return results
