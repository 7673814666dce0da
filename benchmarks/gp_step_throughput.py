"""Throughput of one WGAN-GP critic step for the appendix B.3 CIFAR-10 ResNets.

One critic step = sample a batch of fakes from the generator (train-mode batch norm), score
real and fake, the gradient penalty on interpolates (a gradient of a gradient), and one Adam
update: exactly the body GANTask scans n_critic times. Reports the median wall time per step
after warm-up, XLA's FLOP count for the compiled step (cost analysis), and achieved GFLOP/s,
and writes a markdown section with provenance.

  nice -n 10 python benchmarks/gp_step_throughput.py [--batch-size 64] [--steps 3]
      [--out results/throughput.md] [--append]
"""

import argparse
import os
import pathlib
import platform
import shlex
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # runnable from a checkout

import jax  # noqa: E402
import jaxlib  # noqa: E402
import numpy as np  # noqa: E402

from gen_models import tasks  # noqa: E402
from gen_models.presets import gan_cifar  # noqa: E402
from gen_models.training import rundir  # noqa: E402


class RandomImages:
  """Uniform [-1, 1] CIFAR-shaped images and labels; the step's cost does not depend on data."""

  def __init__(self, batch_size, shape=(32, 32, 3)):
    self.batch_size, self.data_shape = batch_size, shape

  def batches(self, first_index, count):
    rng = np.random.default_rng(first_index)
    return {"x": rng.uniform(-1, 1, (count, self.batch_size, *self.data_shape)).astype(np.float32),
            "label": rng.integers(0, 10, (count, self.batch_size)).astype(np.int32)}


def critic_step_fn(task, batch_size):
  def critic_step(state, batch, key):
    gen_vars = state["generator"]
    make_fake = lambda real, k: task.sample_fakes(gen_vars, k, batch_size)[0]
    params, opt_state, metrics = task._critic_updates(  # the body GANTask.train_step scans
        state["critic"], state["critic_opt"], batch, key[None], make_fake)
    return {**state, "critic": params, "critic_opt": opt_state}, metrics
  return critic_step


def _flops(compiled) -> float:
  cost = compiled.cost_analysis()
  if isinstance(cost, (list, tuple)):  # older jax returned one dict per computation
    cost = cost[0]
  return float(cost.get("flops", float("nan")))


def _cpu_model() -> str:
  try:
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
      if line.startswith("model name"):
        return line.split(":", 1)[1].strip()
  except OSError:
    pass
  return platform.processor() or "unknown"


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--batch-size", type=int, default=64)
  parser.add_argument("--steps", type=int, default=3, help="timed steps after one warm-up")
  parser.add_argument("--conditional", action="store_true", help="AC-GAN variant")
  parser.add_argument("--out", default="results/throughput.md")
  parser.add_argument("--append", action="store_true", help="add a section to --out")
  args = parser.parse_args()

  config = gan_cifar.gan_cifar_config(conditional=args.conditional)
  config.data.batch_size = args.batch_size
  source = RandomImages(args.batch_size)
  task = tasks.build_task(config, source)
  state = jax.jit(task.init)(jax.random.key(0), source.batches(0, 1))
  batch = jax.tree_util.tree_map(lambda v: v[:1], source.batches(1, 1))
  load_before = os.getloadavg()

  t0 = time.perf_counter()
  compiled = jax.jit(critic_step_fn(task, args.batch_size)).lower(
      state, batch, jax.random.key(1)).compile()
  compile_s = time.perf_counter() - t0
  flops = _flops(compiled)

  state, metrics = compiled(state, batch, jax.random.key(1))  # warm-up
  jax.block_until_ready(metrics)
  times, cpu_times = [], []
  for i in range(args.steps):
    t0, c0 = time.perf_counter(), time.process_time()
    state, metrics = compiled(state, batch, jax.random.key(2 + i))
    jax.block_until_ready(metrics)
    times.append(time.perf_counter() - t0)
    cpu_times.append(time.process_time() - c0)
  median = statistics.median(times)
  load_after = os.getloadavg()

  dev = jax.devices()[0]
  git = rundir.git_commit()
  g_count = sum(int(np.prod(v.shape)) for v in jax.tree_util.tree_leaves(
      state["generator"]["params"]))
  d_count = sum(int(np.prod(v.shape)) for v in jax.tree_util.tree_leaves(state["critic"]))
  name = "AC-GAN " if args.conditional else ""
  text = (
      f"## {name}WGAN-GP critic step, B.3 ResNets, batch {args.batch_size}, "
      f"{dev.platform.upper()} ({dev.device_kind})\n\n"
      f"| quantity | value |\n|---|---|\n"
      f"| time per critic step (median of {args.steps}, after warm-up) | {median:.3f} s |\n"
      f"| all timed steps | {', '.join(f'{t:.3f}' for t in times)} s |\n"
      f"| CPU time per step, all threads (median; less sensitive to other users' load) | "
      f"{statistics.median(cpu_times):.3f} s |\n"
      f"| FLOPs per step (XLA cost analysis) | {flops / 1e9:.1f} GFLOP |\n"
      f"| achieved throughput | {flops / median / 1e9:.1f} GFLOP/s |\n"
      f"| compile time | {compile_s:.1f} s |\n"
      f"| parameters (generator / critic) | {g_count:,} / {d_count:,} |\n"
      f"| critic loss after the timed steps | {float(metrics['critic_loss']):.4f} |\n\n"
      f"The step: generator forward (train-mode batch norm) on {args.batch_size} latents, critic on "
      f"real and fake, gradient penalty on interpolates (double backward), one Adam update.\n\n"
      f"- command: `{shlex.join([sys.executable.split('/')[-1]] + sys.argv)}`\n"
      f"- commit: {(git['commit'] or 'unknown')[:12]}{' (dirty tree)' if git['dirty'] else ''}\n"
      f"- jax {jax.__version__}, jaxlib {jaxlib.__version__}, devices: {jax.device_count()} x {dev.device_kind} ({dev.platform})\n"
      f"- host: {_cpu_model()}, {os.cpu_count()} logical CPUs; load average "
      f"{load_before[0]:.1f} before / {load_after[0]:.1f} after (the machine is shared)\n")
  out = pathlib.Path(args.out)
  out.parent.mkdir(parents=True, exist_ok=True)
  header = "# Gradient-penalty step throughput\n\n"
  if args.append and out.exists():
    out.write_text(out.read_text().rstrip("\n") + "\n\n" + text)
  else:
    out.write_text(header + text)
  print(text)


if __name__ == "__main__":
  main()
