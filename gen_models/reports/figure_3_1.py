"""Figure 3.1 (thesis section 3.3): toy critics trained with weight clipping and with the gradient
penalty, (a) their value surfaces and (b) the gradient norms across a deep critic's layers and its
weight histograms; then our toy GAN comparison table (every objective on every toy set).

Every number is read from the sub-runs of the three protocols (protocols/toy.py); the figures are
the protocols' own (their reducers draw them from the sub-runs)."""

import inspect
import math

from gen_models.evaluation import toy as toy_metrics
from gen_models.plotting import tables
from gen_models.presets import gan_objectives
from gen_models.protocols import toy
from gen_models.reports import section, thesis_numbers

KEY = "figure_3_1"
TITLE = "Figure 3.1: toy critics (value surfaces, gradient norms) and the toy GAN comparison"
CHAPTER = 3
VALUE_SURFACES = "experiments/toy_value_surfaces.py"
GRADIENT_NORMS = "experiments/toy_gradient_norms.py"
COMPARISON = "experiments/toy_gan_comparison.py"
EXPERIMENTS = (VALUE_SURFACES, GRADIENT_NORMS, COMPARISON)

# Criteria of the verdicts (ours, not the thesis'):
# - "unit gradient norm": the critic's mean input-gradient norm on interpolates within this of 1;
UNIT_NORM_TOLERANCE = 0.1
# - "explodes or vanishes": the gradient norm at the last hidden layer and at the first differ
#   by more than this factor (either way); "stable": within it.
STABLE_FACTOR = 10.0


def _subruns(run, names) -> dict:
  """{name: records.Run} of a protocol run's sub-runs."""
  return {name: run.subrun(name) for name in names}


def _not_finished(run) -> str:
  return f"`{run.experiment}`: {run.status_line()}"


def _figure(ctx, run, name: str, alt: str) -> list[str]:
  """The markdown of one of a protocol's own figures (its reducer drew it), or why there is none."""
  path = run.path / "figures" / name
  if not path.is_file():
    return [f"(no figures/{name} in `{run.name}`'s record)"]
  return [f"![{alt}]({ctx.link(path)})"]


# ---- Figure 3.1a ----------------------------------------------------------------------------


def _value_surfaces(ctx, run):
  """-> (markdown lines, claims)."""
  unit = ("Only the penalized critic has the optimal critic's unit gradient norm on "
          "interpolates between real and generated points (sections 3.2.3 and 3.3.1)")
  qualitative = ("Figure 3.1a: critics trained with weight clipping ignore higher moments of the "
                 "data and model very simple approximations of the optimal critic; the penalized "
                 "critic does not (section 3.3.1)")
  lines = ["**(a) Value surfaces** of critics trained to optimality against real data + "
           "N(0, I) (the generator held there), weight clipping vs gradient penalty.", ""]
  if not run.finished:
    return lines + [_not_finished(run)], section.not_run_all((unit, qualitative),
                                                                 _not_finished(run))
  objectives = run.config["protocol"]["objectives"]
  datasets = run.config["protocol"]["datasets"]
  subs = _subruns(run, [toy.cell_name(o, d) for o in objectives for d in datasets])
  rows, norms = [], {}
  for o in objectives:
    for d in datasets:
      sub = subs[toy.cell_name(o, d)]
      if not sub.finished:
        rows.append((gan_objectives.LABELS[o], d, sub.status_line(), "", ""))
        continue
      res = sub.results
      norms[(o, d)] = res["interpolate_grad_norm_mean"]
      rows.append((gan_objectives.LABELS[o], d, f"{res['wasserstein_estimate']:.4g}",
                   f"{res['interpolate_grad_norm_mean']:.3f} ± "
                   f"{res['interpolate_grad_norm_std']:.3f}", res["step"]))
  gp_weight = run.config["objective"]["gp_weight"]
  lines += [tables.markdown_table(
      ("critic", "data", "E[D(real)] - E[D(real + noise)]",
       "‖∇D‖ on interpolates (mean ± std)", "critic updates"), rows).rstrip(), "",
      f"Penalty weight λ = {gp_weight:g}; clipping at c = {run.config['objective']['clip']:g}. "
      "The thesis prints no numbers for this figure, only the surfaces.", ""]
  lines += _figure(ctx, run, "value_surfaces.png", "critic value surfaces") + [""]
  claims = [_unit_norm_claim(unit, norms, datasets)]
  claims.append(section.not_run(
      qualitative, "qualitative: judge the surfaces in the figure above; our records hold no "
      "measure of a surface's simplicity"))
  return lines, claims


