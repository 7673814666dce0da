"""The local-context background model: a normalized distribution, fitted by counting."""

import itertools

import numpy as np
import pytest

from gen_models.evaluation import background


def _all_images(levels, shape):
  """Every image of `shape` [H, W, C] with `levels` values, as uint8 (binary: 0/255)."""
  values = (0, 255) if levels == 2 else range(levels)
  grid = np.array(list(itertools.product(values, repeat=int(np.prod(shape)))), np.uint8)
  return grid.reshape(-1, *shape)


@pytest.mark.parametrize("shape", [(2, 3, 1), (3, 2, 2)])
def test_binary_model_sums_to_one_over_every_image(shape):
  rng = np.random.default_rng(0)
  train = (rng.uniform(size=(50, *shape)) < 0.3).astype(np.uint8) * 255
  model = background.fit_local_context_model(train, levels=2)
  total = np.exp(background.log_likelihood(model, _all_images(2, shape))).sum()
  assert total == pytest.approx(1.0, rel=1e-9)


def test_eight_bit_model_sums_to_one_over_every_image():
  rng = np.random.default_rng(1)
  train = rng.integers(0, 256, size=(40, 1, 2, 1), dtype=np.uint8)
  model = background.fit_local_context_model(train, levels=256, bins=4)
  grid = np.stack(np.meshgrid(np.arange(256), np.arange(256), indexing="ij"), -1)
  images = grid.reshape(-1, 1, 2, 1).astype(np.uint8)
  assert np.exp(background.log_likelihood(model, images)).sum() == pytest.approx(1.0, rel=1e-9)


def test_probabilities_are_smoothed_counts():
  """A 1x2 binary image: pixel 0 sees an all-outside context, pixel 1 sees pixel 0 on its left.
  Training set: 3 x [1, 1] and 1 x [1, 0]; with alpha = 0.5 p(first = 1) = 4.5 / 5 and
  p(second = 1 | left = 1) = 3.5 / 5."""
  train = np.array([[1, 1]] * 3 + [[1, 0]], np.uint8).reshape(4, 1, 2, 1) * 255
  model = background.fit_local_context_model(train, levels=2, alpha=0.5)
  got = background.log_likelihood(model, np.array([[1, 1], [1, 0], [0, 1]], np.uint8)
                                  .reshape(3, 1, 2, 1) * 255)
  expected = np.log([4.5 / 5 * 3.5 / 5, 4.5 / 5 * 1.5 / 5, 0.5 / 5 * 0.5])
  np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_learns_the_training_population():
  """Images of vertical stripes get a much higher likelihood than noise under a model fitted to
  stripes, and the chunked evaluation equals the per-image one."""
  rng = np.random.default_rng(2)
  stripes = np.zeros((3000, 6, 6, 1), np.uint8)
  stripes[:, :, ::2] = 255
  noise = (rng.uniform(size=(3000, 6, 6, 1)) < 0.5).astype(np.uint8) * 255
  model = background.fit_local_context_model(stripes, levels=2)
  log_p_stripes = background.log_likelihood(model, stripes)
  log_p_noise = background.log_likelihood(model, noise)
  assert log_p_stripes.min() > log_p_noise.max()
  one_by_one = np.concatenate([background.log_likelihood(model, noise[i:i + 1])
                               for i in range(0, 3000, 997)])
  np.testing.assert_allclose(one_by_one, log_p_noise[::997])


def test_rejects_bad_input():
  with pytest.raises(ValueError, match="uint8 images"):
    background.fit_local_context_model(np.zeros((2, 4, 4)), levels=2)
  with pytest.raises(ValueError, match="binary images stored as 0/255"):
    background.fit_local_context_model(np.full((2, 4, 4, 1), 7, np.uint8), levels=2)
  with pytest.raises(ValueError, match="levels must be 2"):
    background.fit_local_context_model(np.zeros((2, 4, 4, 1), np.uint8), levels=16)
