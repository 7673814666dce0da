"""Our jitted train steps against eager PyTorch twins of the same models, side by side.

  python benchmarks/vs_pytorch.py [--steps critic,generator,gated_pixelcnn,pixelcnnpp]
      [--rounds critic=4,generator=4,gated_pixelcnn=4,pixelcnnpp=2] [--cores 0,1]
      [--out results/vs_pytorch.md]

Steps (same architecture, batch, loss and optimizer on both sides; benchmarks/torch_models.py):
  critic          appendix B.3 WGAN-GP critic step with the gradient penalty, batch 64
  generator       appendix B.3 WGAN-GP generator step, batch 64
  gated_pixelcnn  Table 2.1's gated PixelCNN on binarized MNIST (experiments/gated_pixelcnn_mnist.py),
                  batch 100
  pixelcnnpp      the colour PixelCNN of Table 4.2 (experiments/ood_cifar10.py:pixelcnnpp, 12 gated
                  layers of 128 channels, 10-component discretized logistic mixture), batch 64

One JAX worker process and one PyTorch worker process, pinned to the same cores, with as many
threads as cores (torch.set_num_threads; XLA:CPU sizes its pool by the affinity mask). For each
step both sides build the model and run it once untimed (JAX compiles), then they alternate one
timed step at a time (JAX, torch, torch, JAX, ...) for the given rounds, never both at once.
Reported: median time per step, XLA's FLOP count for our compiled step (cost analysis; the
same count is used for both sides' GFLOP/s), the ratio, parameter counts of both.
"""

import argparse
import importlib.util
import os
import pathlib
import platform
import shlex
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # runnable from a checkout
from gen_models import xla_setup  # noqa: E402

xla_setup.apply_cpu_fast_path()  # before jax starts

import _interleave  # noqa: E402  (benchmarks/_interleave.py)

STEPS = {
    "critic": ("B.3 WGAN-GP critic step (gradient penalty)", 64, 4),
    "generator": ("B.3 WGAN-GP generator step", 64, 4),
    "gated_pixelcnn": ("Gated PixelCNN, binarized MNIST (Table 2.1)", 100, 4),
    "pixelcnnpp": ("Colour PixelCNN (ood_cifar10:pixelcnnpp), CIFAR-10", 64, 2),
}


def _experiment_config(name, arg=""):
  spec = importlib.util.spec_from_file_location(name, REPO / "experiments" / f"{name}.py")
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module.get_config(arg)


# ---- the JAX side ------------------------------------------------------------------------------


class _Shape:
  def __init__(self, shape):
    self.data_shape = shape


