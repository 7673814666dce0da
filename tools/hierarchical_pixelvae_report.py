"""results/hierarchical_pixelvae_cifar10.md from a trained default run and the section 2.4.2
ablation (issue 11's report):

    python tools/hierarchical_pixelvae_report.py --run=W --ablation=A [--name=NAME]

W: a finished `experiments/hierarchical_pixelvae.py[:cifar10_cpu]` run (results.json, and any
`launch/evaluate.py` results of its last step in W/eval/<step>.json, e.g. the train bounds of a
run that was launched before `train_likelihood` existed); A: a finished
`experiments/hierarchical_pixelvae_ablation.py[:cpu]` protocol. Writes the bounds table, the
bits/dim curves, Figures 2.6, 2.7 and A.1 under results/NAME/ and both runs' provenance.
"""

import argparse
import json
import math
import pathlib
import shlex
import shutil
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gen_models.objectives import likelihood as lik  # noqa: E402
from gen_models.plotting import curves, tables  # noqa: E402
from gen_models.presets import hierarchical_pixelvae as preset  # noqa: E402
from gen_models.training import rundir  # noqa: E402

# run figure -> (file name under results/NAME/, caption)
FIGURES = {
    "samples.png": ("figure_2_7_samples.png", "Figure 2.7: samples (top-down ancestral, cached "
                    "sampling at every level)"),
    "vary_top.png": ("figure_2_6_vary_top.png", "Figure 2.6, top level: each row shares z1 and "
                     "pixel noise, z2 varies"),
    "vary_middle.png": ("figure_2_6_vary_middle.png", "Figure 2.6, middle level: each row "
                        "shares z2 and pixel noise, z1 varies"),
    "vary_pixel.png": ("figure_2_6_vary_pixel.png", "Figure 2.6, pixel level: each row shares "
                       "z2 and z1, the pixel noise varies"),
    "top_reconstructions.png": ("figure_a_1_top_reconstructions.png", "Figure A.1: test images "
                                "(first column) and top-down reconstructions from their z2"),
}


def final_results(run: pathlib.Path) -> dict:
  """results.json, updated with the launch/evaluate.py results of the same step."""
  results = json.loads((run / "results.json").read_text())
  extra = run / "eval" / f"{results['step']}.json"
  if extra.is_file():
    results.update({k: v for k, v in json.loads(extra.read_text()).items()
                    if k not in ("step", "overrides")})
  return results


def _prov(run: pathlib.Path) -> dict:
  return json.loads((run / "provenance.json").read_text())


def bounds_table(results: dict) -> str:
  dims = results["test_nll_elbo"] / (results["test_bpd_elbo"] * math.log(2.0))
  bpd = lambda nats: lik.nats_to_bits_per_dim(nats, dims)  # noqa: E731
  rows = []
  for split in ("test", "train"):
    if f"{split}_nll_elbo" not in results:
      rows.append((split, "not evaluated", "", "", ""))
      continue
    iwae = results.get(f"{split}_bpd_iwae")
    kl2 = results.get(f"{split}_kl_z2")
    rows.append((split, f"{results[f'{split}_bpd_elbo']:.3f}",
                 "—" if iwae is None else f"{iwae:.3f}",
                 f"{results[f'{split}_kl_z1']:.1f} ({bpd(results[f'{split}_kl_z1']):.3f})",
                 "—" if kl2 is None else f"{kl2:.1f} ({bpd(kl2):.3f})"))
  return tables.markdown_table(("images", "bits/dim (ELBO)", "bits/dim (IWAE)",
                                "KL z1 nats (bits/dim)", "KL z2 nats (bits/dim)"), rows)


def ablation_verdict(summary: dict) -> str:
  """Which model has the lowest test bits/dim (IWAE where every model has it, else ELBO)."""
  key = ("test_bpd_iwae" if all(e.get("test_bpd_iwae") is not None for e in summary.values())
         else "test_bpd_elbo")
  ranked = sorted(summary, key=lambda name: summary[name][key])
  best = ranked[0]
  order = " < ".join(f"{preset.ABLATION_LABELS[n]} {summary[n][key]:.3f}" for n in ranked)
  holds = "holds" if best == "two_level" else "does not hold"
  return (f"Test bits/dim ({'IWAE' if key.endswith('iwae') else 'ELBO'}), best first: {order}. "
          f"The thesis' claim (the two-level PixelVAE beats the other three) **{holds}** at "
          f"this budget.")


