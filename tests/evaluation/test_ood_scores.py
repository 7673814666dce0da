"""Complexity-corrected and likelihood-ratio normality scores."""

import io

import numpy as np
import pytest
from PIL import Image

from gen_models.evaluation import complexity, ood


def test_png_bits_constant_vs_noise():
  rng = np.random.default_rng(0)
  for channels in (1, 3):
    shape = (32, 32, channels)
    constant = np.full((2, *shape), 117, np.uint8)
    noise = rng.integers(0, 256, size=(2, *shape), dtype=np.uint8)
    bits = complexity.png_bits(np.concatenate([constant, noise]))
    raw_bits = 8 * np.prod(shape)
    assert bits.shape == (4,)
    assert np.all(bits[2:] >= raw_bits)  # uniform noise is incompressible
    assert np.all(bits[:2] < raw_bits / 10)
    assert bits[0] == bits[1]


def test_png_bits_is_the_lossless_file_length():
  image = np.random.default_rng(1).integers(0, 4, size=(1, 28, 28, 1), dtype=np.uint8) * 60
  bits = complexity.png_bits(image)[0]
  buffer = io.BytesIO()
  Image.fromarray(image[0, ..., 0]).save(buffer, format="PNG", compress_level=9)
  assert bits == 8 * len(buffer.getvalue())
  np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(buffer.getvalue()))),
                                image[0, ..., 0])


def test_png_bits_rejects_bad_input():
  with pytest.raises(ValueError, match="uint8"):
    complexity.png_bits(np.zeros((2, 8, 8, 1), np.float32))
  with pytest.raises(ValueError, match="uint8"):
    complexity.png_bits(np.zeros((8, 8, 3), np.uint8))


def test_complexity_correction_formula():
  rng = np.random.default_rng(2)
  log_px = -rng.uniform(50, 200, size=20)  # nats
  bits = rng.uniform(500, 3000, size=20)
  expected = np.log2(np.exp(log_px)) + bits  # -(code length of the model - code length of PNG)
  np.testing.assert_allclose(complexity.complexity_corrected(log_px, bits), expected, rtol=1e-12)
  with pytest.raises(ValueError, match="compressed lengths"):
    complexity.complexity_corrected(log_px, bits[:5])


def test_likelihood_ratio_removes_a_shared_confounder():
  # Both models see a per-image "complexity" term that dwarfs the semantic signal; only the
  # full model also has the semantic term, so the ratio isolates it.
  rng = np.random.default_rng(3)
  is_ood = np.arange(2000) < 200
  confounder = rng.normal(scale=50.0, size=2000) + 40.0 * is_ood  # OOD images look "simpler"
  semantic = rng.normal(size=2000) - 3.0 * is_ood
  log_model, log_background = confounder + semantic, confounder + rng.normal(scale=0.1, size=2000)
  ratio = complexity.likelihood_ratio(log_model, log_background)
  np.testing.assert_allclose(ratio, log_model - log_background)
  assert ood.auroc(log_model, is_ood) < 0.5  # raw likelihood prefers the OOD images
  assert ood.auroc(ratio, is_ood) > 0.95
  with pytest.raises(ValueError, match=r"must both be \[N\]"):
    complexity.likelihood_ratio(np.zeros(3), np.zeros(4))
