"""Throughput of one WGAN-GP critic step for the appendix B.3 CIFAR-10 ResNets.

One critic step = sample a batch of fakes from the generator (train-mode batch norm), score
real and fake, the gradient penalty on interpolates (a gradient of a gradient), and one Adam
update: exactly the body GANTask scans n_critic times. Reports the median wall time per step
after warm-up, XLA's FLOP count for the compiled step (cost analysis), and achieved GFLOP/s,
and writes a markdown section with provenance.

  nice -n 10 python benchmarks/gp_step_throughput.py [--batch-size 64] [--steps 3]
      [--out results/throughput.md] [--append]

With --compare-fast-path it times the same step without and with the CPU fast path
(gen_models/xla_setup.py: convolutions on XLA's Eigen kernels instead of YNNPACK) in two worker
processes pinned to the same cores, alternately (A B, B A, ...) for --rounds rounds, and writes
the medians, their ratio and the loss agreement:

  python benchmarks/gp_step_throughput.py --compare-fast-path [--rounds 6] [--cores 0,1]
      [--before=DIR]

--before=DIR adds a third side: the same step in another checkout (e.g. `git worktree add DIR
COMMIT`, the code before a change), on its default path, so that a change to the model code and
the flag are timed in the same interleaved run.
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
from gen_models import xla_setup  # noqa: E402

xla_setup.apply_cpu_fast_path()  # before jax starts (a worker's env decides for itself)

import _interleave  # noqa: E402  (benchmarks/_interleave.py)
import jax  # noqa: E402
import jaxlib  # noqa: E402
import numpy as np  # noqa: E402

from gen_models import tasks  # noqa: E402
from gen_models.presets import gan_cifar  # noqa: E402
from gen_models.training import rundir  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[1]


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


_cpu_model = _interleave.cpu_model


def _setup(args):
  config = gan_cifar.gan_cifar_config(conditional=args.conditional)
  config.data.batch_size = args.batch_size
  config.model.generator.width = config.model.critic.width = args.width
  config.eval.offline_score = False  # the sample scorers play no part in the step
  source = RandomImages(args.batch_size)
  task = tasks.build_task(config, source)
  state = jax.jit(task.init)(jax.random.key(0), source.batches(0, 1))
  batch = jax.tree_util.tree_map(lambda v: v[:1], source.batches(1, 1))
  return task, source, state, batch


def _worker(args):
  """One side of --compare-fast-path: its XLA_FLAGS came with its environment."""
  _interleave.pin(_interleave.parse_cores(args.cores))
  held = {}

  def setup():
    task, _, state, batch = _setup(args)
    t0 = time.perf_counter()
    compiled = jax.jit(critic_step_fn(task, args.batch_size)).lower(
        state, batch, jax.random.key(1)).compile()
    compile_s = time.perf_counter() - t0
    state, metrics = compiled(state, batch, jax.random.key(1))  # warm-up
    jax.block_until_ready(metrics)
    held.update(compiled=compiled, state=state, batch=batch)
    return {"compile_s": compile_s, "flops": _flops(compiled),
            "xla_flags": os.environ.get("XLA_FLAGS", ""),
            "fast_path": xla_setup.fast_path_active(),
            "cores": sorted(os.sched_getaffinity(0)), "jax": jax.__version__,
            "jaxlib": jaxlib.__version__, "warmup_loss": float(metrics["critic_loss"])}

  def step(round):
    t0, c0 = time.perf_counter(), time.process_time()
    held["state"], metrics = held["compiled"](held["state"], held["batch"],
                                              jax.random.key(2 + round))
    jax.block_until_ready(metrics)
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
            "loss": float(metrics["critic_loss"])}

  _interleave.serve({"setup": setup, "step": step})


def _sides(args, base: str):
  """-> {name: (argv, XLA_FLAGS, cwd, description)}: the default path and the fast path of this
  checkout, and with --before the default path of another checkout (the code before a change;
  its own copy of this script imports its own gen_models)."""
  def argv(repo):
    script = pathlib.Path(repo) / "benchmarks" / "gp_step_throughput.py"
    flags = [f"--batch-size={args.batch_size}", f"--width={args.width}", f"--cores={args.cores}"]
    return [sys.executable, str(script), "--worker", *flags] + (
        ["--conditional"] if args.conditional else [])
  fast = f"{base} {xla_setup.FAST_PATH_FLAG}".strip()
  sides = {}
  if args.before:
    before = pathlib.Path(args.before).resolve()
    if not (before / "benchmarks" / "gp_step_throughput.py").is_file():
      raise SystemExit(f"--before={args.before} is not a checkout of this project "
                       f"(no benchmarks/gp_step_throughput.py); make one with "
                       f"`git worktree add DIR COMMIT`")
    sides["before"] = (argv(before), base, before,
                       f"commit {_interleave.git_commit(before)} ({before}), default XLA:CPU")
  sides["default"] = (argv(REPO), base, REPO, "this checkout, default XLA:CPU (every "
                      "convolution on YNNPACK)")
  sides["fast path"] = (argv(REPO), fast, REPO, f"this checkout, the CPU fast path "
                        f"(`{xla_setup.FAST_PATH_FLAG}`: convolutions on XLA's Eigen kernels, "
                        f"dots still on YNNPACK)")
  return sides


def _compare_fast_path(args):
  """Default path (A) against the fast path (B), and with --before the code of another
  checkout, interleaved; writes args.out."""
  base = " ".join(t for t in shlex.split(os.environ.get("XLA_FLAGS", ""))
                  if xla_setup.FLAG_NAME not in t)
  common = {**os.environ, xla_setup.OPT_OUT_ENV: "0", "TF_CPP_MIN_LOG_LEVEL": "2"}
  supported, how = xla_setup.flag_supported()
  if not supported:
    raise SystemExit(f"this jaxlib does not take {xla_setup.FAST_PATH_FLAG}: {how}")
  sides = _sides(args, base)
  load_before = os.getloadavg()
  workers = {}
  try:
    for name, (argv, flags, cwd, _) in sides.items():
      workers[name] = _interleave.Worker(name, argv, {**common, "XLA_FLAGS": flags}, cwd=cwd)
    info = {}
    for name, w in workers.items():  # one compile at a time
      info[name] = w.request(op="setup")
      print(f"{name}: compiled in {info[name]['compile_s']:.1f} s, XLA_FLAGS="
            f"{info[name]['xla_flags']!r}", flush=True)
    replies = {n: [] for n in workers}
    for r in range(args.rounds):
      for n in (list(workers) if r % 2 == 0 else list(workers)[::-1]):
        replies[n].append(workers[n].request(op="step", round=r))
        print(f"round {r} {n}: {replies[n][-1]['wall']:.3f} s", flush=True)
  finally:
    for w in workers.values():
      w.close()
  load_after = os.getloadavg()
  text = _comparison_text(args, sides, info, replies, load_before, load_after)
  _write(args, text)
  print(text)


def _comparison_text(args, sides, info, replies, load_before, load_after) -> str:
  names = list(sides)
  wall = {n: [x["wall"] for x in v] for n, v in replies.items()}
  cpu = {n: [x["cpu"] for x in v] for n, v in replies.items()}
  losses = {n: [x["loss"] for x in v] for n, v in replies.items()}
  med = {n: statistics.median(wall[n]) for n in names}
  # Throughput counts the FLOPs of the first side's step (the step as written before a change)
  # for every side, so that it is proportional to steps per second.
  flops = info[names[0]]["flops"]
  d = info["default"]
  letters = dict(zip(names, "ABC"))
  row = lambda label, fn: f"| {label} | " + " | ".join(fn(n) for n in names) + " |\n"  # noqa: E731
  name = "AC-GAN " if args.conditional else ""
  text = (
      f"## {name}WGAN-GP critic step, B.3 ResNets (width {args.width}), batch {args.batch_size}: "
      f"{' against '.join(names)}, interleaved\n\n"
      f"{len(names)} worker processes pinned to the same cores ({d['cores']}): "
      + "; ".join(f"{letters[n]} ({n}): {sides[n][3]}" for n in names) +
      f". Each compiles the step and runs it once untimed; then {args.rounds} rounds of one "
      f"timed step each, in alternating order ({' '.join(letters.values())}, "
      f"{' '.join(reversed(letters.values()))}, ...), never two at once. Same initial state, "
      f"batch and keys on every side.\n\n"
      + row("quantity", lambda n: f"{letters[n]}: {n}")
      + "|---|" + "---|" * len(names) + "\n"
      + row("median wall time per critic step", lambda n: f"{med[n]:.3f} s")
      + row("all timed steps, in order", lambda n: ", ".join(f"{t:.2f}" for t in wall[n]) + " s")
      + row("median CPU time per step, all threads",
            lambda n: f"{statistics.median(cpu[n]):.3f} s")
      + row("XLA's FLOP count of the compiled step",
            lambda n: f"{info[n]['flops'] / 1e9:.1f} GFLOP")
      + row(f"throughput at A's {flops / 1e9:.1f} GFLOP per step",
            lambda n: f"{flops / med[n] / 1e9:.1f} GFLOP/s")
      + row("compile time", lambda n: f"{info[n]['compile_s']:.1f} s")
      + row("critic loss after the last step", lambda n: f"{losses[n][-1]:.6f}")
      + "\n")
  pairs = [("default", "fast path", "Speed-up of the fast path (the flag alone)")]
  if "before" in sides:
    pairs.append(("before", "fast path", "Speed-up of this checkout's fast path over the "
                  "code before"))
    pairs.append(("before", "default", "Speed-up of this checkout's default path over the "
                  "code before"))
  for a, b, label in pairs:
    sw, sc = _interleave.summary(wall[a], wall[b]), _interleave.summary(cpu[a], cpu[b])
    rel = max(abs(x - y) / max(abs(x), 1e-12) for x, y in zip(losses[a], losses[b]))
    text += (f"- **{label}: {sw['ratio']:.2f}x** ({letters[a]} / {letters[b]}, ratio of median "
             f"wall times; median of the per-round ratios {sw['ratio_per_round']:.2f}x; CPU "
             f"time {sc['ratio']:.2f}x); the 1.4x bar: "
             f"{'met' if sw['ratio'] >= 1.4 else 'NOT met'}. Largest relative difference of "
             f"the critic loss over the {args.rounds} steps: {rel:.1e}.\n")
  text += (
      f"\n- command: `{shlex.join([sys.executable.split('/')[-1]] + sys.argv)}`\n"
      f"- commit: {_interleave.git_commit(REPO)}\n"
      f"- jax {d['jax']}, jaxlib {d['jaxlib']}; XLA_FLAGS: "
      + ", ".join(f"{letters[n]} `{info[n]['xla_flags'] or '(empty)'}`" for n in names) + "\n"
      f"- host: {_cpu_model()}, {os.cpu_count()} logical CPUs, {platform.node()}; load average "
      f"{load_before[0]:.1f} before / {load_after[0]:.1f} after (the machine is shared)\n")
  return text


def _write(args, text):
  out = pathlib.Path(args.out)
  out.parent.mkdir(parents=True, exist_ok=True)
  header = "# Gradient-penalty step throughput\n\n"
  if args.append and out.exists():
    out.write_text(out.read_text().rstrip("\n") + "\n\n" + text)
  else:
    out.write_text(header + text)


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--batch-size", type=int, default=64)
  parser.add_argument("--steps", type=int, default=3, help="timed steps after one warm-up")
  parser.add_argument("--conditional", action="store_true", help="AC-GAN variant")
  parser.add_argument("--out", default="results/throughput.md")
  parser.add_argument("--append", action="store_true", help="add a section to --out")
  parser.add_argument("--width", type=int, default=128, help="both networks' width (B.3: 128)")
  parser.add_argument("--compare-fast-path", action="store_true",
                      help="time the step without and with the CPU fast path, interleaved")
  parser.add_argument("--rounds", type=int, default=6, help="interleaved rounds (A and B each)")
  parser.add_argument("--cores", default="", help="cores both workers are pinned to, e.g. 0,1 "
                      "(default: all this process may use)")
  parser.add_argument("--before", default="", help="with --compare-fast-path: a checkout of "
                      "the code before a change (git worktree add DIR COMMIT), timed as a third "
                      "side on its default path")
  parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
  args = parser.parse_args()
  if args.worker:
    return _worker(args)
  if args.compare_fast_path:
    return _compare_fast_path(args)

  task, source, state, batch = _setup(args)
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
      f"{load_before[0]:.1f} before / {load_after[0]:.1f} after (the machine is shared)\n"
      f"- XLA_FLAGS: `{os.environ.get('XLA_FLAGS', '') or '(empty)'}` (CPU fast path "
      f"{'on' if xla_setup.fast_path_active() else 'off'})\n")
  _write(args, text)
  print(text)


if __name__ == "__main__":
  main()
