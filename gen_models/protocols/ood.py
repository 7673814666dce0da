"""Chapter 4's leave-one-class-out protocol (Tables 4.1 and 4.2).

One sub-run `heldout_<c>` per class c in `protocol.held_out_classes`: the model trains without
class c (`data.drop_classes = (c,)`, training data only), then its evaluators score the FULL
test set of all classes and write `<subrun>/scores.npz` (evaluation/scores_file.py; the
likelihood models' `test_likelihood` evaluator, the GANs' discriminator scores):

  labels        [N] int     the test labels (class c is the positive, out-of-distribution class)
  <score name>  [N] float   one array per normality score, higher = more normal: a
                            log-likelihood or bound in nats, a discriminator output, ...
  png_bits      [N] float   optional: PNG code length of each test image (evaluation.complexity)
  images        [N, H, W, C] uint8, optional: png_bits is computed from them when absent

Tables name class c `protocol.class_names[c]`. Scores named in `protocol.log_likelihood_scores`
(log-likelihoods in nats) also get two scores beyond the thesis: the input-complexity-corrected
`<name>_complexity_corrected` when png_bits is known, and the likelihood ratio
`<name>_likelihood_ratio` against a lower-level background model (evaluation/background.py)
fitted to the sub-run's own training images, when the images are stored.
The reducer reports skew, AUPR (average precision), AUROC and FPR at 95% TPR per held-out class
and score, mean and median rows, and writes table.md, results.json and figures/; results.json's
per-class entries also hold `nll`: {log-likelihood score: {"held_out", "seen"}}, the mean NLL in
nats of the held-out class's test images and of the others' (so reports need no scores.npz).
"""

import pathlib

import numpy as np

from gen_models import data as data_lib
from gen_models.evaluation import background, complexity, cross_dataset_scores
from gen_models.evaluation import ood as ood_metrics, scores_file
from gen_models.plotting import image_grid, ood as ood_plots, tables
from gen_models.plotting.tables import percent
from gen_models.plotting.toy import save
from gen_models.training import rundir

SCORES_FILE = scores_file.FILE_NAME
CORRECTED_SUFFIX = "_complexity_corrected"
RATIO_SUFFIX = "_likelihood_ratio"
METRICS = ("aupr", "aupr_trapezoid", "auroc", "fpr95")


ScoresError = scores_file.ScoresError


def subrun_name(held_out) -> str:
  return f"heldout_{held_out}"


def _held_out(config):
  return tuple(int(c) for c in config.protocol.held_out_classes)


def _class_label(config, c) -> str:
  names = tuple(config.protocol.class_names)
  if not 0 <= c < len(names):
    raise ValueError(f"protocol.class_names has {len(names)} names; held-out class {c} has none")
  return names[c]


def background_log_likelihood(run_config, images) -> np.ndarray:
  """log p_background in nats [N] of uint8 images [N, H, W, C] under the local background model
  fitted to the training images of the run with config `run_config`."""
  source = data_lib.build_source(run_config.data, run_config.train.seed)
  train_x, _ = source.eval_set("train")
  train_images = image_grid.to_uint8(train_x, data_lib.value_range(run_config.data))
  model = background.fit_local_context_model(train_images,
                                             levels=data_lib.discrete_levels(run_config.data))
  return background.log_likelihood(model, images)


def load_scores(path, log_likelihood_scores, run_config=None):
  """Reads one sub-run's scores.npz -> (labels [N] int, {name: normality [N]}), with the
  complexity-corrected scores added where png_bits (or images) and a log-likelihood are there,
  and likelihood ratios where images, a log-likelihood and the sub-run's `run_config` (whose
  training images fit the background model) are there."""
  read = scores_file.read(path)
  labels, scores = read.labels, dict(read.scores)
  bits = read.png_bits
  if bits is None and read.images is not None:
    bits = complexity.png_bits(read.images)
  log_lik = [n for n in scores if n in tuple(log_likelihood_scores)]
  if bits is not None:
    for name in log_lik:
      scores[name + CORRECTED_SUFFIX] = complexity.complexity_corrected(scores[name], bits)
  if run_config is not None and log_lik and read.images is not None:
    log_p_background = background_log_likelihood(run_config, read.images)
    for name in log_lik:
      scores[name + RATIO_SUFFIX] = complexity.likelihood_ratio(scores[name], log_p_background)
  return labels, scores


