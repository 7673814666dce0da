"""The cached autoregressive samplers' speed-up over the naive ones, measured.

    gated_pixelcnn_speed(num_samples, size, layers, channels) -> dict
    hierarchical_speed(model_config, num_samples) -> dict
    job(config, workdir) -> dict          the `sampling_speed` job (gen_models/runs/jobs.py)

Weights are random (a sampler's cost does not depend on their values). Each sampler is one
jitted function (a `lax.fori_loop` over the positions), compiled ahead of time (compile time
reported apart); the cached sampler runs once before it is timed, the naive one (the slow one)
is timed on its first run. Both draw from the same key, so their samples must be identical; the
results say whether they were. Times are wall-clock seconds of one run.
"""

import time

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from gen_models import tasks
from gen_models.models import build_image_model, hierarchical_config, image_config
from gen_models.sampling import autoregressive as ar
from gen_models.training import optimizers

HIERARCHICAL_IMAGE_SHAPE = (32, 32, 3)  # the 32x32 colour model of Table 2.2 / Figure 2.6


def _compile(fn, *args):
  """(compiled fn, compile seconds) of a jitted `fn` at `args`."""
  start = time.perf_counter()
  compiled = fn.lower(*args).compile()
  return compiled, time.perf_counter() - start


def _timed(fn, *args):
  """(output as numpy, wall seconds) of one run of `fn`."""
  start = time.perf_counter()
  out = jax.block_until_ready(fn(*args))
  return np.asarray(out), time.perf_counter() - start


def compare(naive, cached, *args) -> dict:
  """Compiles and times two jitted samplers of the same draw at `args`: -> {naive_s, cached_s,
  naive_compile_s, cached_compile_s, speedup, identical, mean_value}."""
  naive, naive_compile = _compile(naive, *args)
  cached, cached_compile = _compile(cached, *args)
  jax.block_until_ready(cached(*args))  # warm-up run
  x_cached, cached_s = _timed(cached, *args)
  x_naive, naive_s = _timed(naive, *args)
  return dict(naive_s=naive_s, cached_s=cached_s, naive_compile_s=naive_compile,
              cached_compile_s=cached_compile, speedup=naive_s / cached_s,
              identical=bool(np.array_equal(x_naive, x_cached)),
              mean_value=float(np.mean(x_naive)))


def gated_pixelcnn_speed(num_samples: int, size: int, layers: int, channels: int) -> dict:
  """Naive (one full network pass per pixel) vs cached (vertical stack per row, horizontal stack
  per pixel) sampling of `num_samples` binary `size` x `size` images from a Gated PixelCNN with
  `layers` masked layers of `channels` channels; `compare`'s dict plus the sizes."""
  cfg = image_config("gated_pixelcnn", num_ar_layers=layers, channels=channels)
  model = build_image_model(cfg)
  shape = (num_samples, size, size, 1)
  params = model.init(jax.random.key(0), jnp.zeros((1,) + shape[1:]))["params"]

  def apply_fn(p):
    return lambda x: model.apply({"params": p}, x)

  naive = jax.jit(lambda p, k: ar.sample_naive(apply_fn(p), k, shape))
  cached = jax.jit(lambda p, k: ar.sample_cached(model, p, k, shape))
  out = compare(naive, cached, params, jax.random.key(1))
  return dict(out, num_samples=num_samples, size=size, layers=layers, channels=channels)


class _RandomImages:
  """A stand-in data source: only the image shape matters to the samplers."""
  data_shape = HIERARCHICAL_IMAGE_SHAPE

  def batches(self, first, count):
    rng = np.random.default_rng(first)
    x = rng.integers(0, 256, (count, 4) + self.data_shape) / 127.5 - 1
    return {"x": x.astype(np.float32)}


def hierarchical_task(model_config):
  """The hierarchical PixelVAE task of `model_config` (models.hierarchical_config's fields) on
  32x32x3 images; only its model and samplers are used."""
  config = ml_collections.ConfigDict(dict(
      task="likelihood", model=hierarchical_config(**dict(model_config)),
      objective=dict(name="negative_elbo", kl_warmup_steps=0),
      optimizer=optimizers.optimizer_config("adam"), train=dict(num_steps=1),
      eval=dict(evaluators=())))
  return tasks.build_task(config, _RandomImages())


def hierarchical_speed(model_config, num_samples: int) -> dict:
  """Naive vs cached top-down sampling (z2 ~ N(0, I), z1 position by position, x sub-pixel by
  sub-pixel) of `num_samples` 32x32x3 images from a hierarchical PixelVAE of `model_config`;
  `compare`'s dict plus the sizes."""
  task = hierarchical_task(model_config)
  state = jax.jit(task.init)(jax.random.key(0), _RandomImages().batches(0, 1))
  variables = task.variables(state)
  keys = tuple(jax.random.split(jax.random.key(1), 3))
  naive = jax.jit(lambda v, k: task.sample_levels(v, k, num_samples, False))
  cached = jax.jit(lambda v, k: task.sample_levels(v, k, num_samples, True))
  out = compare(naive, cached, variables, keys)
  m = task.config.model
  return dict(out, num_samples=num_samples, z1_channels=m.z1_channels,
              latent_layers=m.latent_layers, latent_channels=m.latent_channels,
              pixel_layers=m.pixel_layers, pixel_channels=m.pixel_channels)


def job(config, workdir) -> dict:
  """The `sampling_speed` job: config.job.{num_samples, size, layers, channels} size the Gated
  PixelCNN; with config.job.hierarchical, also the hierarchical PixelVAE of
  config.job.hierarchical_model with config.job.hierarchical_samples samples.
  -> {"gated_pixelcnn": {...}, "hierarchical": {...}, "device": ...} (results.json)."""
  del workdir  # the numbers are the whole result
  j = config.job
  results = {"gated_pixelcnn": gated_pixelcnn_speed(j.num_samples, j.size, j.layers,
                                                    j.channels)}
  if j.hierarchical:
    results["hierarchical"] = hierarchical_speed(j.hierarchical_model, j.hierarchical_samples)
  device = jax.devices()[0]
  results["device"] = f"{device.platform} ({device.device_kind})"
  return results
