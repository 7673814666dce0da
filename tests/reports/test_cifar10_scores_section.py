"""The CIFAR-10 scores section from fabricated runs: the classifier's accuracy, our classifier
scores beside the thesis' Inception scores, the curves figure, and the supervised-vs-unsupervised
verdict (which needs one classifier file for both)."""

from fake_gan_records import eval_run
from fake_records import context, single_run
from gen_models.reports import cifar10_scores, section


def _gan(path, final, sha="ab" * 32):
  evals = {100: {"classifier_score": 1.5, "classifier_score_std": 0.1,
                 "classifier_frechet_distance": 40.0},
           200: {"classifier_score": final, "classifier_score_std": 0.2,
                 "classifier_frechet_distance": 20.0}}
  results = {"classifier_score": final, "classifier_score_std": 0.2,
             "classifier_frechet_distance": 20.0, "classifier_sha256": sha}
  return eval_run(path, evals, results, files=("figures/samples.png",))


def _runs(tmp_path, plain=2.4, acgan=2.9, acgan_sha="ab" * 32):
  classifier = single_run(tmp_path / "classifier", {"test_accuracy": 0.7708,
                                                    "num_test_examples": 10000}, num_steps=700)
  return [(cifar10_scores.CLASSIFIER, classifier),
          (cifar10_scores.UNSUPERVISED, _gan(tmp_path / "wgan_gp", plain)),
          (cifar10_scores.SUPERVISED, _gan(tmp_path / "acgan", acgan, acgan_sha))]


def test_scores_beside_the_thesis_and_the_verdict(tmp_path):
  ctx = context(tmp_path, "cifar10_scores", _runs(tmp_path))
  sec = cifar10_scores.render(ctx)
  assert "| WGAN-GP (unsupervised) | 7.86 ± .07 | 2.40 ± 0.20 | 20.0 | 200 | `abababababab` |" \
      in sec.body
  assert "| WGAN-GP + AC-GAN (supervised) | 8.42 ± .10 | 2.90 ± 0.20 |" in sec.body
  assert "**77.08% test accuracy** on 10,000 test images after 700 steps" in sec.body
  assert "**not** the Inception score" in sec.body
  assert (ctx.figure_dir / "cifar10_scores" / "sample_scores.png").is_file()
  assert "wgan_gp/figures/samples.png" in sec.body and "acgan/figures/samples.png" in sec.body
  assert [c.verdict for c in sec.claims] == [section.HOLDS, section.NOT_RUN]
  assert "Inception" in sec.claims[1].evidence


def test_verdict_flips_and_needs_one_classifier(tmp_path):
  sec = cifar10_scores.render(context(tmp_path, "cifar10_scores",
                                      _runs(tmp_path / "a", plain=3.0, acgan=2.5)))
  assert sec.claims[0].verdict == section.DOES_NOT_HOLD
  sec = cifar10_scores.render(context(tmp_path, "cifar10_scores",
                                      _runs(tmp_path / "b", acgan_sha="cd" * 32)))
  assert sec.claims[0].verdict == section.NOT_RUN and "different classifier" in \
      sec.claims[0].evidence


def test_absent_runs_render_not_run(tmp_path):
  sec = cifar10_scores.render(context(tmp_path, "cifar10_scores", []))
  assert {c.verdict for c in sec.claims} == {section.NOT_RUN}
  assert "| WGAN-GP (unsupervised) | 7.86 ± .07 | not run |" in sec.body
