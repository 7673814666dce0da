"""Figure 3.2's section from a fabricated architecture zoo: scores per cell, diverged cells
marked, and the 'only WGAN-GP trains every architecture' verdict by the stated criterion."""

from fake_gan_records import grid_protocol
from fake_records import context
from gen_models.protocols import zoo
from gen_models.reports import figure_3_2, section

ARCHS = ["dcgan", "mlp_generator"]
OBJECTIVES = ["wgan_gp", "wgan_clip", "dcgan"]


def _cell(score):
  return {"classifier_score": score, "classifier_score_std": 0.05,
          "classifier_frechet_distance": 50.0}


def _zoo(path, scores):
  """scores: {(architecture, objective): score or 'diverged'}."""
  cells = {zoo.cell_name(o, a): s if s == "diverged" else _cell(s)
           for (a, o), s in scores.items()}
  return grid_protocol(path, {"architectures": ARCHS, "objectives": OBJECTIVES,
                              "image_size": 32}, cells,
                       config={"data": {"name": "cifar10"}}, figures=("architecture_zoo.png",))


SCORES = {("dcgan", "wgan_gp"): 1.6, ("dcgan", "wgan_clip"): 1.1, ("dcgan", "dcgan"): 1.5,
          ("mlp_generator", "wgan_gp"): 1.4, ("mlp_generator", "wgan_clip"): 1.3,
          ("mlp_generator", "dcgan"): "diverged"}


def test_table_marks_cells_and_the_claim_holds(tmp_path):
  ctx = context(tmp_path, "figure_3_2", [(figure_3_2.ZOO, _zoo(tmp_path / "zoo", SCORES))])
  sec = figure_3_2.render(ctx)
  assert "| DCGAN G and D | 1.60 ± 0.05 / 50.0 ✓ | 1.10 ± 0.05 / 50.0 ✗ | 1.50 ± 0.05 / 50.0 ✓ |" \
      in sec.body
  assert "| G: ReLU MLP | 1.40 ± 0.05 / 50.0 ✓ | 1.30 ± 0.05 / 50.0 ✓ | **diverged** ✗ |" \
      in sec.body
  assert "architecture_zoo.png" in sec.body and "cifar10 at 32x32, 10 generator steps" in sec.body
  assert sec.claims[0].verdict == section.HOLDS
  assert "WGAN-GP trains 2/2" in sec.claims[0].evidence


def test_claim_fails_when_wgan_gp_falls_behind_or_another_trains_everything(tmp_path):
  behind = {**SCORES, ("mlp_generator", "wgan_gp"): 1.1}  # gain 0.1 < half of 1.3's 0.3
  sec = figure_3_2.render(context(tmp_path, "figure_3_2",
                                  [(figure_3_2.ZOO, _zoo(tmp_path / "a", behind))]))
  assert sec.claims[0].verdict == section.DOES_NOT_HOLD
  good_dcgan = {**SCORES, ("dcgan", "wgan_clip"): 1.5, ("mlp_generator", "dcgan"): 1.4}
  sec = figure_3_2.render(context(tmp_path, "figure_3_2",
                                  [(figure_3_2.ZOO, _zoo(tmp_path / "b", good_dcgan))]))
  assert sec.claims[0].verdict == section.DOES_NOT_HOLD  # no other objective fails anywhere


def test_absent_zoo_renders_not_run(tmp_path):
  sec = figure_3_2.render(context(tmp_path, "figure_3_2", []))
  assert [c.verdict for c in sec.claims] == [section.NOT_RUN] and "not run" in sec.body
