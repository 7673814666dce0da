"""The one trainer: jitted data-parallel steps, evaluation, logging, checkpoints, exact resume.

Exact resume rests on three facts: the step's PRNG key is `fold_in(train_key, step)`, batch `i`
of the data source is a pure function of (seed, i), and the whole state is checkpointed.
"""

import math
import pathlib
import sys
import tempfile
import time

import jax
import jax.numpy as jnp
import numpy as np
from PIL import Image
import tqdm

from gen_models.training import (checkpointing, console, distributed, mesh as mesh_lib,
                                 metrics as metrics_lib, rundir)


class NonFiniteLossError(FloatingPointError):
  pass


def _count_traces(fn, counter: list):
  def traced(*args):
    counter[0] += 1  # runs once per trace, i.e. once per compilation
    return fn(*args)
  return traced


def _kept_checkpoint(workdir, last_ckpt) -> str:
  """Where to go back to. Every checkpoint was checked finite before it was saved."""
  if not last_ckpt:
    return "no checkpoint was saved"
  return f"the last checkpoint (step {last_ckpt}) is kept in {pathlib.Path(workdir) / 'checkpoints'}"


def _check_finite(step: int, metrics: dict, workdir, last_ckpt):
  bad = [k for k, v in metrics.items() if np.ndim(v) == 0 and not math.isfinite(float(v))]
  if bad:
    raise NonFiniteLossError(f"non-finite {', '.join(bad)} at step {step}; training stopped; "
                             f"{_kept_checkpoint(workdir, last_ckpt)}")


@jax.jit
def _finite_flags(state, metrics):
  """-> (all float leaves of the state finite, {metric: finite} for the scalar metrics), reduced
  on device so that checking before each checkpoint costs no transfer of the state."""
  leaves = [x for x in jax.tree_util.tree_leaves(state)
            if jnp.issubdtype(x.dtype, jnp.inexact)]
  state_ok = jnp.all(jnp.stack([jnp.all(jnp.isfinite(x)) for x in leaves])) if leaves else True
  return state_ok, {k: jnp.all(jnp.isfinite(v)) for k, v in metrics.items()
                    if jnp.ndim(v) == 0 and jnp.issubdtype(jnp.result_type(v), jnp.inexact)}


def _check_savable(step: int, state, metrics: dict, workdir, last_ckpt):
  """A checkpoint must be one to go back to: a non-finite state is never saved."""
  state_ok, metrics_ok = jax.device_get(_finite_flags(state, metrics))
  bad = [k for k, ok in metrics_ok.items() if not ok] + ([] if state_ok else ["train state"])
  if bad:
    raise NonFiniteLossError(f"non-finite {', '.join(bad)} at step {step}; training stopped "
                             f"before checkpointing it; {_kept_checkpoint(workdir, last_ckpt)}")


def run_keys(seed: int):
  """-> (init, train, eval) keys of a run. Step s trains with fold_in(train, s) and evaluates
  with fold_in(eval, s), so a restored checkpoint can be evaluated with the same numbers."""
  return tuple(jax.random.split(jax.random.key(seed), 3))