def _jax_worker(args):
  cores = _interleave.pin(_interleave.parse_cores(args.cores))
  import jax
  import jaxlib
  import numpy as np
  import optax

  import gp_step_throughput as gp  # benchmarks/gp_step_throughput.py: the critic step
  from gen_models import tasks

  held = {}

  def count(tree):
    return int(sum(np.prod(v.shape) for v in jax.tree_util.tree_leaves(tree)))

  def build(name):
    if name in ("critic", "generator"):
      bargs = argparse.Namespace(batch_size=64, width=128, conditional=False)
      task, _, state, batch = gp._setup(bargs)
      if name == "critic":
        fn = gp.critic_step_fn(task, 64)
        inputs = lambda i: (batch, jax.random.key(2 + i))  # noqa: E731
        loss = lambda m: m["critic_loss"]  # noqa: E731
      else:
        fn = _generator_step_fn(task, 64, jax, optax)
        inputs = lambda i: (jax.random.key(2 + i),)  # noqa: E731
        loss = lambda m: m  # noqa: E731
      params = {"generator": count(state["generator"]["params"]),
                "critic": count(state["critic"])}
      return fn, state, inputs, loss, params
    if name == "gated_pixelcnn":
      config, shape = _experiment_config("gated_pixelcnn_mnist"), (28, 28, 1)
      x = (np.random.default_rng(0).random((1, config.data.batch_size) + shape) < 0.5)
    else:
      config, shape = _experiment_config("ood_cifar10", "pixelcnnpp"), (32, 32, 3)
      levels = np.random.default_rng(0).integers(0, 256, (1, config.data.batch_size) + shape)
      x = levels / 127.5 - 1.0
    task = tasks.build_task(config, _Shape(shape))
    batch = {"x": x.astype(np.float32)}
    state = jax.jit(task.init)(jax.random.key(0), batch)
    inputs = lambda i: (batch, jax.random.key(2 + i))  # noqa: E731
    return task.train_step, state, inputs, (lambda m: m["loss"]), {"model": count(
        state["params"])}

  def setup(name):
    fn, state, inputs, loss, params = build(name)
    t0 = time.perf_counter()
    compiled = jax.jit(fn).lower(state, *inputs(0)).compile()
    compile_s = time.perf_counter() - t0
    state, metrics = compiled(state, *inputs(0))  # warm-up
    jax.block_until_ready(metrics)
    held[name] = dict(compiled=compiled, state=state, inputs=inputs, loss=loss)
    return {"compile_s": compile_s, "flops": gp._flops(compiled), "params": params,
            "loss": float(loss(metrics)), "cores": cores, "jax": jax.__version__,
            "jaxlib": jaxlib.__version__, "xla_flags": os.environ.get("XLA_FLAGS", ""),
            "fast_path": xla_setup.fast_path_active()}

  def step(name, round):
    h = held[name]
    t0 = time.perf_counter()
    h["state"], metrics = h["compiled"](h["state"], *h["inputs"](100 + round))
    jax.block_until_ready(metrics)
    return {"wall": time.perf_counter() - t0, "loss": float(h["loss"](metrics))}

  _interleave.serve({"setup": setup, "step": step})


def _generator_step_fn(task, batch_size, jax, optax):
  """GANTask.train_step's generator update on its own: fakes in train mode (batch statistics
  updated), -E[D(G(z))], gradients for the generator only, one Adam update."""

  def generator_step(state, key):
    gen_vars = state["generator"]

    def loss_fn(gen_params):
      fake, labels, stats = task.sample_fakes({**gen_vars, "params": gen_params}, key,
                                              batch_size)
      loss, _ = task.generator_loss(state["critic"], fake, labels)
      return loss, stats

    (loss, stats), grads = jax.value_and_grad(loss_fn, has_aux=True)(gen_vars["params"])
    updates, gen_opt = task.gen_tx.update(grads, state["generator_opt"], gen_vars["params"])
    new_gen = {**gen_vars, "params": optax.apply_updates(gen_vars["params"], updates),
               "batch_stats": stats}
    return {**state, "generator": new_gen, "generator_opt": gen_opt}, loss

  return generator_step


# ---- the PyTorch side --------------------------------------------------------------------------


def _torch_worker(args):
  cores = _interleave.pin(_interleave.parse_cores(args.cores))
  import torch

  import torch_models as tm  # benchmarks/torch_models.py

  torch.set_num_threads(max(1, len(cores)))
  torch.manual_seed(0)
  held = {}

  def build(name):
    if name in ("critic", "generator"):
      g, d = tm.ResNetGenerator(128, 128), tm.ResNetCritic(128)
      g.train(), d.train()
      if name == "critic":
        opt, schedule = tm.gan_optimizer(d.parameters(), 100_000 * 5)
        real = torch.rand(64, 3, 32, 32) * 2 - 1
        fn = lambda: tm.critic_step(g, d, opt, schedule, real)  # noqa: E731
      else:
        opt, schedule = tm.gan_optimizer(g.parameters(), 100_000)
        fn = lambda: tm.generator_step(g, d, opt, schedule, 64)  # noqa: E731
      return fn, {"generator": tm.num_params(g), "critic": tm.num_params(d)}
    if name == "gated_pixelcnn":
      model = tm.GatedPixelCNN(1, 12, 32, 7, 5, out_channels=1)
      x = (torch.rand(100, 1, 28, 28) < 0.5).float()
      log_lik = tm.bernoulli_log_likelihood
    else:
      model = tm.GatedPixelCNN(3, 12, 128, 7, 5, out_channels=tm.mixture_num_params(3, 10))
      x = torch.randint(0, 256, (64, 3, 32, 32)).float() / 127.5 - 1.0
      log_lik = lambda p, v: tm.logistic_mixture_log_likelihood(p, v, 10)  # noqa: E731
    opt = tm.likelihood_optimizer(model.parameters())
    return (lambda: tm.likelihood_step(model, opt, x, log_lik)[0]), {"model": tm.num_params(model)}

  def setup(name):
    fn, params = build(name)
    t0 = time.perf_counter()
    loss = float(fn())  # warm-up
    held[name] = fn
    return {"first_step_s": time.perf_counter() - t0, "params": params, "loss": loss,
            "cores": cores, "torch": torch.__version__, "threads": torch.get_num_threads(),
            "mkldnn": torch.backends.mkldnn.is_available()}

  def step(name, round):
    del round
    t0 = time.perf_counter()
    loss = float(held[name]())
    return {"wall": time.perf_counter() - t0, "loss": loss}

  _interleave.serve({"setup": setup, "step": step})


