"""A lower-level background model for likelihood-ratio normality scores.

Likelihood ratios (Ren et al. 2019; Schirrmeister et al. 2020) divide a deep model's likelihood
by that of a model which captures only the statistics every natural image shares, so that what
is left measures what the deep model learned about *this* population. Ren et al. train a second
network on perturbed inputs; we use a cheaper lower-level model with the same role and no
training loop: a local autoregressive model that predicts each pixel from the quantized values
of its four causal neighbours (left, up-left, up, up-right) in the same channel, with one
categorical distribution per neighbourhood, shared by every position and channel, estimated by
counting over the training images (add-`alpha` smoothing).

It is an exact, normalized distribution over the same discrete images the deep models score
(raster order per channel, channels independent), so log p_model(x) - log p_background(x) is a
proper log-likelihood ratio in nats.
"""

import dataclasses

import numpy as np

_CHUNK = 2048  # images per counting pass: bounds the context arrays' memory


@dataclasses.dataclass(frozen=True)
class LocalContextModel:
  """log_table: [num_contexts, levels] log-probabilities; see `fit_local_context_model`."""
  levels: int
  bins: int
  log_table: np.ndarray


def _quantized(images, levels: int) -> np.ndarray:
  """uint8 [N, H, W, C] -> int64 symbols in 0..levels-1 (levels 2: 0/255 images; 256: 8-bit)."""
  images = np.asarray(images)
  if images.dtype != np.uint8 or images.ndim != 4:
    raise ValueError(f"the background model takes uint8 images [N, H, W, C], got "
                     f"{images.dtype} {images.shape}")
  if levels == 256:
    return images.astype(np.int64)
  if levels == 2:
    if not np.isin(images, (0, 255)).all():
      raise ValueError("a 2-level background model needs binary images stored as 0/255")
    return (images // 255).astype(np.int64)
  raise ValueError(f"levels must be 2 (binarized) or 256 (8-bit), got {levels}")


def _contexts(symbols: np.ndarray, levels: int, bins: int) -> np.ndarray:
  """[N, H, W, C] symbols -> [N, H, W, C] context ids in 0..(bins+1)^4 - 1. Neighbours outside
  the image take the extra value `bins`."""
  q = symbols * bins // levels
  p = np.pad(q, ((0, 0), (1, 0), (1, 1), (0, 0)), constant_values=bins)
  left, up_left, up, up_right = p[:, 1:, :-2], p[:, :-1, :-2], p[:, :-1, 1:-1], p[:, :-1, 2:]
  base = bins + 1
  return ((left * base + up_left) * base + up) * base + up_right


def fit_local_context_model(images, levels: int, bins: int = 0,
                            alpha: float = 0.5) -> LocalContextModel:
  """Counts pixel values per neighbourhood over training images uint8 [N, H, W, C].

  bins: quantization of each neighbour's value (default: levels for binary, 8 for 8-bit), so
  there are (bins + 1)^4 neighbourhoods of `levels` values each.
  """
  bins = bins or min(levels, 8)
  num_contexts = (bins + 1) ** 4
  counts = np.zeros(num_contexts * levels, np.float64)
  for start in range(0, len(images), _CHUNK):
    symbols = _quantized(images[start:start + _CHUNK], levels)
    cells = _contexts(symbols, levels, bins) * levels + symbols
    counts += np.bincount(cells.ravel(), minlength=num_contexts * levels)
  counts = counts.reshape(num_contexts, levels) + alpha
  log_table = np.log(counts) - np.log(counts.sum(axis=1, keepdims=True))
  return LocalContextModel(levels=levels, bins=bins, log_table=log_table)


def log_likelihood(model: LocalContextModel, images) -> np.ndarray:
  """log p_background(x) in nats of each image uint8 [N, H, W, C] -> [N] float64."""
  out = np.empty(len(images), np.float64)
  for start in range(0, len(images), _CHUNK):
    symbols = _quantized(images[start:start + _CHUNK], model.levels)
    contexts = _contexts(symbols, model.levels, model.bins)
    per_pixel = model.log_table[contexts, symbols]
    out[start:start + len(symbols)] = per_pixel.reshape(len(symbols), -1).sum(axis=1)
  return out
