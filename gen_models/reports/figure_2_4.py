"""Figure 2.4: the PixelVAE's NLL bound (split into KL and reconstruction) and the PixelCNN's
exact NLL against the number of autoregressive layers, from the
`experiments/pixelcnn_layers_sweep.py` protocol record (protocols/layers_sweep.py: its
results.json lists every sub-run's numbers, its figures/nll_vs_layers.png is the figure).

The thesis prints no values for this figure, only what section 2.4.1 reads from it; those
readings are the claims, each with a verdict computed from our sweep."""

from gen_models.plotting import tables
from gen_models.protocols import layers_sweep
from gen_models.reports import records, section, thesis_numbers

KEY = "figure_2_4"
TITLE = "Figure 2.4: NLL against the number of PixelCNN layers"
CHAPTER = 2
EXPERIMENT = "experiments/pixelcnn_layers_sweep.py"
EXPERIMENTS = (EXPERIMENT,)
FIGURE = "figures/nll_vs_layers.png"  # the protocol's reducer draws it
ESTIMATES = ("test_nll_exact", "test_nll_iwae", "test_nll_elbo")  # tightest first
NOTATION = {"exact": "=", "iwae": "≈", "elbo": "≤"}  # the thesis' (thesis_numbers.py)

CLAIM_BETTER = (f"With fewer than {thesis_numbers.FIGURE_2_4_PIXELVAE_BETTER_BELOW_LAYERS} "
                "autoregressive layers the PixelVAE (NLL bound) performs much better than the "
                "PixelCNN (exact NLL) (section 2.4.1, Fig. 2.4a): bound < NLL at every such "
                "layer count run")
CLAIM_FIRST_LAYER = ("Adding the first PixelCNN layer has a dramatic impact on the PixelVAE's NLL "
                     "bound (Fig. 2.4a): the 0 -> 1 layer drop is the largest drop between "
                     "consecutive layer counts run")
CLAIM_KL_DROP = ("A sharp drop in the KL term with a single autoregressive layer compared to "
                 "none (Fig. 2.4b): KL(1 layer) < KL(0 layers) / 2")
CLAIM_KL_DECREASES = ("Latents hold less information as the decoder's receptive field grows "
                      "(section 2.4.1, 'Latent variable information content'): KL at the most "
                      "layers run <= KL at 1 layer")


def sweep_points(results: dict, config: dict) -> dict:
  """{family: {layers: sub-run results}} of a reduced sweep (results.json's "runs", named by
  layers_sweep.subrun_name), in the protocol's order; sub-runs it did not run are left out."""
  runs = results["runs"]
  points = {}
  for family in config["protocol"]["families"]:
    for n in config["protocol"]["layers"]:
      name = layers_sweep.subrun_name(family, int(n))
      if name in runs:
        points.setdefault(family, {})[int(n)] = runs[name]
  return points


def nll(results: dict) -> tuple[str, float]:
  """(estimate, nats): the tightest test NLL a sub-run has (exact, IWAE, else the ELBO)."""
  for key in ESTIMATES:
    if key in results:
      return key.replace("test_nll_", ""), float(results[key])
  raise records.RecordError(f"a sub-run's results have no test NLL (keys: {sorted(results)})")


def _table(pixelvae: dict, pixelcnn: dict) -> str:
  rows = []
  for n in sorted(set(pixelvae) | set(pixelcnn)):
    vae, cnn = pixelvae.get(n), pixelcnn.get(n)
    vae_cells = ("", "", "", "")
    if vae is not None:
      estimate, value = nll(vae)
      vae_cells = (f"{NOTATION[estimate]} {value:.2f}", _nats(vae.get("test_kl")),
                   _nats(vae.get("test_reconstruction")), vae["step"])
    cnn_cells = ("", "")
    if cnn is not None:
      estimate, value = nll(cnn)
      cnn_cells = (f"{NOTATION[estimate]} {value:.2f}", cnn["step"])
    rows.append((n, *vae_cells, *cnn_cells))
  return tables.markdown_table(
      ("AR layers", "PixelVAE NLL bound (nats)", "KL", "reconstruction", "PixelVAE steps",
       "PixelCNN NLL (nats)", "PixelCNN steps"), rows).rstrip()


def _nats(value) -> str:
  return "" if value is None else f"{value:.2f}"