# ---- the parent --------------------------------------------------------------------------------


def _rounds(text):
  rounds = {name: default for name, (_, _, default) in STEPS.items()}
  for part in filter(None, (text or "").split(",")):
    name, _, n = part.partition("=")
    rounds[name] = int(n)
  return rounds


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--steps", default=",".join(STEPS))
  parser.add_argument("--rounds", default="", help="e.g. critic=4,pixelcnnpp=3")
  parser.add_argument("--cores", default="", help="cores both workers use (default: all ours)")
  parser.add_argument("--warmup", type=int, default=1,
                      help="untimed steps per side before timing (PyTorch/oneDNN caches too)")
  parser.add_argument("--out", default=str(REPO / "results" / "vs_pytorch.md"))
  parser.add_argument("--worker", choices=("jax", "torch"), help=argparse.SUPPRESS)
  args = parser.parse_args()
  if args.worker == "jax":
    return _jax_worker(args)
  if args.worker == "torch":
    return _torch_worker(args)

  if importlib.util.find_spec("torch") is None:
    raise SystemExit("error: benchmarks/vs_pytorch.py needs PyTorch for its eager twins: "
                     "pip install -e '.[bench]' (never needed for training)")
  names = [n for n in args.steps.split(",") if n]
  unknown = [n for n in names if n not in STEPS]
  if unknown:
    raise SystemExit(f"unknown steps {unknown}; known: {list(STEPS)}")
  rounds = _rounds(args.rounds)
  argv = [sys.executable, str(pathlib.Path(__file__).resolve()), f"--cores={args.cores}"]
  env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}  # XLA_FLAGS: the fast path, as applied above
  load_before = os.getloadavg()
  workers, rows = {}, []
  try:
    workers["jax"] = _interleave.Worker("jax", argv + ["--worker=jax"], env, cwd=REPO)
    workers["torch"] = _interleave.Worker("torch", argv + ["--worker=torch"], env, cwd=REPO)
    for name in names:
      info = {side: w.request(op="setup", name=name) for side, w in workers.items()}
      for _ in range(args.warmup - 1):  # setup ran the first untimed step
        for w in workers.values():
          w.request(op="step", name=name, round=-1)
      print(f"{name}: params jax {info['jax']['params']} torch {info['torch']['params']}; "
            f"first loss jax {info['jax']['loss']:.4f} torch {info['torch']['loss']:.4f}",
            flush=True)
      times = {"jax": [], "torch": []}
      losses = {"jax": [], "torch": []}
      for r in range(rounds[name]):
        for side in (("jax", "torch") if r % 2 == 0 else ("torch", "jax")):
          reply = workers[side].request(op="step", name=name, round=r)
          times[side].append(reply["wall"])
          losses[side].append(reply["loss"])
          print(f"  round {r} {side}: {reply['wall']:.3f} s (loss {reply['loss']:.4f})",
                flush=True)
      rows.append((name, info, times, losses, _interleave.summary(times["torch"], times["jax"])))
  finally:
    for w in workers.values():
      w.close()
  load_after = os.getloadavg()
  text = _report(rows, rounds, load_before, load_after, args.warmup)
  pathlib.Path(args.out).parent.mkdir(parents=True, exist_ok=True)
  pathlib.Path(args.out).write_text(text)
  print(text)


