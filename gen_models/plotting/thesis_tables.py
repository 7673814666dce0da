"""The thesis' result tables as data, and side-by-side markdown of them next to our runs.

Reference values are transcribed from ../shared/thesis/thesis.md (Table 2.1: binarized-MNIST test
NLL in nats; "<=" marks a variational bound, "~" an importance-sampled estimate, "=" an exact
likelihood). Our numbers are read from run directories only, never typed in.
"""

import json
import pathlib

from gen_models.plotting import tables

# (row label, experiments/<key>_mnist.py, thesis value as printed)
TABLE_2_1 = (
    ("Convolutional VAE", "vae", "≤ 87.41"),
    ("PixelCNN", "pixelcnn", "= 81.30"),
    ("PixelVAE", "pixelvae", "≤ 80.64"),
    ("Gated PixelCNN", "gated_pixelcnn", "= 80.10"),
    ("Gated PixelVAE", "gated_pixelvae", "≈ 79.48 (≤ 80.02)"),
    ("Gated PixelVAE without upsampling", "gated_pixelvae_noup", "≈ 78.96 (≤ 79.58)"),
)


def _read(workdir: pathlib.Path, name: str) -> dict:
  path = workdir / name
  if not path.exists():
    raise FileNotFoundError(f"{path} does not exist: is {workdir} a finished run directory?")
  return json.loads(path.read_text())


def nll_cell(results: dict) -> str:
  """Our test NLL in the thesis' notation: '≈ IWAE (≤ ELBO)' for latent models, '= exact'."""
  if "test_nll_exact" in results:
    return f"= {results['test_nll_exact']:.2f}"
  if "test_nll_iwae" in results:
    return f"≈ {results['test_nll_iwae']:.2f} (≤ {results['test_nll_elbo']:.2f})"
  return f"≤ {results['test_nll_elbo']:.2f}"


def table_2_1(runs: dict) -> str:
  """Markdown of Table 2.1 with our column; `runs` maps a model key to its run directory."""
  unknown = set(runs) - {key for _, key, _ in TABLE_2_1}
  if unknown:
    raise ValueError(f"unknown Table 2.1 model(s) {sorted(unknown)}; known: "
                     f"{[key for _, key, _ in TABLE_2_1]}")
  rows, provenance = [], []
  for label, key, thesis in TABLE_2_1:
    if key not in runs:
      rows.append((label, thesis, "not run", "", ""))
      continue
    workdir = pathlib.Path(runs[key])
    results, prov = _read(workdir, "results.json"), _read(workdir, "provenance.json")
    devices = prov["devices"]
    budget = (f"{results['step']} steps, {devices['count']} x {devices['platform']}, "
              f"{prov['wall_time_s'] / 60:.1f} min")
    k = results.get("iwae_samples")
    evaluation = f"first {results['num_test_examples']} test images" + (
        f", IWAE k = {k}" if k else "")
    rows.append((label, thesis, nll_cell(results), budget, evaluation))
    provenance += [f"### {label}", "", f"- run directory: `{workdir}`",
                   tables.provenance_lines(workdir)]
  head = ("model", "thesis", "ours", "budget (steps, device, wall time)", "evaluation")
  return "\n".join(["# Table 2.1: binarized MNIST test NLL (nats)", "",
                    tables.markdown_table(head, rows), "## Provenance", "", *provenance])
