"""Figure 2.5's section from a fabricated latent2d record: each model's K-NN test error beside
the thesis', the scatter figure, and the verdict on the PixelVAE's lower error."""

import fake_records

from gen_models.reports import figure_2_5

EXPERIMENT = "experiments/latent2d_mnist.py"


def _latent2d(tmp_path, vae_error, pixelvae_error, figures=True):
  def entry(error, kl):
    return {"knn_test_error": error, "num_train": 50_000, "num_test": 10_000,
            "test_nll_elbo": 140.0, "test_kl": kl, "step": 2000}
  path = fake_records.protocol(
      tmp_path / "latent2d",
      {"table_markdown": "", "runs": {"vae": entry(vae_error, 6.6),
                                      "pixelvae": entry(pixelvae_error, 3.5)}},
      config={"protocol": {"name": "latent2d", "families": ["vae", "pixelvae"],
                           "pixelvae_layers": 3},
              "eval": {"latent_knn_k": 5}},
      files=[rel for rel, _ in figure_2_5.FIGURES] if figures else ())
  return fake_records.context(tmp_path, "figure_2_5", [(EXPERIMENT, path)])


def test_errors_beside_the_thesis_and_the_verdict_holds(tmp_path):
  section = figure_2_5.render(_latent2d(tmp_path, 0.244, 0.150))
  assert "| Convolutional VAE | 22.9 | 24.4 | 6.60 | 140.00 | 50,000 / 10,000 | 2,000 |" \
      in section.body
  assert "| PixelVAE | 7.2 | 15.0 |" in section.body
  assert "](../latent2d/figures/latent2d.png)" in section.body
  assert "](../latent2d/figures/latent2d_training.png)" in section.body
  [claim] = section.claims
  assert claim.text.startswith("The PixelVAE's 2-D latent gives a lower 5-NN test error")
  assert claim.verdict == "holds" and "15.0% vs 24.4%" in claim.evidence


def test_the_verdict_flips_with_the_numbers(tmp_path):
  section = figure_2_5.render(_latent2d(tmp_path, 0.244, 0.250, figures=False))
  assert section.claims[0].verdict == "does not hold"
  assert "latent2d.png" not in section.body


def test_an_absent_protocol_renders_not_run(tmp_path):
  ctx = fake_records.context(tmp_path, "figure_2_5", [(EXPERIMENT, tmp_path / "absent")])
  section = figure_2_5.render(ctx)
  assert "| PixelVAE | 7.2 | not run |" in section.body
  assert [c.verdict for c in section.claims] == ["not run"]