def _unit_norm_claim(text, norms: dict, datasets):
  """GP within UNIT_NORM_TOLERANCE of 1 on every data set and clipping outside it on every one."""
  pairs = [d for d in datasets if ("wgan_gp", d) in norms and ("wgan_clip", d) in norms]
  if not pairs:
    return section.not_run(text, "no data set with finished clipping and penalty critics")
  gp_ok = all(abs(norms[("wgan_gp", d)] - 1) <= UNIT_NORM_TOLERANCE for d in pairs)
  clip_off = all(abs(norms[("wgan_clip", d)] - 1) > UNIT_NORM_TOLERANCE for d in pairs)
  evidence = "; ".join(f"{d}: penalty {norms[('wgan_gp', d)]:.3f}, clipping "
                       f"{norms[('wgan_clip', d)]:.3g}" for d in pairs)
  return section.claim(text, gp_ok and clip_off,
                       f"mean ‖∇D‖, criterion |‖∇D‖ - 1| ≤ {UNIT_NORM_TOLERANCE:g}: {evidence}")


# ---- Figure 3.1b ----------------------------------------------------------------------------


def edge_fraction(histogram: dict) -> float:
  """Share of the critic's weights in the two outermost bins of its histogram ({'counts': [B],
  'edges': [B + 1]} over the weights' range): where clipping piles weights up (at ±c)."""
  counts = histogram["counts"]
  return (counts[0] + counts[-1]) / sum(counts)


def _gradient_norms(ctx, run):
  explode = ("Figure 3.1b: with weight clipping the critic's gradient norms explode or vanish "
             "across its layers for every c, while with the gradient penalty they stay stable "
             "(section 3.3.2)")
  extremes = ("Figure 3.1b (right): weight clipping pushes the critic's weights to the two "
              "extremes of the clipping range, unlike the gradient penalty")
  thesis_c = ", ".join(f"{c:g}" for c in thesis_numbers.FIGURE_3_1B_CLIP_VALUES)
  lines = ["**(b) Gradient norms and weights** of a deep ReLU MLP critic (and generator, no "
           f"batch norm) on Swiss Roll, clipping at each c (thesis: c in {{{thesis_c}}}) vs the "
           "penalty.", ""]
  if not run.finished:
    return lines + [_not_finished(run)], section.not_run_all((explode, extremes),
                                                                 _not_finished(run))
  clips = list(run.config["protocol"]["clip_values"]) + [None]
  subs = _subruns(run, [toy.GradientNorms.setting_name(c) for c in clips])
  rows, ratio, edges = [], {}, {}
  depth = 0
  for clip in clips:
    name = toy.GradientNorms.setting_name(clip)
    label = "gradient penalty" if clip is None else f"clipping, c = {clip:g}"
    sub = subs[name]
    if not sub.finished:
      rows.append((label, sub.status_line(), ""))
      continue
    norms = sub.results["critic_layer_grad_norms"]
    depth = max(depth, len(norms))
    ratio[clip] = norms[-1] / norms[0] if norms[0] else math.inf
    edges[clip] = edge_fraction(sub.results["critic_weight_histogram"])
    rows.append((label, f"{ratio[clip]:.3g}", f"{edges[clip]:.3f}",
                 *(f"{v:.3g}" for v in norms)))
  steps = sorted({sub.results["step"] for sub in subs.values() if sub.finished})
  lines += [tables.markdown_table(
      ("setting", "last / first layer", "weights in the outermost bins",
       *(f"layer {i + 1}" for i in range(depth))),
      [r + ("",) * (3 + depth - len(r)) for r in rows]).rstrip(), "",
      "Norm of the gradient of the critic's Wasserstein loss with respect to each hidden "
      "layer's activations (first layer first) after "
      f"{', '.join(f'{s:,}' for s in steps) or 'no'} generator steps; the weight column is the "
      "share of all critic kernel weights in the two outermost of the histogram's bins over "
      "the weights' range.", ""]
  lines += _figure(ctx, run, "layer_gradient_norms.png", "gradient norms per layer")
  lines += [""] + _figure(ctx, run, "weight_histograms.png", "critic weight histograms") + [""]
  return lines, [_explode_claim(explode, ratio), _extremes_claim(extremes, edges)]


