"""Image grids: a batch of images tiled into one picture and written as a PNG (pixel exact);
originals next to their reconstructions (thesis Figures A.2, A.3)."""

import math
import pathlib

import numpy as np
from PIL import Image


def tile(images, rows: int, cols: int, pad: int = 1, pad_value: float = 1.0) -> np.ndarray:
  """[N, H, W, C] (N <= rows * cols, row-major) -> [rows (H + pad) + pad, cols (W + pad) + pad, C].

  Missing cells and the `pad`-pixel borders are filled with `pad_value`.
  """
  images = np.asarray(images)
  if images.ndim != 4 or images.shape[0] > rows * cols:
    raise ValueError(f"tile needs [N<={rows * cols}, H, W, C] images, got {images.shape}")
  n, h, w, c = images.shape
  grid = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, c), pad_value, images.dtype)
  for i in range(n):
    r, q = divmod(i, cols)
    top, left = pad + r * (h + pad), pad + q * (w + pad)
    grid[top:top + h, left:left + w] = images[i]
  return grid


def to_uint8(images, value_range=(-1.0, 1.0)) -> np.ndarray:
  """Maps `value_range` linearly onto 0..255 (clipping outside), rounding to nearest."""
  low, high = value_range
  scaled = (np.asarray(images, np.float64) - low) / (high - low) * 255.0
  return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def grid_shape(n: int, rows: int = 0, cols: int = 0) -> tuple[int, int]:
  """(rows, cols) for n images: given ones are kept; 0 picks a near-square grid."""
  cols = cols or (math.ceil(n / rows) if rows else max(1, math.ceil(math.sqrt(n))))
  rows = rows or max(1, math.ceil(n / cols))
  return rows, cols


def save_image_grid(path, images, rows: int = 0, cols: int = 0, value_range=(-1.0, 1.0),
                    scale: int = 1) -> pathlib.Path:
  """Writes `images` [N, H, W, C] (C = 1 or 3, values in `value_range`) as one PNG grid of
  rows x cols cells (0: near-square), each pixel repeated `scale` times."""
  images = np.asarray(images)
  rows, cols = grid_shape(len(images), rows, cols)
  path = pathlib.Path(path)
  path.parent.mkdir(parents=True, exist_ok=True)
  grid = tile(to_uint8(images, value_range), rows, cols, pad_value=255)
  grid = np.repeat(np.repeat(grid, scale, axis=0), scale, axis=1)
  Image.fromarray(grid[..., 0] if grid.shape[-1] == 1 else grid).save(path)
  return path


def interleave(originals, reconstructions) -> np.ndarray:
  """[N, ...] and [N, ...] -> [2N, ...]: original, its reconstruction, next original, ...

  With an even number of grid columns this gives the thesis' alternate-column layout.
  """
  originals, reconstructions = np.asarray(originals), np.asarray(reconstructions)
  if originals.shape != reconstructions.shape:
    raise ValueError(f"originals {originals.shape} and reconstructions "
                     f"{reconstructions.shape} differ in shape")
  both = np.stack([originals, reconstructions], axis=1)
  return both.reshape((-1,) + originals.shape[1:])


def crop_tiles(grid: np.ndarray, rows: int, keep: int, pad: int = 1) -> np.ndarray:
  """The top-left keep x keep tiles (with their borders) of a square `tile`d grid of
  rows x rows tiles. [S, S, ...] -> [keep (t + pad) + pad, same, ...], t the tile side."""
  side = grid.shape[0]
  step, remainder = divmod(side - pad, rows)
  if remainder or grid.shape[1] != side or not 0 < keep <= rows:
    raise ValueError(f"a {grid.shape[:2]} grid is not {rows} x {rows} square tiles with "
                     f"{pad}-pixel borders, or keep={keep} is outside 1..{rows}")
  return grid[:keep * step + pad, :keep * step + pad]


def quantize_png(path, colors: int = 256) -> pathlib.Path:
  """Rewrites the PNG at `path` with an adaptive palette of `colors` colours (a mosaic of
  sample grids shrinks about 3x; the colour error is small next to the samples' own noise)."""
  path = pathlib.Path(path)
  with Image.open(path) as image:
    palette = image.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
  palette.save(path, optimize=True)
  return path
