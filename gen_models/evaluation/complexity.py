"""Normality scores beyond the thesis: input-complexity correction and likelihood ratios.

Likelihood models can rank simple out-of-distribution images (flat backgrounds, thin strokes)
as more normal than the training data, because log p(x) is dominated by how compressible x is.
Two published corrections, as pure functions of per-image arrays [N]:

- Serra et al. (2020), "Input complexity and out-of-distribution detection with likelihood-based
  generative models": subtract a generic compressor's code length L(x) from the model's code
  length -log2 p(x). Normality = log2 p(x) + L(x) (higher = more normal).
- Ren et al. (2019), "Likelihood ratios for out-of-distribution detection": a background model
  (lower capacity, or trained on perturbed inputs) captures the shared population statistics;
  normality = log p_model(x) - log p_background(x).
"""

import io

import numpy as np
from PIL import Image

LN2 = np.log(2.0)


def _pair(a, b, names):
  a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
  if a.ndim != 1 or a.shape != b.shape:
    raise ValueError(f"{names[0]} and {names[1]} must both be [N], got {a.shape} and {b.shape}")
  return a, b


def png_bits(images) -> np.ndarray:
  """Length in bits of each image losslessly compressed as PNG (Pillow, compress_level 9).

  images: [N, H, W, C] uint8 with C in {1, 3}. Returns [N] float64. The count includes the PNG
  container (signature, header and end chunks: a constant ~57 bytes for a given shape), which
  shifts every score equally and so changes no ranking.
  """
  images = np.asarray(images)
  if images.dtype != np.uint8 or images.ndim != 4 or images.shape[-1] not in (1, 3):
    raise ValueError(f"png_bits needs uint8 images [N, H, W, 1 or 3], got {images.dtype} "
                     f"{images.shape}")
  bits = np.empty(len(images), np.float64)
  for i, image in enumerate(images):
    buffer = io.BytesIO()
    pil = Image.fromarray(image[..., 0] if image.shape[-1] == 1 else image)
    pil.save(buffer, format="PNG", compress_level=9)
    bits[i] = 8.0 * buffer.getbuffer().nbytes
  return bits


def complexity_corrected(log_likelihood_nats, compressed_bits) -> np.ndarray:
  """Serra et al.'s score as a normality: log2 p(x) + L(x), in bits. Both inputs [N]."""
  log_likelihood_nats, compressed_bits = _pair(log_likelihood_nats, compressed_bits,
                                               ("log-likelihoods", "compressed lengths"))
  return log_likelihood_nats / LN2 + compressed_bits


def likelihood_ratio(log_p_model, log_p_background) -> np.ndarray:
  """Ren et al.'s normality: log p_model(x) - log p_background(x). Both [N], same units."""
  log_p_model, log_p_background = _pair(log_p_model, log_p_background,
                                        ("model log-likelihoods", "background log-likelihoods"))
  return log_p_model - log_p_background
