"""Image grids: every image lands in its cell, borders and empty cells are the pad value."""

import numpy as np
import pytest
from PIL import Image

from gen_models.plotting import image_grid


def test_grid_places_images_in_raster_order(tmp_path):
  x = np.arange(3, dtype=np.float32)[:, None, None, None] / 4 + np.zeros((3, 2, 3, 1), np.float32)
  grid = image_grid.tile(x, 2, 2, pad=1, pad_value=0.9)
  assert grid.shape == (2 * 3 + 1, 2 * 4 + 1, 1)
  np.testing.assert_array_equal(grid[1:3, 1:4], 0.0)  # image 0, top left
  np.testing.assert_array_equal(grid[1:3, 5:8], 0.25)  # image 1, top right
  np.testing.assert_array_equal(grid[4:6, 1:4], 0.5)  # image 2, second row
  np.testing.assert_allclose(grid[4:6, 5:8], 0.9)  # empty cell
  np.testing.assert_allclose(grid[0], 0.9)  # border
  path = image_grid.save_image_grid(tmp_path / "g.png", x, cols=2, value_range=(0.0, 1.0),
                                    scale=2)
  png = np.asarray(Image.open(path))
  assert png.shape == (2 * grid.shape[0], 2 * grid.shape[1])
  assert png[2, 2] == 0 and png[2, 10] == 64 and png[0, 0] == 255  # image 0, image 1, border


def test_grid_shape_is_near_square_unless_given():
  assert image_grid.grid_shape(10) == (3, 4)
  assert image_grid.grid_shape(10, cols=2) == (5, 2)
  assert image_grid.grid_shape(10, rows=2) == (2, 5)


def test_interleave_alternates_originals_and_reconstructions():
  a, b = np.zeros((2, 1, 1, 1)), np.ones((2, 1, 1, 1))
  np.testing.assert_array_equal(image_grid.interleave(a, b)[:, 0, 0, 0], [0, 1, 0, 1])


def test_crop_tiles_keeps_the_top_left_tiles_with_their_borders():
  images = np.random.default_rng(0).integers(0, 255, (64, 5, 5, 3)).astype(np.uint8)
  grid = image_grid.tile(images, 8, 8, pad_value=255)
  top_left = [r * 8 + c for r in range(3) for c in range(3)]
  np.testing.assert_array_equal(image_grid.crop_tiles(grid, 8, 3),
                                image_grid.tile(images[top_left], 3, 3, pad_value=255))
  np.testing.assert_array_equal(image_grid.crop_tiles(grid, 8, 8), grid)
  with pytest.raises(ValueError, match="not 7 x 7 square tiles"):
    image_grid.crop_tiles(grid, 7, 3)
  with pytest.raises(ValueError, match="keep=9"):
    image_grid.crop_tiles(grid, 8, 9)


def test_quantize_png_is_exact_for_few_colours(tmp_path):
  pixels = np.random.default_rng(1).choice([0, 80, 255], size=(12, 10, 3)).astype(np.uint8)
  Image.fromarray(pixels).save(tmp_path / "a.png")
  image_grid.quantize_png(tmp_path / "a.png")
  with Image.open(tmp_path / "a.png") as back:
    assert back.mode == "P"
    np.testing.assert_array_equal(np.asarray(back.convert("RGB")), pixels)
