"""Figure 3.3's section from fabricated score curves of the four CIFAR-10 methods: the table of
final and best scores, and the section 3.5.2 verdicts computed from the curves."""

from fake_gan_records import eval_run, grid_protocol
from fake_records import context
from gen_models.reports import figure_3_3, section

METHODS = ["wgan_clip", "wgan_gp_rmsprop", "wgan_gp_adam", "dcgan"]
CURVES = {  # method: ([score at steps 100, 200, 300], seconds per generator step)
    "wgan_clip": ([1.0, 1.1, 1.2], 1.0),
    "wgan_gp_rmsprop": ([1.2, 1.5, 1.7], 2.0),
    "wgan_gp_adam": ([1.5, 2.0, 2.2], 2.0),
    "dcgan": ([1.6, 2.1, 1.8], 0.5),
}


def _methods(path, curves):
  cells = {m: ({s: {"classifier_score": v, "classifier_score_std": 0.1}
                for s, v in zip((100, 200, 300), scores)},
               {"classifier_score": scores[-1]}) for m, (scores, _) in curves.items()}
  path = grid_protocol(path, {"methods": METHODS, "score": "classifier_score"}, {},
                       config={"train": {"num_steps": 300, "eval_every": 100},
                               "eval": {"score_samples": 500}},
                       figures=("method_comparison.png",))
  for m, (evals, results) in cells.items():
    eval_run(path / m, evals, results, elapsed={s: s * curves[m][1] for s in evals})
  return path


def _render(tmp_path, curves):
  run = _methods(tmp_path / "m", curves)
  return figure_3_3.render(context(tmp_path, "figure_3_3",
                                   [(figure_3_3.METHODS_EXPERIMENT, run)]))


def test_table_and_verdicts(tmp_path):
  sec = _render(tmp_path, CURVES)
  assert "| WGAN-GP, Adam | adam 0.0002 | 2.20 ± 0.10 | 2.20 @ 300 | 300 | 10.0 |" in sec.body
  assert "| DCGAN | adam 0.0002 | 1.80 ± 0.10 | 2.10 @ 200 | 300 | 2.5 |" in sec.body
  assert "every 100 generator steps on 500 samples" in sec.body
  assert "method_comparison.png" in sec.body
  assert [c.verdict for c in sec.claims] == [section.HOLDS] * 4
  # DCGAN ends at 150 s; WGAN-GP (Adam) is then at 1.5 (its first evaluation, at 200 s: 1.5)
  assert "DCGAN 1.80 vs WGAN-GP 1.50" in sec.claims[2].evidence


def test_verdicts_flip(tmp_path):
  flipped = {"wgan_clip": ([1.0, 1.1, 1.9], 1.0), "wgan_gp_rmsprop": ([1.2, 1.5, 1.7], 2.0),
             "wgan_gp_adam": ([1.5, 1.6, 1.5], 0.1), "dcgan": ([1.2, 1.3, 1.4], 0.5)}
  sec = _render(tmp_path, flipped)
  assert [c.verdict for c in sec.claims] == [section.DOES_NOT_HOLD] * 4


def test_absent_runs_render_not_run(tmp_path):
  sec = figure_3_3.render(context(tmp_path, "figure_3_3", []))
  assert {c.verdict for c in sec.claims} == {section.NOT_RUN} and "not run" in sec.body