def _fmt_params(p):
  return " + ".join(f"{v:,}" for v in p.values()) if len(p) > 1 else f"{list(p.values())[0]:,}"


def _report(rows, rounds, load_before, load_after, warmup=1) -> str:
  jax_info = rows[0][1]["jax"]
  torch_info = rows[0][1]["torch"]
  lines = [
      "# Our jitted train steps against eager PyTorch twins\n",
      "Same architecture, batch, loss and optimizer on both sides (PyTorch twins: "
      "`benchmarks/torch_models.py`), one JAX worker and one PyTorch worker pinned to the same "
      f"cores ({jax_info['cores']}) with as many threads as cores, timed alternately one step "
      f"at a time (JAX, torch, torch, JAX, ...), never both at once, after {warmup} untimed "
      f"step(s) each. GFLOP/s of both sides use XLA's FLOP count of our compiled step. Speed-up = "
      "median torch time / median JAX time.\n",
      "| step | batch | parameters (ours / torch) | rounds | JAX median | PyTorch median | "
      "GFLOP per step | JAX GFLOP/s | PyTorch GFLOP/s | speed-up (median of per-round) | "
      ">= 1.5x? |",
      "|---|---|---|---|---|---|---|---|---|---|---|"]
  failing = []
  for name, info, times, losses, s in rows:
    title, batch, _ = STEPS[name]
    flops = info["jax"]["flops"]
    ok = s["ratio"] >= 1.5
    if not ok:
      failing.append(name)
    same = info["jax"]["params"] == info["torch"]["params"]
    lines.append(
        f"| {title} | {batch} | {_fmt_params(info['jax']['params'])} / "
        f"{_fmt_params(info['torch']['params'])}{'' if same else ' **MISMATCH**'} | "
        f"{len(times['jax'])} | {s['median_b']:.3f} s | {s['median_a']:.3f} s | "
        f"{flops / 1e9:.1f} | {flops / s['median_b'] / 1e9:.1f} | "
        f"{flops / s['median_a'] / 1e9:.1f} | **{s['ratio']:.2f}x** "
        f"({s['ratio_per_round']:.2f}x) | {'yes' if ok else 'NO'} |")
  lines.append("")
  lines.append("All timed steps (seconds, in order):\n")
  for name, info, times, losses, s in rows:
    lines.append(f"- {name}: JAX {', '.join(f'{t:.3f}' for t in times['jax'])}; PyTorch "
                 f"{', '.join(f'{t:.3f}' for t in times['torch'])}. Loss after the untimed "
                 f"step: JAX {info['jax']['loss']:.4f}, PyTorch {info['torch']['loss']:.4f} "
                 f"(different random initializations and draws; same scale expected). JAX "
                 f"compile {info['jax']['compile_s']:.1f} s; PyTorch first step "
                 f"{info['torch']['first_step_s']:.2f} s.")
  lines.append("")
  if failing:
    lines.append(f"Below the 1.5x acceptance bar: {', '.join(failing)} (see the notes below).\n")
  else:
    lines.append("Every step meets the 1.5x acceptance bar.\n")
  lines += [
      f"- command: `{shlex.join([sys.executable.split('/')[-1]] + sys.argv)}`",
      f"- commit: {_interleave.git_commit(REPO)}",
      f"- jax {jax_info['jax']}, jaxlib {jax_info['jaxlib']}, XLA_FLAGS "
      f"`{jax_info['xla_flags'] or '(empty)'}` (CPU fast path "
      f"{'on' if jax_info['fast_path'] else 'off'}); torch {torch_info['torch']} "
      f"({torch_info['threads']} threads, oneDNN {'available' if torch_info['mkldnn'] else 'absent'})",
      f"- host: {_interleave.cpu_model()}, {os.cpu_count()} logical CPUs, {platform.node()}, "
      f"python {platform.python_version()}; load average {load_before[0]:.1f} before / "
      f"{load_after[0]:.1f} after (the machine is shared)",
      f"- rounds: {', '.join(f'{k}={v}' for k, v in rounds.items())}", ""]
  return "\n".join(lines)


if __name__ == "__main__":
  main()