def evaluate_split(labels, scores: dict, held_out: int) -> dict:
  """Metrics of every score with class `held_out` as the positive (OOD) class."""
  is_ood = labels == held_out
  if not is_ood.any():
    raise ScoresError(f"the test labels contain no image of the held-out class {held_out}")
  per_score = {}
  for name, normality in scores.items():
    m = ood_metrics.detection_metrics(normality, is_ood)
    per_score[name] = {k: m[k] for k in METRICS}
  return {"skew": ood_metrics.skew(is_ood), "num_test": int(len(labels)),
          "num_ood": int(is_ood.sum()), "scores": per_score}


def nll_split(labels, scores: dict, held_out: int, log_likelihood_scores) -> dict:
  """Mean NLL (nats) of the held-out class's test images and of the seen classes' ones, per
  log-likelihood score: {name: {"held_out": float, "seen": float}} (how much less likely the
  model finds the class it never saw; the reports' held-out / seen NLL cells)."""
  is_ood = labels == held_out
  return {name: {"held_out": float(-scores[name][is_ood].mean()),
                 "seen": float(-scores[name][~is_ood].mean())}
          for name in scores if name in tuple(log_likelihood_scores)}


def _table(rows, score_names, metric, summary) -> str:
  """rows: [(label, split dict)]; one column per score with `metric` in percent."""
  body = [(label, percent(split["skew"]),
           *(percent(split["scores"].get(s, {}).get(metric)) for s in score_names))
          for label, split in rows]
  for stat in ("mean", "median"):
    body.append((stat, percent(summary[stat]["skew"]),
                 *(percent(summary[stat]["scores"].get(s, {}).get(metric)) for s in score_names)))
  return tables.markdown_table(("held-out class", "skew (%)", *score_names), body)


def _summaries(splits: list, score_names) -> dict:
  """Mean and median over held-out classes of the skew and of every metric of every score."""
  out = {}
  for stat, fn in (("mean", np.mean), ("median", np.median)):
    scores = {}
    for s in score_names:
      scores[s] = {}
      for m in METRICS:
        values = [sp["scores"][s][m] for sp in splits if s in sp["scores"]]
        scores[s][m] = float(fn(values)) if values else None
    out[stat] = {"skew": float(fn([sp["skew"] for sp in splits])), "scores": scores}
  return out


