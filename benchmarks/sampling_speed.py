"""Naive vs cached sampling speed of a Gated PixelCNN; writes results/sampling_speed.md.

    nice -n 10 python benchmarks/sampling_speed.py

Weights are random (the cost of a sampler does not depend on their values). Each sampler is one
jitted function (a `lax.fori_loop` over the H W pixels), compiled ahead of time; the cached one
also runs once before timing. The naive sampler is timed once (it is the slow one); the samples
of the two must be identical for the same key, and the report says whether they were.
"""

import argparse
import os
import pathlib
import platform
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from gen_models import xla_setup  # noqa: E402

xla_setup.apply_cpu_fast_path()  # before jax starts

import flax  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from gen_models.models import build_image_model, image_config  # noqa: E402
from gen_models.sampling import autoregressive as ar  # noqa: E402


def _git_commit() -> str:
  def git(*args):
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
  commit = git("rev-parse", "HEAD") or "unknown"
  # Only the code this benchmark runs counts (other helpers may have work in progress elsewhere).
  dirty = git("status", "--porcelain", "--", "gen_models/nn", "gen_models/models",
              "gen_models/sampling", "benchmarks")
  return commit + (" (with uncommitted changes to the benchmarked code)" if dirty else "")


def _timed(fn, *args):
  start = time.perf_counter()
  out = jax.block_until_ready(fn(*args))
  return out, time.perf_counter() - start


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--num_samples", type=int, default=64)
  parser.add_argument("--size", type=int, default=28)
  parser.add_argument("--layers", type=int, default=12)
  parser.add_argument("--channels", type=int, default=32)
  parser.add_argument("--out", default=str(REPO / "results" / "sampling_speed.md"))
  args = parser.parse_args(argv)

  cfg = image_config("gated_pixelcnn", num_ar_layers=args.layers, channels=args.channels)
  model = build_image_model(cfg)
  shape = (args.num_samples, args.size, args.size, 1)
  params = model.init(jax.random.key(0), jnp.zeros((1,) + shape[1:]))["params"]
  key = jax.random.key(1)

  apply_fn = lambda p: lambda x: model.apply({"params": p}, x)
  naive = jax.jit(lambda p, k: ar.sample_naive(apply_fn(p), k, shape))
  cached = jax.jit(lambda p, k: ar.sample_cached(model, p, k, shape))

  compile_s = {}
  for name, fn in (("naive", naive), ("cached", cached)):
    start = time.perf_counter()
    compiled = fn.lower(params, key).compile()
    compile_s[name] = time.perf_counter() - start
    if name == "naive":
      naive = compiled
    else:
      cached = compiled
  cached(params, key).block_until_ready()  # warm-up run
  x_cached, cached_s = _timed(cached, params, key)
  print(f"cached: {cached_s:.3f} s", flush=True)
  x_naive, naive_s = _timed(naive, params, key)
  print(f"naive: {naive_s:.2f} s", flush=True)
  identical = bool(np.array_equal(np.asarray(x_naive), np.asarray(x_cached)))

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
      f"{'yes' if identical else 'NO'} (mean pixel {float(np.mean(x_naive)):.3f}).",
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
