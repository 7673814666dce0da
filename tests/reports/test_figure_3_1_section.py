"""Figure 3.1's section from fabricated toy records: value-surface critics, gradient norms per
layer and weight histograms, the toy GAN table; the verdicts follow the numbers."""

from fake_gan_records import grid_protocol
from fake_records import context
from gen_models.protocols import toy
from gen_models.reports import figure_3_1, section

CFG = {"objective": {"gp_weight": 10.0, "clip": 0.01, "n_critic": 5},
       "optimizer": {"generator": {"name": "rmsprop", "learning_rate": 5e-5,
                                   "linear_decay": True}},
       "eval": {"mode_min_fraction": 0.008, "toy_samples": 2500, "mmd_samples": 1000}}


def _value_surfaces(path, clip_norm=0.002, gp_norm=1.02):
  cells = {toy.cell_name(o, d): {"wasserstein_estimate": 0.65 if o == "wgan_gp" else 0.0006,
                                 "interpolate_grad_norm_mean": gp_norm if o == "wgan_gp"
                                 else clip_norm, "interpolate_grad_norm_std": 0.05}
           for o in ("wgan_clip", "wgan_gp") for d in ("8gaussians", "swissroll")}
  return grid_protocol(path, {"objectives": ["wgan_clip", "wgan_gp"],
                              "datasets": ["8gaussians", "swissroll"]}, cells, config=CFG,
                       figures=("value_surfaces.png",))


def _histogram(edge_counts):
  return {"counts": [edge_counts] + [10] * 99 + [edge_counts], "edges": list(range(102))}


def _gradient_norms(path, clip_norms=((3000.0, 0.1), (1e-12, 0.01)), gp=(0.05, 0.09),
                    gp_edges=1):
  cells = {toy.GradientNorms.setting_name(c): {
      "critic_layer_grad_norms": [first, 1.0, last],
      "critic_weight_histogram": _histogram(400)} for c, (first, last) in
      zip((0.1, 0.01), clip_norms)}
  cells["wgan_gp"] = {"critic_layer_grad_norms": [gp[0], 0.07, gp[1]],
                      "critic_weight_histogram": _histogram(gp_edges)}
  return grid_protocol(path, {"clip_values": [0.1, 0.01]}, cells, config=CFG,
                       figures=("layer_gradient_norms.png", "weight_histograms.png"))


def _comparison(path, clip_modes=2):
  def res(modes, mmd):
    return {"modes_covered": modes, "num_modes": 8, "high_quality_fraction": 0.9,
            "mmd_rbf": mmd, "sliced_w1": mmd / 2}
  cells = {toy.cell_name("wgan_gp", "8gaussians"): res(8, 0.0044),
           toy.cell_name("wgan_clip", "8gaussians"): res(clip_modes, 0.18),
           toy.cell_name("wgan_gp", "swissroll"): {"mmd_rbf": 0.0015, "sliced_w1": 0.04},
           toy.cell_name("wgan_clip", "swissroll"): {"mmd_rbf": 0.05, "sliced_w1": 0.11}}
  return grid_protocol(path, {"objectives": ["wgan_gp", "wgan_clip"],
                              "datasets": ["8gaussians", "swissroll"]}, cells, config=CFG,
                       figures=("samples_grid.png",))


def _render(tmp_path, **kw):
  runs = [(figure_3_1.VALUE_SURFACES, _value_surfaces(tmp_path / "vs", **kw.get("vs", {}))),
          (figure_3_1.GRADIENT_NORMS, _gradient_norms(tmp_path / "gn", **kw.get("gn", {}))),
          (figure_3_1.COMPARISON, _comparison(tmp_path / "cmp", **kw.get("cmp", {})))]
  return figure_3_1.render(context(tmp_path, "figure_3_1", runs))


def _verdicts(sec):
  return [c.verdict for c in sec.claims]


def test_numbers_figures_and_verdicts(tmp_path):
  sec = _render(tmp_path)
  assert "| WGAN-GP | swissroll | 0.65 | 1.020 ± 0.050 | 10 |" in sec.body
  assert "| clipping, c = 0.1 | 3.33e-05 | 0.447 | 3e+03 | 1 | 0.1 |" in sec.body
  assert "| gradient penalty | 1.8 | 0.002 | 0.05 | 0.07 | 0.09 |" in sec.body
  assert ("| WGAN (weight clipping) | 8gaussians | 2/8 | 0.900 | 0.1800 | 0.0900 | 10 | "
          "rmsprop 5e-05 (linear decay), n_critic 5 |") in sec.body
  for figure in ("value_surfaces.png", "layer_gradient_norms.png", "weight_histograms.png",
                 "samples_grid.png"):
    assert figure in sec.body
  assert "within 3 standard deviations" in sec.body and "0.008 of the 2,500 samples" in sec.body
  assert _verdicts(sec) == [section.HOLDS, section.NOT_RUN, section.HOLDS, section.HOLDS,
                            section.HOLDS, section.HOLDS]
  assert "c = 0.01: 1e+10" in sec.claims[2].evidence


def test_verdicts_flip_with_the_numbers(tmp_path):
  sec = _render(tmp_path, vs={"gp_norm": 0.5},
                gn={"clip_norms": ((2.0, 1.0), (1e-12, 0.01)), "gp_edges": 500},
                cmp={"clip_modes": 8})
  assert _verdicts(sec)[0] == section.DOES_NOT_HOLD  # the penalized critic is not at norm 1
  assert _verdicts(sec)[2] == section.DOES_NOT_HOLD  # c = 0.1 stays within a factor of 10
  assert _verdicts(sec)[3] == section.DOES_NOT_HOLD  # the penalty's weights pile up more
  assert _verdicts(sec)[4] == section.DOES_NOT_HOLD  # clipping covers all 8 modes too


def test_absent_runs_render_not_run(tmp_path):
  sec = figure_3_1.render(context(tmp_path, "figure_3_1", []))
  assert set(_verdicts(sec)) == {section.NOT_RUN}
  assert "not run" in sec.body
