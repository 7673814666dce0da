"""Figure 2.5: the MNIST test set in the 2-D latent space of a VAE and of a PixelVAE, and the
K-nearest-neighbour test error of each, from the `experiments/latent2d_mnist.py` protocol
record (protocols/latent2d.py: results.json's "runs" per family, figures/latent2d.png the
scatter, figures/latent2d_training.png the error, KL and bound over training)."""

from gen_models.plotting import tables
from gen_models.reports import section, thesis_numbers

KEY = "figure_2_5"
TITLE = "Figure 2.5: 2-D latent space of the VAE and the PixelVAE"
CHAPTER = 2
EXPERIMENT = "experiments/latent2d_mnist.py"
EXPERIMENTS = (EXPERIMENT,)
LABELS = {"vae": "Convolutional VAE", "pixelvae": "PixelVAE"}
# (file of the protocol record, caption)
FIGURES = (("figures/latent2d.png", "the test set in each 2-D latent space (posterior means, "
            "coloured by digit)"),
           ("figures/latent2d_training.png", "K-NN test error, test KL and bound over training"))


def claim_text(k: int | None) -> str:
  """The claim, with our K when the protocol's config is there to say it."""
  thesis = thesis_numbers.FIGURE_2_5_KNN_ERROR
  return (f"The PixelVAE's 2-D latent gives a lower {k or 'K'}-NN test error than the VAE's "
          f"(section 2.4.1: {thesis['pixelvae']:.1f}% vs {thesis['vae']:.1f}%)")


def _row(family: str, entry: dict | None) -> tuple:
  thesis = thesis_numbers.FIGURE_2_5_KNN_ERROR.get(family)
  thesis_cell = "" if thesis is None else f"{thesis:.1f}"
  label = LABELS.get(family, family)
  if entry is None:  # a sub-run the reducer did not summarize
    return (label, thesis_cell, "not run", "", "", "", "")
  return (label, thesis_cell, f"{100 * entry['knn_test_error']:.1f}",
          _fmt(entry.get("test_kl")), _fmt(entry.get("test_nll_elbo")),
          f"{entry['num_train']:,} / {entry['num_test']:,}", f"{entry['step']:,}")


def _fmt(value) -> str:
  return "" if value is None else f"{value:.2f}"


def render(ctx: section.Context) -> section.Section:
  run = ctx.run(EXPERIMENT)
  k = int(run.config["eval"]["latent_knn_k"]) if run.exists else None
  text = claim_text(k)
  if not run.finished:
    rows = [(LABELS[f], f"{thesis_numbers.FIGURE_2_5_KNN_ERROR[f]:.1f}", run.status_line())
            for f in LABELS]
    body = tables.markdown_table(("model", "thesis K-NN test error (%)", "ours"), rows)
    return section.Section(body, [section.not_run(text, f"the protocol: {run.status_line()}")])
  summary = run.results["runs"]
  families = run.config["protocol"]["families"]
  rows = [_row(f, summary.get(f)) for f in families]
  body = [f"Thesis: K not given; ours: K = {k}, the classifier fit on the posterior means of the "
          "training images. KL and bound: test set, nats.", "",
          tables.markdown_table(("model", "thesis K-NN test error (%)",
                                 f"ours, {k}-NN test error (%)", "test KL", "test -ELBO",
                                 "train / test points", "steps"), rows).rstrip()]
  for rel, caption in FIGURES:
    path = run.path / rel
    if path.is_file():
      body += ["", f"![{caption}]({ctx.link(path)})"]
  if "vae" in summary and "pixelvae" in summary:
    vae, pixelvae = summary["vae"]["knn_test_error"], summary["pixelvae"]["knn_test_error"]
    claims = [section.claim(text, pixelvae < vae,
                            f"ours: {100 * pixelvae:.1f}% vs {100 * vae:.1f}%")]
  else:
    missing = [f for f in ("vae", "pixelvae") if f not in summary]
    claims = [section.not_run(text, f"the protocol has no {', '.join(missing)} sub-run")]
  return section.Section("\n".join(body), claims)
