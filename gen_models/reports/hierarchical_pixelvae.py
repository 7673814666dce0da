"""Hierarchical PixelVAE (thesis sections 2.3.1, 2.4.2, 2.4.3): the two-level model's bounds
(test and train bits/dim, KL per level), its bits/dim curves, Figures 2.6 (one level's noise
varied at a time), 2.7 (samples) and A.1 (top-down reconstructions), and the section 2.4.2
ablation (two-level PixelVAE against a one-level PixelVAE, Gaussian latent decoders and a
two-level VAE) at an equal budget.

Runs (experiments/thesis.py, artefact "hierarchical_pixelvae"): the two-level model at the CPU
budget (`experiments/hierarchical_pixelvae.py:cifar10_cpu`) and/or at the thesis' own
(`experiments/hierarchical_pixelvae.py`), the ablation protocol likewise (`:cpu` and default);
the section shows every one that exists and takes its verdicts from the thesis-budget run when
it finished, else from the CPU-budget one. A `launch/evaluate.py` result of a two-level run's
final step (eval/<step>.json, e.g. the train bounds of a run launched before
`train_likelihood` existed) is merged into its numbers (records.Run.evaluated_results).

32x32 LSUN bedrooms and 64x64 ImageNet are not available offline: 32x32 CIFAR-10 stands in.
"""

import math

from gen_models.objectives import likelihood as lik
from gen_models.plotting import curves, tables
from gen_models.presets import hierarchical_pixelvae as preset
from gen_models.reports import records, section
from gen_models.training import rundir

KEY = "hierarchical_pixelvae"
TITLE = "Hierarchical PixelVAE: Figures 2.6, 2.7, A.1 and the section 2.4.2 ablation"
CHAPTER = 2
TWO_LEVEL_CPU = "experiments/hierarchical_pixelvae.py:cifar10_cpu"
TWO_LEVEL_FULL = "experiments/hierarchical_pixelvae.py"
ABLATION_CPU = "experiments/hierarchical_pixelvae_ablation.py:cpu"
ABLATION_FULL = "experiments/hierarchical_pixelvae_ablation.py"
EXPERIMENTS = (TWO_LEVEL_CPU, TWO_LEVEL_FULL, ABLATION_CPU, ABLATION_FULL)
# experiment -> (budget name, figure file prefix); the thesis' own budget is preferred for the
# verdicts.
BUDGETS = {TWO_LEVEL_FULL: ("thesis budget", "two_level_full"),
           TWO_LEVEL_CPU: ("CPU budget", "two_level_cpu"),
           ABLATION_FULL: ("thesis budget", "ablation_full"),
           ABLATION_CPU: ("CPU budget", "ablation_cpu")}

# run figure -> caption, the thesis' reading of it (64x64 LSUN bedrooms / ImageNet) after it
FIGURES = {
    "samples.png": ("Figure 2.7: samples (top-down ancestral, cached sampling at every level)",
                    "thesis (64x64 ImageNet): samples more globally coherent than PixelRNN's"),
    "vary_top.png": ("Figure 2.6, top level: each row shares z1 and pixel noise, z2 varies",
                     "thesis (64x64 LSUN bedrooms): diverse room geometry"),
    "vary_middle.png": ("Figure 2.6, middle level: each row shares z2 and pixel noise, z1 "
                        "varies", "thesis: different objects and colours, similar room "
                        "geometry and composition"),
    "vary_pixel.png": ("Figure 2.6, pixel level: each row shares z2 and z1, the pixel noise "
                       "varies", "thesis: almost indistinguishable, differing only in precise "
                       "positioning and shading"),
    "top_reconstructions.png": ("Figure A.1: test images (first column) and top-down "
                                "reconstructions from their z2", "thesis: reconstructions "
                                "capture high-level semantic properties, vary in most details"),
}
STAND_IN = ("32x32 LSUN bedrooms (section 2.4.2) and 64x64 ImageNet (section 2.4.3) are not "
            "available offline: 32x32 CIFAR-10 stands in for both, so no number here is "
            "comparable with the thesis' (which gives none for LSUN 32x32).")
ONE_BIT = math.log(2.0)  # nats: a level whose KL is below one bit per image encodes ~nothing

CLAIM_ONE_LEVEL = ("The two-level PixelVAE outperforms a single-level PixelVAE in "
                   "log-likelihood (section 2.4.2)")
CLAIM_VAE = ("The two-level PixelVAE outperforms a two-level convolutional VAE with diagonal "
             "Gaussian output in log-likelihood (section 2.4.2)")