def _figures(config, workdir, held_out, labels_by_class, score_names, splits, scores_by_class):
  figures = pathlib.Path(workdir) / "figures"
  aupr = {s: [sp["scores"].get(s, {}).get("aupr") for sp in splits] for s in score_names}
  fig, ax = ood_plots.plt.subplots(figsize=(max(6.0, 1.2 * len(held_out)), 4))
  ood_plots.aupr_per_class(ax, labels_by_class, aupr, [sp["skew"] for sp in splits])
  save(fig, figures / "aupr_per_class.png")
  cols = min(5, len(held_out))
  rows = -(-len(held_out) // cols)
  pr_fig, pr_axes = ood_plots.plt.subplots(rows, cols, squeeze=False, figsize=(3 * cols, 3 * rows))
  roc_fig, roc_axes = ood_plots.plt.subplots(rows, cols, squeeze=False,
                                             figsize=(3 * cols, 3 * rows))
  for k, (c, (labels, scores)) in enumerate(zip(held_out, scores_by_class)):
    is_ood = labels == c
    curves = {name: (*ood_metrics.precision_recall_curve(normality, is_ood),
                     *ood_metrics.roc_curve(normality, is_ood))
              for name, normality in scores.items()}
    ood_plots.pr_and_roc(pr_axes.flat[k], roc_axes.flat[k], curves, ood_metrics.skew(is_ood),
                         title=f"held out: {labels_by_class[k]}", legend=(k == 0))
  for k in range(len(held_out), rows * cols):
    pr_axes.flat[k].axis("off")
    roc_axes.flat[k].axis("off")
  for fig, name in ((pr_fig, "pr_curves.png"), (roc_fig, "roc_curves.png")):
    fig.tight_layout()
    save(fig, figures / name)


class LeaveOneClassOut:
  """Train without one class at a time; detect that class among the full test set."""

  @staticmethod
  def subruns(config):
    from gen_models.protocols import base_config  # late: the package imports this module
    runs = []
    for c in _held_out(config):
      sub = base_config(config)
      sub.data.drop_classes = (c,)
      runs.append((subrun_name(c), sub))
    return runs

  @staticmethod
  def reduce(config, workdir, results):
    del results  # the per-image scores are in each sub-run's scores.npz, not its results.json
    workdir = pathlib.Path(workdir)
    held_out = _held_out(config)
    log_lik = tuple(config.protocol.log_likelihood_scores)
    sub_configs = dict(LeaveOneClassOut.subruns(config))
    scores_by_class = [load_scores(workdir / subrun_name(c) / SCORES_FILE, log_lik,
                                   sub_configs[subrun_name(c)])
                       for c in held_out]
    splits = [{**evaluate_split(labels, scores, c), "nll": nll_split(labels, scores, c, log_lik)}
              for c, (labels, scores) in zip(held_out, scores_by_class)]
    score_names = list(dict.fromkeys(s for sp in splits for s in sp["scores"]))
    summary = _summaries(splits, score_names)
    labels_by_class = [_class_label(config, c) for c in held_out]
    rows = list(zip(labels_by_class, splits))
    table = ("AUPR (%, average precision; OOD = held-out class is positive)\n\n"
             + _table(rows, score_names, "aupr", summary)
             + "\nAUROC (%)\n\n" + _table(rows, score_names, "auroc", summary)
             + "\nFPR at 95% TPR (%)\n\n" + _table(rows, score_names, "fpr95", summary))
    (workdir / "table.md").write_text(table)
    _figures(config, workdir, held_out, labels_by_class, score_names, splits, scores_by_class)
    out = {"per_class": dict(zip(labels_by_class, splits)), **summary,
           "score_names": score_names, "table_markdown": table}
    rundir.write_json(workdir / "results.json", out)  # the runner rewrites the same summary
    return out


class CrossDataset:
  """Train once on one data set and detect another data set's test images as OOD (e.g.
  Fashion-MNIST -> MNIST). The single sub-run `train` must write cross_dataset_scores.npz
  (labels 1 = OOD; the `cross_dataset_scores` evaluator); the reducer reports AUROC, AUPR and
  FPR95 of every score, complexity-corrected scores included, with the OOD set as the positive
  class."""

  @staticmethod
  def subruns(config):
    from gen_models.protocols import base_config  # late: the package imports this module
    return [("train", base_config(config))]

  @staticmethod
  def reduce(config, workdir, results):
    workdir = pathlib.Path(workdir)
    log_lik = tuple(config.protocol.log_likelihood_scores)
    labels, scores = load_scores(workdir / "train" / cross_dataset_scores.FILE_NAME, log_lik,
                                 CrossDataset.subruns(config)[0][1])
    is_ood = labels == 1
    metrics = {name: ood_metrics.detection_metrics(normality, is_ood)
               for name, normality in scores.items()}
    rows = [(name, percent(m["auroc"]), percent(m["aupr"]), percent(m["fpr95"]))
            for name, m in metrics.items()]
    title = (f"{config.protocol.in_distribution} (in-distribution) vs "
             f"{config.protocol.out_of_distribution} (OOD, positive); skew "
             f"{percent(ood_metrics.skew(is_ood))}%\n\n")
    table = title + tables.markdown_table(("score", "AUROC (%)", "AUPR (%)", "FPR95 (%)"), rows)
    (workdir / "table.md").write_text(table)
    return {"table_markdown": table, "metrics": metrics,
            "num_in_distribution": int((~is_ood).sum()), "num_ood": int(is_ood.sum())}