def fit(task, source, config, workdir, evaluate) -> dict:
  """Trains `task` on `source` for `config.train.num_steps` steps, or until its training
  wall-clock reaches `config.train.time_budget_s` (0: no limit) if that comes first; returns the
  final results (`stopped_by`: "num_steps" or "time_budget").

  evaluate(state, rng, out_dir) -> results: the run's evaluators (runs/single.py builds them),
  called every `train.eval_every` steps and once at the end with out_dir = workdir.
  """
  workdir = pathlib.Path(workdir)
  tcfg = config.train
  budget = float(tcfg.time_budget_s)
  if budget and jax.process_count() > 1:  # each host's clock would stop it at another step
    raise ValueError("train.time_budget_s needs a single-process run; set train.num_steps")
  mesh = mesh_lib.data_mesh()
  mesh_lib.check_divisible(config.data.batch_size, mesh)
  repl, batch_sharding = mesh_lib.replicated(mesh), mesh_lib.stacked_batch_sharding(mesh)
  k = task.batches_per_step

  init_key, train_key, eval_key = run_keys(tcfg.seed)

  def get_batch(step):
    return mesh_lib.put_batch(source.batches(step * k, k), batch_sharding)

  state = jax.jit(task.init, out_shardings=repl)(init_key, get_batch(0))
  ckpt = checkpointing.Checkpointer(workdir / "checkpoints", tcfg.keep_checkpoints)
  start = ckpt.latest_step() or 0
  if start:
    try:
      state = ckpt.restore(start, state)
    except (ValueError, KeyError) as e:
      raise rundir.RunDirError(f"checkpoint {start} in {workdir} does not fit this config's "
                               f"state ({type(e).__name__}: {str(e)[:200]})") from None

  provenance = rundir.Provenance(workdir)
  primary = distributed.is_primary()  # several processes: process 0 writes the run directory
  writer = metrics_lib.MetricWriter(workdir, start) if primary else distributed.NullWriter()
  out_dir = workdir if primary else pathlib.Path(tempfile.mkdtemp(prefix="gen_models_eval_"))
  # Training wall-clock (steps, compilation, checkpoints; not evaluation), summed across resume
  # segments: wall-clock axes (Figure 3.3) then do not depend on where a run was interrupted.
  train_elapsed = rundir.logged_train_elapsed(workdir, start) if start else 0.0
  trace_count = [0]
  train_step = jax.jit(_count_traces(task.train_step, trace_count),
                       in_shardings=(repl, batch_sharding, repl), out_shardings=(repl, repl),
                       donate_argnums=(0,))
  step, last_ckpt = start, start
  examples_per_step = k * config.data.batch_size
  bar = tqdm.tqdm(total=tcfg.num_steps, initial=start, desc=workdir.name, file=sys.stderr,
                  disable=not (tcfg.progress_bar and primary), mininterval=2.0, dynamic_ncols=True)
  window_start, window_steps = time.perf_counter(), 0
  out_of_time = bool(budget) and train_elapsed >= budget
  try:
    while step < tcfg.num_steps and not out_of_time:
      state, step_metrics = train_step(state, get_batch(step),
                                       jax.random.fold_in(train_key, step))
      step += 1
      window_steps += 1
      bar.update(1)
      out_of_time = bool(budget) and train_elapsed + time.perf_counter() - window_start >= budget
      last = step == tcfg.num_steps or out_of_time
      if step % tcfg.log_every == 0 or last:
        train_metrics = jax.device_get(step_metrics)
        metrics = dict(train_metrics)
        elapsed = time.perf_counter() - window_start
        metrics["steps_per_s"] = window_steps / elapsed
        metrics["examples_per_s"] = window_steps * examples_per_step / elapsed
        metrics.update(task.throughput(window_steps / elapsed))
        train_elapsed += elapsed
        metrics["train_elapsed_s"] = train_elapsed
        _check_finite(step, metrics, workdir, last_ckpt)
        writer.write(step, metrics)
        bar.set_postfix({n: f"{float(v):.4g}" for n, v in list(metrics.items())[:3]},
                        refresh=False)
        eta = (tcfg.num_steps - step) * elapsed / window_steps
        if budget:
          eta = min(eta, max(0.0, budget - train_elapsed))
        console.emit(console.step_line(step, tcfg.num_steps, train_metrics,
                                       metrics["examples_per_s"], eta))
        window_start, window_steps = time.perf_counter(), 0
        provenance.update(step=step)
      if tcfg.eval_every and step % tcfg.eval_every == 0 and not last:
        train_elapsed += time.perf_counter() - window_start  # the window so far is training
        results = evaluate(state, jax.random.fold_in(eval_key, step), out_dir)
        writer.write(step, {**{f"eval/{n}": v for n, v in _scalars(results).items()},
                            "train_elapsed_s": train_elapsed})
        writer.write_images(step, _figures(workdir))
        window_start = time.perf_counter()  # evaluation time is not training throughput
      if step % tcfg.checkpoint_every == 0 or last:
        _check_savable(step, state, step_metrics, workdir, last_ckpt)
        ckpt.save(step, state)
        last_ckpt = step
    results = evaluate(state, jax.random.fold_in(eval_key, step), out_dir)
    writer.write(step, {**{f"eval/{n}": v for n, v in _scalars(results).items()},
                        "train_elapsed_s": train_elapsed})
    writer.write_images(step, _figures(workdir))
    results.update(step=step, train_step_compilations=trace_count[0],
                   stopped_by="num_steps" if step == tcfg.num_steps else "time_budget")
    rundir.write_json(workdir / "results.json", results)
    # Wall-clock stays out of results.json (metrics.jsonl has it): an exactly resumed run
    # gives the same file.
    provenance.update(step=step, train_step_compilations=trace_count[0], finished=True)
    return results
  finally:
    bar.close()
    writer.close()
    ckpt.close()


def _figures(workdir) -> dict:
  """{name: HxWxC uint8} of every PNG under workdir/figures/ (name: its path there, less
  .png), which the evaluators have just written: TensorBoard then shows them next to the
  curves, at the step they were drawn."""
  root = pathlib.Path(workdir) / "figures"
  images = {}
  for path in sorted(root.rglob("*.png")) if root.is_dir() else []:
    try:
      with Image.open(path) as image:
        alpha = "A" in image.getbands() or "transparency" in image.info
        images[path.relative_to(root).with_suffix("").as_posix()] = np.asarray(
            image.convert("RGBA" if alpha else "RGB"))
    except (OSError, ValueError):  # a figure that cannot be read is not worth a run
      continue
  return images


def _scalars(results: dict) -> dict:
  return {k: v for k, v in results.items()
          if isinstance(v, (int, float, np.floating, np.integer)) and not isinstance(v, bool)}
