"""Naive vs cached top-down sampling of a small 32x32x3 hierarchical PixelVAE; appends a section
to results/sampling_speed.md (benchmarks/sampling_speed.py writes the Gated PixelCNN one).

    nice -n 10 python benchmarks/hierarchical_sampling_speed.py

The measurement is gen_models/evaluation/sampling_speed.py's (the thesis job
`experiments/sampling_speed.py` runs it with the same model): random weights; both samplers are
one jitted function (z2, then z1 position by position, then x sub-pixel by sub-pixel), compiled
ahead of time (compile time excluded), each timed on one run after a warm-up of the cached one.
Identical samples for the same keys are checked.
"""

import importlib.util
import os
import pathlib
import sys

import jax

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gen_models.evaluation import sampling_speed  # noqa: E402



def _job_model():
  """The job's hierarchical model (experiments/sampling_speed.py), so both measure the same."""
  spec = importlib.util.spec_from_file_location("sampling_speed_experiment",
                                                REPO / "experiments" / "sampling_speed.py")
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module.get_config().job.hierarchical_model


def main(n=4):
  m = _job_model()
  timing = sampling_speed.hierarchical_speed(m, n)
  times = {"naive": timing["naive_s"], "cached": timing["cached_s"]}
  same = timing["identical"]
  print(times, flush=True)
  text = (
      "\n## Hierarchical PixelVAE, top-down (benchmarks/hierarchical_sampling_speed.py)\n\n"
      f"{n} samples of 32x32x3 from a small two-level model (random weights): z2 ~ N(0, I), "
      f"z1 8x8x{m.z1_channels} from a {m.latent_layers}-layer latent PixelCNN ({m.latent_channels}"
      f" wide), x from a {m.pixel_layers}-layer pixel PixelCNN ({m.pixel_channels} wide, 256-way "
      "softmax per R/G/B sub-pixel: 3,072 sequential draws).\n\n"
      "| sampler | wall time (s) |\n|---|---|\n"
      f"| naive (full passes per position and sub-pixel) | {times['naive']:.2f} |\n"
      f"| cached (sample_cached_stacks at both levels) | {times['cached']:.2f} |\n\n"
      f"**Speed-up: {times['naive'] / times['cached']:.1f}x.** Identical samples for the same "
      f"keys: {'yes' if same else 'NO'}. {jax.devices()[0].platform}, {os.cpu_count()} CPU cores "
      f"(shared machine, load {os.getloadavg()[0]:.1f}); command: `nice -n 10 python "
      "benchmarks/hierarchical_sampling_speed.py`\n")
  path = REPO / "results" / "sampling_speed.md"
  marker = "\n## Hierarchical PixelVAE, top-down"
  old = path.read_text() if path.exists() else ""
  path.write_text(old.split(marker)[0].rstrip("\n") + "\n" + text)
  print(text)


if __name__ == "__main__":
  main()
