"""Figure 3.7b's section from fabricated training / validation critic-loss curves: the table and
the section 3.5.5 verdicts (the gap grows; WGAN-GP's training loss rises as validation falls)."""

from fake_gan_records import eval_run, grid_protocol
from fake_records import context
from gen_models.reports import figure_3_7b, section

STEPS = (100, 200, 300, 400)


def _run(tmp_path, curves):
  """curves: {method: ([train per step], [validation per step])}."""
  path = grid_protocol(tmp_path / "overfitting", {"methods": list(curves)}, {},
                       config={"data": {"train_subset": 1000}},
                       figures=("overfitting_curves.png",))
  for method, (train, valid) in curves.items():
    eval_run(path / method, {s: {"wasserstein_train": t, "wasserstein_heldout": v}
                             for s, t, v in zip(STEPS, train, valid)}, {})
  return figure_3_7b.render(context(tmp_path, "figure_3_7b",
                                    [(figure_3_7b.OVERFITTING, path)]))


def test_table_and_verdicts(tmp_path):
  sec = _run(tmp_path, {"wgan_gp": ([3.0, 3.1, 3.3, 3.6], [2.9, 2.7, 2.5, 2.4]),
                        "wgan_clip": ([0.5, 0.6, 0.7, 0.8], [0.5, 0.55, 0.6, 0.62])})
  assert ("| WGAN-GP | 400 | 3 / 2.9 (gap 0.1, step 100) | 3.6 / 2.4 | 1.2 | 1.2 @ 400 |"
          in sec.body)
  assert "training subset (1000 digits)" in sec.body and "overfitting_curves.png" in sec.body
  assert [c.verdict for c in sec.claims] == [section.HOLDS, section.HOLDS]
  assert "training +3, validation -1" in sec.claims[1].evidence


def test_verdicts_flip(tmp_path):
  sec = _run(tmp_path, {"wgan_gp": ([3.0, 2.8, 2.6, 2.4], [2.5, 2.4, 2.3, 2.2]),
                        "wgan_clip": ([0.5, 0.6, 0.7, 0.8], [0.5, 0.55, 0.6, 0.62])})
  assert [c.verdict for c in sec.claims] == [section.DOES_NOT_HOLD, section.DOES_NOT_HOLD]


def test_absent_run_renders_not_run(tmp_path):
  sec = figure_3_7b.render(context(tmp_path, "figure_3_7b", []))
  assert [c.verdict for c in sec.claims] == [section.NOT_RUN] * 2 and "not run" in sec.body
