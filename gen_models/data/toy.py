"""The 2-D toy distributions of the WGAN-GP paper, sampled on the fly from a PRNG key.

All three are scaled to roughly unit spread, as in the paper's toy experiments:
- 8gaussians: 8 modes on a circle of radius 2, std 0.02, whole set divided by 1.414;
- 25gaussians: a 5x5 grid of modes at spacing 2, std 0.05, divided by 2.828;
- swissroll: the 2-D swiss roll (t cos t, t sin t), t ~ 1.5pi(1 + 2u), noise 0.25, divided by 7.5.
"""

import dataclasses
from typing import Optional

import jax
import jax.numpy as jnp
import numpy as np

TOY_DATASETS = ("8gaussians", "25gaussians", "swissroll")


@dataclasses.dataclass(frozen=True)
class MixtureSpec:
  centers: np.ndarray  # [K, 2], in the scaled space
  std: float  # per-coordinate std of each mode, in the scaled space


def mixture_spec(name: str) -> Optional[MixtureSpec]:
  """Mode centres and std of a Gaussian-mixture toy set; None for swissroll."""
  if name == "8gaussians":
    s = 1.0 / np.sqrt(2.0)
    unit = np.array([(1, 0), (-1, 0), (0, 1), (0, -1), (s, s), (s, -s), (-s, s), (-s, -s)])
    return MixtureSpec(centers=unit * 2.0 / 1.414, std=0.02 / 1.414)
  if name == "25gaussians":
    grid = np.array([(x, y) for x in range(-2, 3) for y in range(-2, 3)], dtype=np.float64)
    return MixtureSpec(centers=grid * 2.0 / 2.828, std=0.05 / 2.828)
  if name == "swissroll":
    return None
  raise ValueError(f"unknown toy dataset {name!r}; expected one of {TOY_DATASETS}")


def sample(name: str, key: jax.Array, n: int) -> jax.Array:
  """Draws `n` points of toy set `name`. Returns [n, 2] float32."""
  spec = mixture_spec(name)
  k_mode, k_noise = jax.random.split(key)
  if spec is not None:
    centers = jnp.asarray(spec.centers, jnp.float32)
    idx = jax.random.randint(k_mode, (n,), 0, centers.shape[0])
    return centers[idx] + spec.std * jax.random.normal(k_noise, (n, 2))
  u = jax.random.uniform(k_mode, (n,))
  t = 1.5 * jnp.pi * (1.0 + 2.0 * u)
  roll = jnp.stack([t * jnp.cos(t), t * jnp.sin(t)], axis=-1)
  return (roll + 0.25 * jax.random.normal(k_noise, (n, 2))) / 7.5


class ToySource:
  """A data source whose batch `i` is a pure function of (seed, i): resume needs no state."""

  def __init__(self, name: str, batch_size: int, seed: int):
    mixture_spec(name)  # validates the name
    self.name = name
    self.batch_size = batch_size
    self.data_shape = (2,)
    self._key = jax.random.fold_in(jax.random.key(seed), 0x7A7A)
    self._stacked = jax.jit(self._sample_stacked, static_argnums=(1,))

  def _sample_stacked(self, first_index, count):
    keys = jax.vmap(lambda i: jax.random.fold_in(self._key, i))(first_index + jnp.arange(count))
    return jax.vmap(lambda k: sample(self.name, k, self.batch_size))(keys)

  def batches(self, first_index: int, count: int) -> dict:
    """Batches first_index .. first_index+count-1, stacked: {'x': [count, B, 2]}."""
    return {"x": np.asarray(self._stacked(jnp.uint32(first_index), count))}

  def eval_samples(self, n: int, seed: int) -> np.ndarray:
    """Fresh data points for evaluation, disjoint in key from training batches. [n, 2]."""
    return np.asarray(sample(self.name, jax.random.fold_in(jax.random.key(seed), 0xE7A1), n))
