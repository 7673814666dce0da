"""Table 2.2's FLOPs column: FLOPs per 64x64 image of the forward pass of our hierarchical
PixelVAE (`experiments/hierarchical_pixelvae.py:imagenet64` sizes) and of our gated PixelCNN in
van den Oord et al. (2016b)'s 64x64 ImageNet configuration, from XLA's cost analysis of the
lowered forward pass at batch 1; writes results/table_2_2.md.

    python tools/flops_table_2_2.py

The PixelVAE's forward pass is the training-time one (the likelihood bound): both encoders, the
top decoder with its latent PixelCNN over z1, the bottom decoder and the pixel PixelCNN, batch
norm in eval mode. XLA counts a multiply-add as 2 FLOPs. The NLL column is not run: no GPU and
no ImageNet data here.
"""

import argparse
import os
import pathlib
import platform
import subprocess
import sys

import jax
import jax.numpy as jnp

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gen_models.models import hierarchical_pixelvae as hpv  # noqa: E402
from gen_models.presets import hierarchical_pixelvae as preset  # noqa: E402

THESIS = {"PixelRNN": ("= 3.63 (3.57)", 154e9), "Gated PixelCNN": ("= 3.57 (3.48)", 134e9),
          "Hierarchical PixelVAE": ("<= 3.62 (3.55)", 63e9)}
# van den Oord et al. 2016b, section 3.1 (ImageNet): 20 gated layers of 384 feature maps with
# 5x5 filters, a 256-way softmax per RGB sub-pixel.
PIXELCNN_LAYERS, PIXELCNN_CHANNELS, PIXELCNN_KERNEL = 20, 384, 5


def flops(fn, *args) -> float:
  """XLA's FLOP count of fn(*args) (lowered, not compiled: the HLO cost analysis)."""
  cost = jax.jit(fn).lower(*args).cost_analysis()
  if isinstance(cost, (list, tuple)):
    cost = cost[0]
  return float(cost["flops"])


def pixelvae_flops(size: int = 64) -> float:
  cfg = preset.hierarchical_pixelvae_config("image_folder", size).model
  model = hpv.build_hierarchical_pixelvae(cfg, (size, size, 3))
  x = jnp.zeros((1, size, size, 3))
  z1 = jnp.zeros(model.z1_shape(1))
  z2 = jnp.zeros((1, cfg.z2_dim))
  variables = jax.eval_shape(lambda: model.init(jax.random.key(0), x, z1, z2))
  variables = jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype), variables)
  return flops(lambda v, x, z1, z2: model.apply(v, x, z1, z2), variables, x, z1, z2)


def pixelcnn_flops(size: int = 64) -> float:
  net = hpv.GroupedGatedPixelCNN(PIXELCNN_LAYERS, PIXELCNN_CHANNELS, hpv.NUM_LEVELS, groups=3,
                                 first_kernel_size=PIXELCNN_KERNEL, kernel_size=PIXELCNN_KERNEL)
  x = jnp.zeros((1, size, size, 3))
  params = jax.eval_shape(lambda: net.init(jax.random.key(0), x))
  params = jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype), params)
  return flops(lambda p, x: net.apply(p, x), params, x)


def _commit() -> str:
  out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True)
  return out.stdout.strip() or "unknown"


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--out", default=str(REPO / "results" / "table_2_2.md"))
  args = parser.parse_args(argv)
  ours = {"Gated PixelCNN": pixelcnn_flops(), "Hierarchical PixelVAE": pixelvae_flops()}
  rows = []
  for name, (nll, thesis_flops) in THESIS.items():
    mine = f"{ours[name] / 1e9:.1f} x 10^9" if name in ours else "—"
    rows.append(f"| {name} | {nll} | {thesis_flops / 1e9:.0f} x 10^9 | {mine} | not run |")
  ratio = ours["Gated PixelCNN"] / ours["Hierarchical PixelVAE"]
  lines = [
      "# Table 2.2: 64x64 ImageNet, NLL and FLOPs per image",
      "",
      "| model | thesis NLL val. (train), bits/dim | thesis FLOPs | our FLOPs (XLA, forward, "
      "batch 1) | our NLL |",
      "|---|---|---|---|---|",
      *rows,
      "",
      f"Our gated PixelCNN costs {ratio:.1f}x our hierarchical PixelVAE per image (thesis: "
      f"{134 / 63:.1f}x).",
      "",
      "- **NLL not run**: training needs a GPU (400k steps at batch 48) and 64x64 ImageNet, "
      "neither of which is on this machine; `python launch/main.py --config "
      "experiments/hierarchical_pixelvae.py:imagenet64 --workdir DIR` trains it where they are.",
      f"- Hierarchical PixelVAE: `experiments/hierarchical_pixelvae.py:imagenet64` sizes "
      f"({dict(preset.MODEL_64)}); the full training-time forward pass (encoders, top decoder "
      "and latent PixelCNN over z1 16x16, bottom decoder, pixel PixelCNN), batch norm in eval "
      "mode.",
      f"- Gated PixelCNN: our blind-spot-free gated stacks with R/G/B sub-pixel masks, "
      f"{PIXELCNN_LAYERS} layers of {PIXELCNN_CHANNELS} feature maps, {PIXELCNN_KERNEL}x"
      f"{PIXELCNN_KERNEL} filters, two gated 1x1 layers and a 256-way softmax per sub-pixel "
      "(the ImageNet configuration of van den Oord et al. 2016b as we read it: 20 layers, 384 "
      "feature maps, 5x5; the layer count and width could not be checked against the paper's "
      "text from this machine).",
      "- FLOPs: XLA's HLO cost analysis of the lowered forward pass (`jax.jit(f).lower(...)"
      ".cost_analysis()['flops']`), a multiply-add counted as 2; how the thesis counted its "
      "numbers is not stated.",
      f"- jax {jax.__version__}, python {platform.python_version()}, {os.cpu_count()} CPU cores; "
      f"git commit {_commit()}",
      "- command (from the repository root): `python tools/flops_table_2_2.py`",
      "",
  ]
  out = pathlib.Path(args.out)
  out.write_text("\n".join(lines))
  print("\n".join(lines))


if __name__ == "__main__":
  main()