def _explode_claim(text, ratio: dict):
  clipped = {c: r for c, r in ratio.items() if c is not None}
  if None not in ratio or not clipped:
    return section.not_run(text, "needs finished clipping and penalty runs")
  unstable = all(not 1 / STABLE_FACTOR <= r <= STABLE_FACTOR for r in clipped.values())
  stable = 1 / STABLE_FACTOR <= ratio[None] <= STABLE_FACTOR
  evidence = ", ".join(f"c = {c:g}: {r:.3g}" for c, r in clipped.items())
  return section.claim(text, unstable and stable,
                       f"last/first-layer gradient norm, criterion: outside [1/{STABLE_FACTOR:g}, "
                       f"{STABLE_FACTOR:g}] = explodes or vanishes: {evidence}; penalty: "
                       f"{ratio[None]:.3g}")


def _extremes_claim(text, edges: dict):
  clipped = {c: e for c, e in edges.items() if c is not None}
  if None not in edges or not clipped:
    return section.not_run(text, "needs finished clipping and penalty runs")
  holds = all(e > edges[None] for e in clipped.values())
  evidence = ", ".join(f"c = {c:g}: {e:.3f}" for c, e in clipped.items())
  return section.claim(text, holds, f"share of weights in the histogram's two outermost bins: "
                                    f"{evidence}; penalty: {edges[None]:.3f}")


# ---- the toy GAN comparison ---------------------------------------------------------------


def _comparison(ctx, run):
  modes_text = ("Ours (toy table): WGAN-GP covers every mode of each Gaussian mixture where "
                "WGAN with weight clipping does not")
  distance_text = ("Ours (toy table): WGAN-GP's samples are closer to the data than weight "
                   "clipping's on every toy set (MMD² and sliced W1)")
  lines = ["**Toy GAN comparison** (ours; the thesis shows no such table): each objective with "
           "its appendix B.2 optimizer and n_critic on each toy set.", ""]
  if not run.finished:
    return lines + [_not_finished(run)], section.not_run_all((modes_text, distance_text),
                                                                 _not_finished(run))
  objectives = run.config["protocol"]["objectives"]
  datasets = run.config["protocol"]["datasets"]
  rows, found = [], {}
  for o in objectives:
    for d in datasets:
      sub = run.subrun(toy.cell_name(o, d))
      if not sub.finished:
        rows.append((gan_objectives.LABELS[o], d, sub.status_line(), "", "", "", "", ""))
        continue
      res = found[(o, d)] = sub.results
      modes = f"{res['modes_covered']}/{res['num_modes']}" if "modes_covered" in res else "n/a"
      hq = f"{res['high_quality_fraction']:.3f}" if "high_quality_fraction" in res else "n/a"
      rows.append((gan_objectives.LABELS[o], d, modes, hq, f"{res['mmd_rbf']:.4f}",
                   f"{res['sliced_w1']:.4f}", res["step"], _optimizer(sub.config)))
  ecfg = run.config["eval"]
  radius = inspect.signature(toy_metrics.mode_statistics).parameters["radius_stds"].default
  lines += [tables.markdown_table(
      ("objective", "data", "modes covered", "high-quality fraction", "MMD² (RBF)", "sliced W1",
       "generator steps", "optimizer, n_critic"), rows).rstrip(), "",
      f"A sample is *high quality* within {radius:g} standard deviations of its nearest mode; a "
      f"mode is *covered* when it holds at least {ecfg['mode_min_fraction']:g} of the "
      f"{ecfg['toy_samples']:,} samples as high-quality samples (`gen_models/evaluation/toy.py`)."
      f" MMD² (RBF kernel, on {ecfg['mmd_samples']:,} points) and sliced W1 are against fresh "
      "data (Swiss Roll has no modes: only the distances apply). WGAN-GP's penalty weight here "
      f"is λ = {run.config['objective']['gp_weight']:g} (`presets/gan_toy.py` says why).", ""]
  lines += _figure(ctx, run, "samples_grid.png", "toy GAN samples") + [""]
  return lines, [_modes_claim(modes_text, found, datasets),
                 _distance_claim(distance_text, found, datasets)]


