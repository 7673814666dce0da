"""CIFAR-10 sample scores (thesis section 3.5.3, Figure 3.4): the unsupervised WGAN-GP and the
AC-GAN-conditioned one, scored with this project's offline CIFAR-10 classifier (trained by the
same thesis run, its test accuracy shown) at every evaluation; the score curves, the sample grids
and the thesis' Inception scores beside them.

Our classifier score has the Inception score's form but another network (Inception weights are
not available offline), so its values are on another scale than the thesis'."""

from gen_models.plotting import curves, tables
from gen_models.reports import section, thesis_numbers

KEY = "cifar10_scores"
TITLE = "CIFAR-10 sample scores: WGAN-GP and AC-GAN"
CHAPTER = 3
CLASSIFIER = "experiments/cifar10_classifier.py"
UNSUPERVISED = "experiments/wgan_gp_cifar.py"
SUPERVISED = "experiments/wgan_gp_cifar_acgan.py"
EXPERIMENTS = (CLASSIFIER, UNSUPERVISED, SUPERVISED)
# The thesis run's classifier export and its reference statistics: a relaunch on another
# machine (from committed records, without checkpoints) scores its GANs with the same file.
RECORD_FILES = ("classifier.npz", "classifier_train_stats.npz")
# (experiment, our label, the thesis' list in Figure 3.4)
GANS = ((UNSUPERVISED, "WGAN-GP (unsupervised)", thesis_numbers.FIGURE_3_4_UNSUPERVISED),
        (SUPERVISED, "WGAN-GP + AC-GAN (supervised)", thesis_numbers.FIGURE_3_4_SUPERVISED))

SUPERVISED_CLAIM = ("With AC-GAN conditioning the same WGAN-GP model scores higher than without "
                    "labels (Figure 3.4: 8.42 vs 7.86 Inception score)")
STATE_OF_THE_ART = ("WGAN-GP ResNet sets the state of the art among unsupervised CIFAR-10 "
                    "Inception scores, 7.86 ± .07 (Figure 3.4)")


def thesis_score(listed) -> str:
  """The thesis' own Inception score in one of Figure 3.4's lists."""
  return dict(listed)[thesis_numbers.FIGURE_3_4_OURS]


def _classifier_lines(run) -> list[str]:
  if not run.finished:
    return [f"The classifier (`{CLASSIFIER}`): {run.status_line()}."]
  res = run.results
  return [f"The scorer: this thesis run's CIFAR-10 classifier (`{CLASSIFIER}`), "
          f"**{100 * res['test_accuracy']:.2f}% test accuracy** on {res['num_test_examples']:,} "
          f"test images after {res['step']:,} steps."]


def render(ctx: section.Context) -> section.Section:
  classifier = ctx.run(CLASSIFIER)
  rows, finished = [], {}
  for experiment, label, listed in GANS:
    run = ctx.run(experiment)
    thesis = thesis_score(listed)
    if not run.finished:
      rows.append((label, thesis, run.status_line(), "", "", ""))
      continue
    res = run.results
    if "classifier_score" not in res:
      rows.append((label, thesis, "classifier score not computed", "", f"{res['step']:,}", ""))
      continue
    finished[experiment] = run
    score = f"{res['classifier_score']:.2f} ± {res['classifier_score_std']:.2f}"
    rows.append((label, thesis, score, f"{res['classifier_frechet_distance']:.1f}",
                 f"{res['step']:,}",
                 f"`{res['classifier_sha256'][:12]}`"))
  body = [tables.markdown_table(
      ("model", "thesis: Inception score (Figure 3.4)", "ours: classifier score ± std",
       "ours: classifier Fréchet distance", "generator steps", "classifier SHA-256"),
      rows).rstrip(), ""]
  body += _classifier_lines(classifier)
  body += ["", "Ours: this project's offline classifier score ± its std over 10 splits and the "
           "classifier Fréchet distance to the training set, on the final samples. They are "
           "**not** the Inception score or FID (the Inception network's weights are not "
           "available offline): the thesis' values are on another scale and do not compare "
           "with ours; only the order of the two models does.", ""]
  if finished:
    path, link = ctx.figure("sample_scores.png")
    if curves.sample_score_curves({label: finished[e].path for e, label, _ in GANS
                                   if e in finished}, path) is not None:
      body += [f"![sample scores over training]({link})", ""]
    for experiment, label, _ in GANS:
      samples = finished[experiment].path / "figures" / "samples.png" \
          if experiment in finished else None
      if samples is not None and samples.is_file():
        body += [f"{label}, final samples:", "", f"![{label} samples]({ctx.link(samples)})", ""]
  body += ["Thesis, Figure 3.4 (Inception scores as printed):", "",
           tables.markdown_table(("unsupervised", "score", "supervised", "score"), [
               (*u, *s) for u, s in zip(thesis_numbers.FIGURE_3_4_UNSUPERVISED,
                                        thesis_numbers.FIGURE_3_4_SUPERVISED)]).rstrip()]
  claims = [_supervised_claim(finished),
            section.not_run(STATE_OF_THE_ART, "needs the Inception score, whose network "
                            "weights are not available offline; our classifier score is on "
                            "another scale")]
  return section.Section("\n".join(body), claims)


def _supervised_claim(finished: dict):
  missing = [e for e in (UNSUPERVISED, SUPERVISED) if e not in finished]
  if missing:
    return section.not_run(SUPERVISED_CLAIM, f"no classifier score of {', '.join(missing)}")
  plain, acgan = finished[UNSUPERVISED].results, finished[SUPERVISED].results
  if plain["classifier_sha256"] != acgan["classifier_sha256"]:
    return section.not_run(SUPERVISED_CLAIM, "the two runs were scored by different classifier "
                           "files, whose scores do not compare")
  return section.claim(
      SUPERVISED_CLAIM, acgan["classifier_score"] > plain["classifier_score"],
      f"our classifier score: AC-GAN {acgan['classifier_score']:.2f} ± "
      f"{acgan['classifier_score_std']:.2f} vs unsupervised {plain['classifier_score']:.2f} ± "
      f"{plain['classifier_score_std']:.2f} (same classifier)")
