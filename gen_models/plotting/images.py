"""Image grids: samples, and originals next to their reconstructions (thesis Figures A.2, A.3)."""

import math
import pathlib

import numpy as np
from PIL import Image


def image_grid(images, num_cols: int = 0, pad: int = 1, pad_value: float = 0.5) -> np.ndarray:
  """Tiles images [N, H, W, C] with values in [0, 1] into one [rows*(H+pad)+pad, ...] array.

  num_cols 0 picks a near-square grid; empty cells and the `pad`-pixel borders are `pad_value`.
  Returns [GH, GW] for C = 1, else [GH, GW, C], float in [0, 1].
  """
  images = np.asarray(images, np.float32)
  if images.ndim != 4:
    raise ValueError(f"expected images [N, H, W, C], got shape {images.shape}")
  n, h, w, c = images.shape
  cols = num_cols or max(1, math.ceil(math.sqrt(n)))
  rows = max(1, math.ceil(n / cols))
  grid = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, c), pad_value, np.float32)
  for i in range(n):
    r, q = divmod(i, cols)
    top, left = pad + r * (h + pad), pad + q * (w + pad)
    grid[top:top + h, left:left + w] = images[i]
  grid = np.clip(grid, 0.0, 1.0)
  return grid[..., 0] if c == 1 else grid


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


def save_grid(images, path, num_cols: int = 0, scale: int = 2, pad: int = 1) -> pathlib.Path:
  """Writes `image_grid(images)` as an 8-bit PNG, each pixel repeated `scale` times."""
  grid = image_grid(images, num_cols, pad)
  grid = np.repeat(np.repeat(grid, scale, axis=0), scale, axis=1)
  path = pathlib.Path(path)
  path.parent.mkdir(parents=True, exist_ok=True)
  Image.fromarray(np.round(grid * 255.0).astype(np.uint8)).save(path)
  return path