def main():
  parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
  parser.add_argument("--run", required=True, type=pathlib.Path)
  parser.add_argument("--ablation", required=True, type=pathlib.Path)
  parser.add_argument("--name", default="hierarchical_pixelvae_cifar10")
  parser.add_argument("--results_dir", default=REPO / "results", type=pathlib.Path)
  args = parser.parse_args()
  run, ablation = args.run.resolve(), args.ablation.resolve()
  for path in (run / "results.json", ablation / "results.json", ablation / "table.md"):
    if not path.is_file():
      sys.exit(f"error: {path} missing: the run has not finished")
  out_dir = args.results_dir / args.name
  if out_dir.exists():
    shutil.rmtree(out_dir)
  out_dir.mkdir(parents=True)

  results = final_results(run)
  config = json.loads((run / "config.json").read_text())
  prov = _prov(run)
  cpu_hours = sum(s.get("cpu_time_s", 0.0) for s in prov["segments"]) / 3600
  train_minutes = rundir.logged_train_elapsed(run) / 60
  lines = [
      "# Hierarchical PixelVAE on 32x32 CIFAR-10 at a CPU budget (sections 2.3.1, 2.4.2)", "",
      "CIFAR-10 is the offline stand-in for the thesis' 32x32 LSUN bedrooms (not on this "
      "machine). The thesis trains 400k iterations at batch 48 with the '32px_small' widths on a "
      f"GPU; this run trained **{results['step']} steps at batch {config['data']['batch_size']}**"
      f" ({train_minutes:.0f} minutes of training, stopped by {results.get('stopped_by', 'n/a')};"
      f" {cpu_hours:.2f} core-hours of process CPU time recorded) with the narrower "
      f"`cpu_budget` widths (encoder {tuple(config['model']['res_channels'])}, pixel PixelCNN "
      f"{config['model']['pixel_channels']} wide, latent PixelCNN "
      f"{config['model']['latent_channels']} wide, z1 8x8x{config['model']['z1_channels']}, z2 "
      f"{config['model']['z2_dim']}), pinned to one core of a shared 2-core CPU. "
      "It is far from converged; the numbers say what this budget gives, not what the model can.",
      "",
      "## Bounds of the default run", "",
      f"First {results['num_test_examples']} test images and first "
      f"{results.get('train_examples', 'n/a')} training images; IWAE with k = "
      f"{results.get('iwae_samples', 'n/a')}; KL per image (one sample of each level).", "",
      bounds_table(results).rstrip(), "",
  ]
  curve = curves.likelihood_curves({"two-level PixelVAE": run}, out_dir / "bits_per_dim.png")
  lines += [f"![bits/dim over training]({args.name}/{curve.name})", "",
            "Dashed: the one-sample negative ELBO of the training batches (trailing mean of 5 "
            "log lines; KL weight ramped over the first tenth); markers: the bounds on the first "
            f"{results['num_test_examples']} test images every {config['train']['eval_every']} "
            "steps. Right: the KL of each level on the training batches.", ""]
  figures = run / "figures"
  for source, (target, caption) in FIGURES.items():
    if (figures / source).is_file():
      shutil.copy2(figures / source, out_dir / target)
      lines += [f"**{caption}**", "", f"![{caption}]({args.name}/{target})", ""]
    else:
      lines += [f"**{caption}**: not drawn by this run ({source} missing)", ""]

  summary = json.loads((ablation / "results.json").read_text())["models"]
  runs = {preset.ABLATION_LABELS[name]: ablation / name for name in summary}
  ab_curve = curves.likelihood_curves(runs, out_dir / "ablation_bits_per_dim.png",
                                      x_key="train_elapsed_s")
  ab_steps = curves.likelihood_curves(runs, out_dir / "ablation_bits_per_dim_steps.png")
  table = (ablation / "table.md").read_text().split("\n", 2)[2]  # less its title
  table = table.split("\n- command:", 1)[0]  # and its provenance (below, with the run's)
  lines += ["## Section 2.4.2 ablation at an equal budget", "", table.rstrip(), "",
            ablation_verdict(summary), "",
            f"![ablation curves]({args.name}/{ab_curve.name})", "",
            "The same curves against training steps (the models differ in cost per step):", "",
            f"![ablation curves by step]({args.name}/{ab_steps.name})", "",
            "## Provenance", "", "Default run:", "", f"- run directory: `{run}`",
            tables.provenance_lines(run).rstrip(), ""]
  if (run / "eval").is_dir():
    for extra in sorted((run / "eval").glob("*.json")):
      overrides = json.loads(extra.read_text()).get("overrides")
      lines.append(f"- then `python launch/evaluate.py --workdir={run} "
                   f"{' '.join(shlex.quote(o) for o in overrides or [])}` -> "
                   f"`{extra.relative_to(run)}`")
    lines.append("")
  lines += ["Ablation:", "", f"- run directory: `{ablation}`",
            tables.provenance_lines(ablation).rstrip(), "",
            f"Report: `python tools/hierarchical_pixelvae_report.py --run={args.run} "
            f"--ablation={args.ablation}`", ""]
  path = args.results_dir / f"{args.name}.md"
  path.write_text("\n".join(lines))
  print(path)


if __name__ == "__main__":
  main()
