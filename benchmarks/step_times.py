"""Train-step times of each model family through its real task and data source, jitted as the
trainer jits them (no evaluation, no checkpoints); appends a markdown section.

  python benchmarks/step_times.py [--steps 20] [--families gan_toy,gan_cifar,...]
      [--out results/device_suite.md]

A family whose data is missing is reported as skipped (with the reason), not a failure. bf16:
timed again in bfloat16 where the family's config has a `train.compute_dtype` field; no family
has one yet, so the column says so.
"""

import argparse
import importlib.util
import pathlib
import platform
import statistics
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import jax  # noqa: E402

FAMILIES = {  # family: (experiment file[:variant], batch size or None for the experiment's)
    "gan_toy": ("experiments/wgan_gp_toy.py", None),
    "gan_cifar_resnet": ("experiments/wgan_gp_cifar.py", None),
    "gan_language": ("experiments/wgan_gp_language.py", None),
    "vae_mnist": ("experiments/vae_mnist.py", None),
    "pixelcnn_mnist": ("experiments/gated_pixelcnn_mnist.py", None),
    "pixelvae_mnist": ("experiments/gated_pixelvae_mnist.py", None),
    "classifier_cifar10": ("experiments/cifar10_classifier.py", None),
}


def _config(spec: str):
  path, _, variant = spec.partition(":")
  module_spec = importlib.util.spec_from_file_location(pathlib.Path(path).stem, REPO / path)
  module = importlib.util.module_from_spec(module_spec)
  module_spec.loader.exec_module(module)
  return module.get_config(variant)


def time_family(spec: str, batch_size, steps: int, dtype=None) -> dict:
  from gen_models.data import resolve_data_dir
  from gen_models.runs import single
  from gen_models.training import mesh as mesh_lib, trainer
  config = _config(spec)
  if "protocol" in config:
    del config["protocol"]
  if batch_size:
    config.data.batch_size = batch_size
  if "data_dir" in config.data:
    config.data.data_dir = str(resolve_data_dir(config.data.data_dir))
  if dtype is not None:
    config.train.compute_dtype = dtype
  single.validate(config)
  source, task = single.build(config)
  mesh = mesh_lib.data_mesh()
  repl, shard = mesh_lib.replicated(mesh), mesh_lib.stacked_batch_sharding(mesh)
  k = task.batches_per_step
  batch = lambda i: mesh_lib.put_batch(source.batches(i * k, k), shard)  # noqa: E731
  init_key, train_key, _ = trainer.run_keys(0)
  state = jax.jit(task.init, out_shardings=repl)(init_key, batch(0))
  step = jax.jit(task.train_step, in_shardings=(repl, shard, repl), out_shardings=(repl, repl),
                 donate_argnums=(0,))
  start = time.perf_counter()
  state, metrics = step(state, batch(0), jax.random.fold_in(train_key, 0))
  jax.block_until_ready(metrics)
  compile_s = time.perf_counter() - start
  times = []
  for i in range(1, steps + 1):
    b = batch(i)
    start = time.perf_counter()
    state, metrics = step(state, b, jax.random.fold_in(train_key, i))
    jax.block_until_ready(metrics)
    times.append(time.perf_counter() - start)
  median = statistics.median(times)
  return {"ms": 1000 * median, "examples_per_s": k * config.data.batch_size / median,
          "batch": config.data.batch_size, "k": k, "compile_s": compile_s}


def main(argv=None):
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--steps", type=int, default=20, help="timed steps after one warm-up")
  parser.add_argument("--families", default=",".join(FAMILIES))
  parser.add_argument("--out", default=str(REPO / "results" / "device_suite.md"))
  args = parser.parse_args(argv)
  devices = jax.devices()
  rows = []
  for family in [f for f in args.families.split(",") if f]:
    spec, batch = FAMILIES[family]
    try:
      r = time_family(spec, batch, args.steps)
    except Exception as e:  # noqa: BLE001  (missing data, a family that does not build here)
      rows.append(f"| {family} | skipped: {type(e).__name__}: {' '.join(str(e).split())[:120]}"
                  " | | | | |")
      print(rows[-1], flush=True)
      continue
    try:
      has_bf16 = "compute_dtype" in _config(spec).train
    except Exception:  # noqa: BLE001
      has_bf16 = False
    bf16 = "no bf16 option (skipped)"
    if has_bf16:
      try:
        bf16 = f"{time_family(spec, batch, args.steps, 'bfloat16')['ms']:.2f} ms"
      except Exception as e:  # noqa: BLE001
        bf16 = f"failed: {type(e).__name__}"
    rows.append(f"| {family} | {r['ms']:.2f} | {r['examples_per_s']:.0f} | {r['k']} x "
                f"{r['batch']} | {r['compile_s']:.1f} | {bf16} |")
    print(rows[-1], flush=True)
  section = [
      "", f"### Train-step times per family ({devices[0].device_kind} x {len(devices)}, "
      f"jax {jax.__version__}, {platform.node()})", "",
      f"Median of {args.steps} jitted train steps after one warm-up (the step the trainer runs: "
      "every critic update of a GAN step included); examples = batches per step x batch size.",
      "", "| family | ms / step (f32) | examples / s | batches x size | compile s | bf16 |",
      "|---|---|---|---|---|---|", *rows, ""]
  with open(args.out, "a") as f:
    f.write("\n".join(section) + "\n")


if __name__ == "__main__":
  main()