def _optimizer(config: dict) -> str:
  """'adam 0.0001 (linear decay), n_critic 5' from a sub-run's config."""
  opt = config["optimizer"]["generator"]
  decay = " (linear decay)" if opt.get("linear_decay") else ""
  n_critic = config["objective"]["n_critic"]
  return f"{opt['name']} {opt['learning_rate']:g}{decay}, n_critic {n_critic}"


def _pair(found: dict, d: str):
  return found.get(("wgan_gp", d)), found.get(("wgan_clip", d))


def _modes_claim(text, found, datasets):
  mixtures = [d for d in datasets if all(r is not None and "modes_covered" in r
                                         for r in _pair(found, d))]
  if not mixtures:
    return section.not_run(text, "no Gaussian mixture with finished WGAN-GP and clipping runs")
  holds = all(_pair(found, d)[0]["modes_covered"] == _pair(found, d)[0]["num_modes"]
              and _pair(found, d)[1]["modes_covered"] < _pair(found, d)[1]["num_modes"]
              for d in mixtures)
  evidence = "; ".join(
      f"{d}: WGAN-GP {gp['modes_covered']}/{gp['num_modes']}, clipping "
      f"{clip['modes_covered']}/{clip['num_modes']}" for d in mixtures
      for gp, clip in [_pair(found, d)])
  return section.claim(text, holds, evidence)


def _distance_claim(text, found, datasets):
  both = [d for d in datasets if None not in _pair(found, d)]
  if not both:
    return section.not_run(text, "no toy set with finished WGAN-GP and clipping runs")
  holds = all(gp[k] < clip[k] for d in both for gp, clip in [_pair(found, d)]
              for k in ("mmd_rbf", "sliced_w1"))
  evidence = "; ".join(
      f"{d}: MMD² {gp['mmd_rbf']:.4f} vs {clip['mmd_rbf']:.4f}, sliced W1 "
      f"{gp['sliced_w1']:.4f} vs {clip['sliced_w1']:.4f}" for d in both
      for gp, clip in [_pair(found, d)])
  return section.claim(text, holds, f"WGAN-GP vs clipping: {evidence}")


def render(ctx: section.Context) -> section.Section:
  body, claims = [], []
  for part, experiment in ((_value_surfaces, VALUE_SURFACES), (_gradient_norms, GRADIENT_NORMS),
                           (_comparison, COMPARISON)):
    lines, found = part(ctx, ctx.run(experiment))
    body += lines + [""]
    claims += found
  return section.Section("\n".join(body), claims)