CLAIM_GAUSSIAN = ("Replacing the higher-level PixelCNN layers with a diagonal Gaussian decoder "
                  "hurts log-likelihood (section 2.4.2)")
CLAIM_LEVELS = ("Both latent levels are used (Figure 2.6: each level models different "
                "features): the two-level model's test KL of z1 and of z2 each >= 1 bit "
                "(ln 2 nats) per image")
ABLATION_CLAIMS = ((CLAIM_ONE_LEVEL, "one_level"), (CLAIM_VAE, "two_level_vae"),
                   (CLAIM_GAUSSIAN, "gaussian_latent_decoders"))


# ---- the two-level model ---------------------------------------------------------------------


def bounds_table(results: dict) -> str:
  """Test and train bits/dim (ELBO, IWAE) and the KL of each level in nats per image (and
  bits/dim) of a two-level run's results (train rows need the `train_likelihood` evaluator)."""
  dims = results["test_nll_elbo"] / (results["test_bpd_elbo"] * math.log(2.0))  # nats/bpd = D ln 2
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
                                "KL z1 nats (bits/dim)", "KL z2 nats (bits/dim)"), rows).rstrip()


def _setting(run: records.Run, results: dict) -> str:
  """One paragraph: the data, the budget the run reached and its widths (from config.json)."""
  config = run.config
  model, data = config["model"], config["data"]
  train_minutes = rundir.logged_train_elapsed(run.path) / 60
  stopped = results.get("stopped_by")
  return (f"{data['name']} at batch {data['batch_size']}: {results['step']:,} steps in "
          f"{train_minutes:.1f} minutes of training ("
          + (f"stopped by {stopped}; " if stopped else "") + "the thesis' appendix: "
          f"{preset.NUM_STEPS:,} steps at batch {preset.BATCH_SIZE}); encoder widths "
          f"{tuple(model['res_channels'])}, pixel PixelCNN {model['pixel_channels']} wide, "
          f"latent PixelCNN {model['latent_channels']} wide, z1 {model['z1_channels']} "
          f"channels, z2 {model['z2_dim']}. Bounds on the first "
          f"{results['num_test_examples']:,} test images"
          + (f" and first {results['train_examples']:,} training images"
             if "train_examples" in results else "")
          + (f"; IWAE with k = {results['iwae_samples']}" if results.get("iwae_samples") else "")
          + "; KL per image (one sample of each level).")


def two_level_lines(ctx: section.Context, run: records.Run, experiment: str) -> list[str]:
  budget, prefix = BUDGETS[experiment]
  lines = [f"#### Two-level PixelVAE, {budget} (`{experiment}`)", ""]
  if not run.finished:
    return lines + [run.status_line()]
  results, evaluation = run.evaluated_results()
  lines += [_setting(run, results), "", bounds_table(results)]
  if evaluation is not None:
    lines += ["", f"Numbers of the final step merged from `eval/{evaluation['step']}.json`: "
                  f"`{records.evaluate_command(evaluation)}`."]
  if any("nelbo_bpd" in r for r in run.metrics()):
    path, link = ctx.figure(f"{prefix}_bits_per_dim.png")
    curves.likelihood_curves({"two-level PixelVAE": run.path}, path)
    eval_every = run.config["train"]["eval_every"]
    lines += ["", f"![bits/dim over training]({link})", "",
              "Dashed: the one-sample negative ELBO of the training batches (trailing mean of "
              "5 log lines); markers: the test bounds "
              + (f"every {eval_every:,} steps" if eval_every else "at the end of training")
              + ". Right: the KL of each level on the training batches."]
  for name, (caption, thesis) in FIGURES.items():
    path = run.path / "figures" / name
    if path.is_file():
      lines += ["", f"**{caption}** ({thesis}; a visual reading, no verdict computed)", "",
                f"![{caption}]({ctx.link(path)})"]
    else:
      lines += ["", f"**{caption}**: not drawn by this run (figures/{name} missing)"]
  return lines


def levels_claim(results: dict, where: str) -> section.Claim:
  kl1, kl2 = results.get("test_kl_z1"), results.get("test_kl_z2")
  if kl1 is None or kl2 is None:
    return section.not_run(CLAIM_LEVELS, f"{where}: its results have no test KL per level")
  return section.claim(CLAIM_LEVELS, kl1 >= ONE_BIT and kl2 >= ONE_BIT,
                       f"{where}: KL z1 {kl1:.2f} nats, KL z2 {kl2:.2f} nats per image")


# ---- the section 2.4.2 ablation --------------------------------------------------------------


