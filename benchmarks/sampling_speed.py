"""Naive vs cached sampling speed of a Gated PixelCNN; writes results/sampling_speed.md.

    nice -n 10 python benchmarks/sampling_speed.py

The measurement is gen_models/evaluation/sampling_speed.py's (also the thesis job
`experiments/sampling_speed.py`): random weights, each sampler one jitted function compiled
ahead of time, the cached one warmed up, the naive one timed once; the samples of the two must
be identical for the same key, and the report says whether they were.
"""

import argparse
import os
import pathlib
import platform
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from gen_models import xla_setup  # noqa: E402

xla_setup.apply_cpu_fast_path()  # before jax starts

import flax  # noqa: E402
import jax  # noqa: E402

from gen_models.evaluation import sampling_speed  # noqa: E402


def _git_commit() -> str:
  def git(*args):
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
  commit = git("rev-parse", "HEAD") or "unknown"
  # Only the code this benchmark runs counts (other helpers may have work in progress elsewhere).
  dirty = git("status", "--porcelain", "--", "gen_models/nn", "gen_models/models",
              "gen_models/sampling", "gen_models/evaluation/sampling_speed.py", "benchmarks")
  return commit + (" (with uncommitted changes to the benchmarked code)" if dirty else "")


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--num_samples", type=int, default=64)
  parser.add_argument("--size", type=int, default=28)
  parser.add_argument("--layers", type=int, default=12)
  parser.add_argument("--channels", type=int, default=32)
  parser.add_argument("--out", default=str(REPO / "results" / "sampling_speed.md"))
  args = parser.parse_args(argv)

  timing = sampling_speed.gated_pixelcnn_speed(args.num_samples, args.size, args.layers,
                                               args.channels)
  naive_s, cached_s, identical = timing["naive_s"], timing["cached_s"], timing["identical"]
  compile_s = {"naive": timing["naive_compile_s"], "cached": timing["cached_compile_s"]}
  print(f"cached: {cached_s:.3f} s, naive: {naive_s:.2f} s", flush=True)

  device = jax.devices()[0]
  load = " / ".join(f"{v:.1f}" for v in os.getloadavg())
  command = "nice -n 10 python " + " ".join([os.path.relpath(__file__, REPO)] + sys.argv[1:])
  lines = [
      "# Sampling speed: naive vs cached Gated PixelCNN sampler",
      "",
      f"{args.num_samples} samples of {args.size}x{args.size} binary pixels from a Gated PixelCNN "
      f"with {args.layers} layers (7x7 then 5x5 stacks), {args.channels} channels, **random "
      "weights** (sampling cost does not depend on the weights' values). Each sampler is one "
      "jitted function looping over the pixels with `lax.fori_loop`, compiled ahead of time "
      "(compile time excluded); "
      "the cached sampler ran once before timing, the naive one was timed on its first run.",
      "",
      "| sampler | wall time (s) | compile (s) |",
      "|---|---|---|",
      f"| naive (one full network pass per pixel) | {naive_s:.3f} | {compile_s['naive']:.1f} |",
      f"| cached (vertical stack per row, horizontal stack per pixel) | {cached_s:.3f} | "
      f"{compile_s['cached']:.1f} |",
      "",
      f"**Speed-up: {naive_s / cached_s:.1f}x.** Identical samples for the same key: "
      f"{'yes' if identical else 'NO'} (mean pixel {timing['mean_value']:.3f}).",
      "",
      f"- device: {device.platform} ({device.device_kind}), {os.cpu_count()} CPU cores visible, "
      f"load average at the end {load} (the machine is shared)",
      f"- jax {jax.__version__}, flax {flax.__version__}, python {platform.python_version()}",
      f"- git commit: {_git_commit()}",
      f"- command (from the repository root): `{command}`",
      "",
  ]
  out = pathlib.Path(args.out)
  out.parent.mkdir(parents=True, exist_ok=True)
  out.write_text("\n".join(lines))
  print("\n".join(lines))


if __name__ == "__main__":
  main()