def claims(pixelvae: dict, pixelcnn: dict) -> list:
  """The section 2.4.1 readings of Figure 2.4 with verdicts from {layers: results} per family."""
  vae_nll = {n: nll(r)[1] for n, r in pixelvae.items()}
  cnn_nll = {n: nll(r)[1] for n, r in pixelcnn.items()}
  out = []
  below = thesis_numbers.FIGURE_2_4_PIXELVAE_BETTER_BELOW_LAYERS
  both = sorted(n for n in set(vae_nll) & set(cnn_nll) if 1 <= n < below)
  if both:
    gaps = "; ".join(f"{n} layers: {vae_nll[n]:.2f} vs {cnn_nll[n]:.2f}" for n in both)
    out.append(section.claim(CLAIM_BETTER, all(vae_nll[n] < cnn_nll[n] for n in both),
                             f"ours, PixelVAE bound vs PixelCNN NLL in nats: {gaps}"))
  else:
    out.append(section.not_run(CLAIM_BETTER, f"no layer count below {below} run by both"))
  layers = sorted(vae_nll)
  if 0 in vae_nll and 1 in vae_nll:
    drops = {(a, b): vae_nll[a] - vae_nll[b] for a, b in zip(layers, layers[1:])}
    first = drops[(0, 1)]
    others = {k: v for k, v in drops.items() if k != (0, 1)}
    largest_other = max(others.values(), default=float("-inf"))
    evidence = f"ours: {vae_nll[0]:.2f} -> {vae_nll[1]:.2f} nats (drop {first:.2f})"
    if others:
      evidence += "; further drops " + ", ".join(f"{a}->{b}: {d:.2f}"
                                                 for (a, b), d in others.items())
    out.append(section.claim(CLAIM_FIRST_LAYER, first > 0 and first > largest_other, evidence))
  else:
    out.append(section.not_run(CLAIM_FIRST_LAYER, "needs PixelVAE sub-runs with 0 and 1 layers"))
  kl = {n: r["test_kl"] for n, r in pixelvae.items() if "test_kl" in r}
  if 0 in kl and 1 in kl:
    out.append(section.claim(CLAIM_KL_DROP, kl[1] < kl[0] / 2,
                             f"ours: KL {kl[0]:.2f} nats with 0 layers, {kl[1]:.2f} with 1"))
  else:
    out.append(section.not_run(CLAIM_KL_DROP, "needs the KL of PixelVAE sub-runs with 0 and 1 "
                                              "layers"))
  most = max(kl, default=None)
  if 1 in kl and most is not None and most > 1:
    out.append(section.claim(CLAIM_KL_DECREASES, kl[most] <= kl[1],
                             f"ours: KL {kl[1]:.2f} nats with 1 layer, {kl[most]:.2f} with "
                             f"{most}"))
  else:
    out.append(section.not_run(CLAIM_KL_DECREASES, "needs PixelVAE sub-runs with 1 and more "
                                                   "layers"))
  return out


def not_run_claims(why: str) -> list:
  return [section.not_run(text, why) for text in
          (CLAIM_BETTER, CLAIM_FIRST_LAYER, CLAIM_KL_DROP, CLAIM_KL_DECREASES)]


def render(ctx: section.Context) -> section.Section:
  run = ctx.run(EXPERIMENT)
  if not run.finished:
    return section.Section(f"The layers sweep: {run.status_line()}.",
                           not_run_claims(f"the sweep: {run.status_line()}"))
  points = sweep_points(run.results, run.config)
  pixelvae, pixelcnn = points.get("pixelvae", {}), points.get("pixelcnn", {})
  kernel = run.config["protocol"]["first_kernel_size"]
  counts = ", ".join(str(n) for n in sorted(set(pixelvae) | set(pixelcnn)))
  body = [
      "The thesis prints no values for Figure 2.4; section 2.4.1 reads it (the claims below). "
      f"Ours: PixelVAE and PixelCNN on binarized MNIST with {counts} masked layers "
      f"(first layer {kernel}x{kernel}; thesis: "
      f"{thesis_numbers.FIGURE_2_4_FIRST_KERNEL_SIZE}x"
      f"{thesis_numbers.FIGURE_2_4_FIRST_KERNEL_SIZE}); 0 layers is the PixelVAE with a "
      "factorized decoder. Test NLL in nats (≤ the ELBO, ≈ an IWAE estimate, = exact); the "
      "PixelVAE's ELBO is split into KL and reconstruction.", "",
      _table(pixelvae, pixelcnn)]
  figure = run.path / FIGURE
  if figure.is_file():
    body += ["", f"![(a) NLL vs autoregressive layers, (b) the PixelVAE bound's split]"
                 f"({ctx.link(figure)})"]
  else:
    body += ["", f"(the sweep drew no figure: {FIGURE} is missing from its record)"]
  return section.Section("\n".join(body), claims(pixelvae, pixelcnn))
