"""Table 2.1: binarized-MNIST test NLL of the six Chapter 2 models, ours beside the thesis', and
the NLL-against-training-wall-clock figure of our runs.

A run record that holds `eval/<step>.json` at its final step (a `launch/evaluate.py` result,
e.g. the full test set with a larger IWAE k than the periodic evaluations) is reported with
those test numbers instead of results.json's; the evaluation cell says so and the evaluate
command is listed under the table."""

from gen_models.plotting import curves, tables
from gen_models.reports import records, section, thesis_numbers

KEY = "table_2_1"
TITLE = "Table 2.1: binarized MNIST test NLL (nats)"
CHAPTER = 2
# experiments/<key>_mnist.py for every row of the table
EXPERIMENTS = tuple(f"experiments/{key}_mnist.py" for _, key, _ in thesis_numbers.TABLE_2_1)
CLAIMS = (
    ("pixelvae", "pixelcnn", "PixelVAE < PixelCNN in test NLL"),
    ("gated_pixelvae", "gated_pixelcnn", "gated PixelVAE < gated PixelCNN in test NLL"),
    ("gated_pixelvae_noup", "gated_pixelvae",
     "gated PixelVAE without upsampling < gated PixelVAE in test NLL"),
    ("pixelvae", "vae", "PixelVAE < VAE in test NLL"),
)


def nll_cell(results: dict) -> str:
  """Our test NLL in the thesis' notation: '≈ IWAE (≤ ELBO)' for latent models, '= exact'."""
  if "test_nll_exact" in results:
    return f"= {results['test_nll_exact']:.2f}"
  if "test_nll_iwae" in results:
    return f"≈ {results['test_nll_iwae']:.2f} (≤ {results['test_nll_elbo']:.2f})"
  return f"≤ {results['test_nll_elbo']:.2f}"


def best_nll(results: dict) -> float:
  """The tightest NLL estimate a run has: exact, else IWAE, else the ELBO bound."""
  for key in ("test_nll_exact", "test_nll_iwae", "test_nll_elbo"):
    if key in results:
      return float(results[key])
  raise KeyError("results.json has no test NLL (test_nll_exact/iwae/elbo)")


def evaluation_cell(results: dict, evaluation: dict | None = None) -> str:
  n, k = results["num_test_examples"], results.get("iwae_samples")
  text = f"all {n:,} test images" if n == 10_000 else f"first {n:,} test images"
  text += f", IWAE k = {k}" if k else ""
  if evaluation is not None and any(k.startswith("test_") for k in evaluation):
    text += f" (launch/evaluate.py at step {evaluation['step']:,}, replacing results.json's)"
  return text


def render(ctx: section.Context) -> section.Section:
  rows, nll, finished, evaluated = [], {}, {}, []
  for label, key, thesis in thesis_numbers.TABLE_2_1:
    run = ctx.run(f"experiments/{key}_mnist.py")
    if not run.finished:
      rows.append((label, thesis, run.status_line(), "", ""))
      continue
    results, evaluation = run.evaluated_results()
    nll[key] = best_nll(results)
    finished[label] = run
    rows.append((label, thesis, nll_cell(results), run.budget().cell(),
                 evaluation_cell(results, evaluation)))
    if evaluation is not None:
      evaluated.append(f"- {label}: `eval/{evaluation['step']}.json` of its run, from "
                       f"`{records.evaluate_command(evaluation)}`")
  body = [tables.markdown_table(("model", "thesis", "ours", "budget", "evaluation"),
                                rows).rstrip()]
  if evaluated:
    body += ["", "Test numbers re-evaluated after training (the run's final checkpoint):", "",
             *evaluated]
  timed = {label: run.path for label, run in finished.items()
           if any("train_elapsed_s" in r for r in run.metrics())}
  if timed:
    path, link = ctx.figure("test_nll_vs_wall_clock.png")
    curves.test_nll_curves(timed, path, "binarized MNIST, periodic evaluations")
    body += ["", f"![test NLL against training wall-clock]({link})"]
  claims = []
  for lower, higher, text in CLAIMS:
    if lower in nll and higher in nll:
      claims.append(section.claim(text + " (Table 2.1)", nll[lower] < nll[higher],
                                  f"ours: {nll[lower]:.2f} vs {nll[higher]:.2f} nats"))
    else:
      missing = [k for k in (lower, higher) if k not in nll]
      claims.append(section.not_run(text + " (Table 2.1)",
                                    f"no finished run of {', '.join(missing)}"))
  return section.Section("\n".join(body), claims)
