"""Toy samplers and the indexable toy source."""

import jax
import numpy as np
import pytest

from gen_models.data import toy


@pytest.mark.parametrize("name", toy.TOY_DATASETS)
def test_shapes_and_determinism(name):
  a = toy.sample(name, jax.random.key(0), 100)
  assert a.shape == (100, 2) and a.dtype == np.float32
  np.testing.assert_array_equal(a, toy.sample(name, jax.random.key(0), 100))


def test_swissroll_radius():
  radius = np.linalg.norm(np.asarray(toy.sample("swissroll", jax.random.key(0), 5000)), axis=1)
  # t in [1.5 pi, 4.5 pi] scaled by 1/7.5: radii between ~0.6 and ~1.9
  assert 0.9 < radius.mean() < 1.6 and radius.max() < 2.3


def test_unknown_name():
  with pytest.raises(ValueError, match="unknown toy dataset"):
    toy.sample("9gaussians", jax.random.key(0), 3)


def test_batch_i_is_a_pure_function_of_seed_and_index():
  source = toy.ToySource("25gaussians", batch_size=16, seed=3)
  five = source.batches(0, 5)["x"]
  assert five.shape == (5, 16, 2)
  np.testing.assert_array_equal(source.batches(3, 2)["x"], five[3:5])
  other = toy.ToySource("25gaussians", batch_size=16, seed=4).batches(0, 1)["x"]
  assert not np.array_equal(other[0], five[0])
