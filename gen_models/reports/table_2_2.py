"""Table 2.2: 64x64 ImageNet NLL and FLOPs per image, the thesis' beside our FLOP counts (the
`flops_table_2_2` job of experiments/flops_table_2_2.py: XLA's cost analysis of the forward
pass of our hierarchical PixelVAE and our gated PixelCNN). Our NLL column is not run: it needs
64x64 ImageNet, not available offline (and a GPU)."""

from gen_models.evaluation import flops
from gen_models.plotting import tables
from gen_models.reports import section, thesis_numbers

KEY = "table_2_2"
TITLE = "Table 2.2: 64x64 ImageNet NLL and FLOPs"
CHAPTER = 2
EXPERIMENT = "experiments/flops_table_2_2.py"
EXPERIMENTS = (EXPERIMENT,)
# Table 2.2's rows that we count -> results.json's name of the forward pass
OURS = {"Gated PixelCNN": flops.PIXELCNN, "Hierarchical PixelVAE": flops.PIXELVAE}
NLL_NOT_RUN = "needs 64x64 ImageNet, not available offline"
_THESIS = {model: (nll, f) for model, nll, f in thesis_numbers.TABLE_2_2}


def gflops(value, digits: int = 1) -> str:
  return "—" if value is None else f"{value / 1e9:.{digits}f} x 10^9"


CLAIM_FLOPS = ("The hierarchical PixelVAE needs fewer FLOPs per image than the gated PixelCNN "
               f"(Table 2.2: {gflops(_THESIS['Hierarchical PixelVAE'][1], 0)} vs "
               f"{gflops(_THESIS['Gated PixelCNN'][1], 0)})")
CLAIM_NLL = ("The hierarchical PixelVAE's NLL is competitive with the gated PixelCNN's on 64x64 "
             f"ImageNet (Table 2.2: {_THESIS['Hierarchical PixelVAE'][0]} vs "
             f"{_THESIS['Gated PixelCNN'][0]} bits/dim)")


def _rows(counts: dict | None, status: str) -> list:
  rows = []
  for model, nll, thesis_flops in thesis_numbers.TABLE_2_2:
    if model in OURS:
      ours = gflops(counts[OURS[model]]) if counts is not None else status
    else:
      ours = "—"  # not a model of ours
    rows.append((model, nll, gflops(thesis_flops, 0), ours, "not run"))
  return rows


def _setting(run) -> list[str]:
  """What was counted: the two configurations, the counter, the JAX version."""
  job = run.config["job"]
  pixelvae, pixelcnn = job["pixelvae"], job["pixelcnn"]
  sizes = ", ".join(f"{k}={tuple(v) if isinstance(v, list) else v}" for k, v in
                    sorted(pixelvae.items()) if k in ("res_channels", "z1_channels", "z2_dim",
                                                      "top_channels", "pixel_channels",
                                                      "latent_channels", "pixel_layers",
                                                      "latent_layers"))
  jax_version = run.provenance["versions"]["jax"]
  return [
      f"- Hierarchical PixelVAE ({job['image_size']}x{job['image_size']}; {sizes}): the "
      "full training-time forward pass (encoders, top decoder and latent PixelCNN over z1, "
      "bottom decoder, pixel PixelCNN), batch norm in eval mode.",
      f"- Gated PixelCNN: our blind-spot-free gated stacks with R/G/B sub-pixel masks, "
      f"{pixelcnn['layers']} layers of {pixelcnn['channels']} feature maps, "
      f"{pixelcnn['kernel_size']}x{pixelcnn['kernel_size']} filters, two gated 1x1 layers and "
      "a 256-way softmax per sub-pixel (van den Oord et al. 2016b's ImageNet configuration as "
      "we read it; not checked against the paper offline).",
      f"- FLOPs: {run.results['counter']}, at batch {job['batch_size']}, jax {jax_version}; how "
      "the thesis counted its numbers is not stated.",
      f"- NLL not run: {NLL_NOT_RUN} (and 400k steps at batch 48 on a GPU); `python "
      "launch/main.py --config=experiments/hierarchical_pixelvae.py:imagenet64 --workdir=DIR` "
      "trains it where they are.",
  ]


def render(ctx: section.Context) -> section.Section:
  run = ctx.run(EXPERIMENT)
  headers = ("model", "thesis NLL val. (train), bits/dim", "thesis FLOPs",
             "our FLOPs (XLA, forward)", "our NLL")
  claims = [section.not_run(CLAIM_NLL, NLL_NOT_RUN)]
  if not run.finished:
    body = tables.markdown_table(headers, _rows(None, run.status_line()))
    return section.Section(body, [section.not_run(CLAIM_FLOPS, f"the FLOP count: "
                                                  f"{run.status_line()}")] + claims)
  counts = run.results["flops_per_image"]
  pixelvae, pixelcnn = counts[flops.PIXELVAE], counts[flops.PIXELCNN]
  thesis_ratio = _THESIS["Gated PixelCNN"][1] / _THESIS["Hierarchical PixelVAE"][1]
  body = [tables.markdown_table(headers, _rows(counts, "")).rstrip(), "",
          f"Our gated PixelCNN costs {pixelcnn / pixelvae:.1f}x our hierarchical PixelVAE per "
          f"image (thesis: {thesis_ratio:.1f}x).", "", *_setting(run)]
  claims.insert(0, section.claim(CLAIM_FLOPS, pixelvae < pixelcnn,
                                 f"ours: {gflops(pixelvae)} vs {gflops(pixelcnn)} FLOPs per "
                                 "image"))
  return section.Section("\n".join(body), claims)
