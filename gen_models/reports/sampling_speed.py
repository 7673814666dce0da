"""The cached autoregressive samplers' speed-up over the naive ones (beyond the thesis: our
samplers): wall times of both on a Gated PixelCNN and a hierarchical PixelVAE, whether they drew
the same samples, and the speed-up, from the `sampling_speed` job's results.json
(gen_models/evaluation/sampling_speed.py)."""

from gen_models.plotting import tables
from gen_models.reports import section

KEY = "sampling_speed"
TITLE = "The cached autoregressive sampler's speed-up"
CHAPTER = 4
EXPERIMENT = "experiments/sampling_speed.py"
EXPERIMENTS = (EXPERIMENT,)
CLAIM_SAME = "The cached sampler draws the same samples as the naive one (same keys)"
CLAIM_FASTER = "The cached sampler is faster than the naive one"


def _model_label(name: str, r: dict) -> str:
  if name == "gated_pixelcnn":
    return (f"Gated PixelCNN, {r['num_samples']} samples of {r['size']}x{r['size']} binary "
            f"pixels, {r['layers']} layers x {r['channels']} channels")
  return (f"hierarchical PixelVAE, {r['num_samples']} samples of 32x32x3: latent PixelCNN "
          f"{r['latent_layers']} x {r['latent_channels']}, pixel PixelCNN {r['pixel_layers']} x "
          f"{r['pixel_channels']}")


def render(ctx: section.Context) -> section.Section:
  run = ctx.run(EXPERIMENT)
  if not run.finished:
    return section.unfinished(run, (CLAIM_SAME, CLAIM_FASTER))
  results = run.results
  measured = {name: results[name] for name in ("gated_pixelcnn", "hierarchical")
              if name in results}
  rows = [(_model_label(name, r), f"{r['naive_s']:.3f}", f"{r['cached_s']:.3f}",
           f"{r['naive_compile_s']:.1f} / {r['cached_compile_s']:.1f}", f"{r['speedup']:.1f}x",
           "yes" if r["identical"] else "no") for name, r in measured.items()]
  body = [f"Random weights (a sampler's cost does not depend on their values), on "
          f"{results['device']}; each sampler one jitted function, compiled ahead of time "
          "(compile time apart), the cached one warmed up, the naive one timed on its first "
          "run; wall-clock seconds of one run.", "",
          tables.markdown_table(("model and sizes", "naive (s)", "cached (s)",
                                 "compile naive / cached (s)", "speed-up", "identical samples"),
                                rows)]
  same = all(r["identical"] for r in measured.values())
  faster = all(r["cached_s"] < r["naive_s"] for r in measured.values())
  evidence = "; ".join(f"{name}: naive {r['naive_s']:.3f} s, cached {r['cached_s']:.3f} s, "
                       f"identical {'yes' if r['identical'] else 'no'}"
                       for name, r in measured.items())
  return section.Section("\n".join(body), [section.claim(CLAIM_SAME, same, evidence),
                                           section.claim(CLAIM_FASTER, faster, evidence)])
