"""Figure 2.4's section from a fabricated layers-sweep record: the bound, its KL/reconstruction
split and the PixelCNN NLL per layer count, and section 2.4.1's readings with verdicts."""

import fake_records

from gen_models.protocols import layers_sweep
from gen_models.reports import figure_2_4

EXPERIMENT = "experiments/pixelcnn_layers_sweep.py"
# layers -> (PixelVAE bound, KL) and layers -> PixelCNN exact NLL, nats
PIXELVAE = {0: (180.0, 5.0), 1: (103.0, 1.0), 2: (98.0, 0.8), 4: (93.0, 0.5)}
PIXELCNN = {1: 104.0, 2: 101.0, 4: 97.0}


def _sweep(tmp_path, pixelvae=PIXELVAE, pixelcnn=PIXELCNN, figure=True):
  runs = {}
  for n, (bound, kl) in pixelvae.items():
    runs[layers_sweep.subrun_name("pixelvae", n)] = {
        "test_nll_elbo": bound, "test_kl": kl, "test_reconstruction": bound - kl, "step": 300}
  for n, nll in pixelcnn.items():
    runs[layers_sweep.subrun_name("pixelcnn", n)] = {"test_nll_exact": nll, "step": 300}
  path = fake_records.protocol(
      tmp_path / "sweep", {"table_markdown": "", "runs": runs},
      config={"protocol": {"name": "pixelcnn_layers_sweep", "families": ["pixelvae", "pixelcnn"],
                           "layers": [0, 1, 2, 4], "first_kernel_size": 5}},
      files=[figure_2_4.FIGURE] if figure else ())
  return fake_records.context(tmp_path, "figure_2_4", [(EXPERIMENT, path)])


def _verdicts(section):
  return [c.verdict for c in section.claims]


def test_the_table_and_figure_show_the_sweep_and_the_readings_hold(tmp_path):
  section = figure_2_4.render(_sweep(tmp_path))
  assert "| 0 | ≤ 180.00 | 5.00 | 175.00 | 300 |  |  |" in section.body
  assert "| 1 | ≤ 103.00 | 1.00 | 102.00 | 300 | = 104.00 | 300 |" in section.body
  assert "](../sweep/figures/nll_vs_layers.png)" in section.body
  assert _verdicts(section) == ["holds"] * 4
  assert "1 layers: 103.00 vs 104.00" in section.claims[0].evidence


def test_the_verdicts_flip_with_the_numbers(tmp_path):
  pixelvae = {0: (180.0, 1.5), 1: (170.0, 1.0), 2: (120.0, 0.8), 4: (93.0, 2.0)}
  pixelcnn = {1: 104.0, 2: 101.0, 4: 97.0}
  section = figure_2_4.render(_sweep(tmp_path, pixelvae, pixelcnn, figure=False))
  # bound above the PixelCNN; 0->1 drop (10) below 1->2 (50); KL 1.5 -> 1.0 is not halved;
  # KL grows to 2.0 at 4 layers
  assert _verdicts(section) == ["does not hold"] * 4
  assert "nll_vs_layers.png is missing" in section.body


def test_an_absent_sweep_renders_not_run_claims(tmp_path):
  ctx = fake_records.context(tmp_path, "figure_2_4", [(EXPERIMENT, tmp_path / "absent")])
  section = figure_2_4.render(ctx)
  assert "not run" in section.body
  assert _verdicts(section) == ["not run"] * 4


def test_a_smoke_sized_sweep_judges_what_it_has(tmp_path):
  # two layer counts (0, 1) as the thesis smoke runs: no 'more layers' to compare with
  section = figure_2_4.render(_sweep(tmp_path, {0: (180.0, 5.0), 1: (103.0, 1.0)},
                                     {1: 104.0}))
  assert _verdicts(section) == ["holds", "holds", "holds", "not run"]