def ablation_table(text: str) -> str:
  """The ablation protocol's table.md less its title and its provenance lines (the report's
  provenance block gives those)."""
  lines = text.split("\n")
  while lines and (lines[0].startswith("# ") or not lines[0].strip()):
    lines.pop(0)
  return "\n".join(lines).split("\n- command:", 1)[0].rstrip()


def ranking_key(summary: dict) -> str:
  """Test bits/dim by IWAE where every model has it, else by the ELBO."""
  return ("test_bpd_iwae" if all(e.get("test_bpd_iwae") is not None for e in summary.values())
          else "test_bpd_elbo")


def ranking(summary: dict) -> str:
  key = ranking_key(summary)
  ranked = sorted(summary, key=lambda name: summary[name][key])
  order = " < ".join(f"{preset.ABLATION_LABELS[n]} {summary[n][key]:.3f}" for n in ranked)
  return f"Test bits/dim ({'IWAE' if key.endswith('iwae') else 'ELBO'}), best first: {order}."


def ablation_lines(ctx: section.Context, run: records.Run, experiment: str) -> list[str]:
  budget, prefix = BUDGETS[experiment]
  lines = [f"#### Section 2.4.2 ablation, {budget} (`{experiment}`)", ""]
  if not run.finished:
    return lines + [run.status_line()]
  summary = run.results["models"]
  lines += [ablation_table(run.file("table.md").read_text()), ""]
  lines += [ranking(summary) if summary else "No model of the ablation finished."]
  logged = {preset.ABLATION_LABELS[name]: run.subrun(name).path for name in preset.ABLATIONS
            if name in summary and any("nelbo_bpd" in r for r in run.subrun(name).metrics())}
  if logged:
    by_time, time_link = ctx.figure(f"{prefix}_bits_per_dim.png")
    by_step, step_link = ctx.figure(f"{prefix}_bits_per_dim_steps.png")
    curves.likelihood_curves(logged, by_time, x_key="train_elapsed_s")
    curves.likelihood_curves(logged, by_step)
    lines += ["", f"![ablation curves against training wall-clock]({time_link})", "",
              "The same curves against training steps (the models differ in cost per step):",
              "", f"![ablation curves against training steps]({step_link})"]
  return lines


def ablation_claims(summary: dict, where: str) -> list:
  key = ranking_key(summary) if summary else "test_bpd_elbo"
  estimate = "IWAE" if key.endswith("iwae") else "ELBO"
  out = []
  for text, other in ABLATION_CLAIMS:
    if "two_level" not in summary or other not in summary:
      missing = [n for n in ("two_level", other) if n not in summary]
      out.append(section.not_run(text, f"{where}: no finished {', '.join(missing)} model"))
      continue
    ours, theirs = summary["two_level"][key], summary[other][key]
    out.append(section.claim(text, ours < theirs,
                             f"{where}, test bits/dim ({estimate}): two-level PixelVAE "
                             f"{ours:.3f} vs {preset.ABLATION_LABELS[other]} {theirs:.3f}"))
  return out


# ---- the section ----------------------------------------------------------------------------


def _preferred(runs: list) -> tuple:
  """(run, experiment) of the first finished run in `runs` [(run, experiment)], else (None,
  why none finished)."""
  for run, experiment in runs:
    if run.finished:
      return run, experiment
  why = "; ".join(f"`{e}`: {r.status_line()}" for r, e in runs)
  return None, why


def render(ctx: section.Context) -> section.Section:
  two_level = [(ctx.run(e), e) for e in (TWO_LEVEL_FULL, TWO_LEVEL_CPU)]
  ablation = [(ctx.run(e), e) for e in (ABLATION_FULL, ABLATION_CPU)]
  body = [STAND_IN]
  for run, experiment in two_level:
    if run.exists:
      body += [""] + two_level_lines(ctx, run, experiment)
  for run, experiment in ablation:
    if run.exists:
      body += [""] + ablation_lines(ctx, run, experiment)
  if not any(run.exists for run, _ in two_level + ablation):
    body += ["", "No run of the two-level model or of its ablation: not run."]
  claims = []
  run, experiment = _preferred(ablation)
  if run is None:
    claims += [section.not_run(text, f"no finished ablation ({experiment})")
               for text, _ in ABLATION_CLAIMS]
  else:
    claims += ablation_claims(run.results["models"], f"`{experiment}`")
  run, experiment = _preferred(two_level)
  if run is None:
    claims.append(section.not_run(CLAIM_LEVELS, f"no finished two-level run ({experiment})"))
  else:
    claims.append(levels_claim(run.evaluated_results()[0], f"`{experiment}`"))
  return section.Section("\n".join(body), claims)
