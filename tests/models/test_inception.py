"""InceptionV3 port: standard layer shapes and parameter count (via eval_shape, no compute),
deterministic batch-independent outputs, the graph's pooling quirk and its legacy resize."""

import flax
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gen_models.models import inception

FULL = jax.ShapeDtypeStruct((1, 299, 299, 3), jnp.float32)


def _param_shapes(with_logits=True):
  shapes = jax.eval_shape(inception.InceptionV3(with_logits=with_logits).init,
                          jax.random.key(0), FULL)
  return {k: v.shape for k, v in flax.traverse_util.flatten_dict(shapes["params"], sep="/").items()}


def test_parameter_count_and_layer_shapes():
  shapes = _param_shapes()
  kernels = [k for k in shapes if k.endswith("/kernel") and k != "logits/kernel"]
  assert len(kernels) == 94  # InceptionV3 without auxiliary head: 94 conv + BN layers
  # Each conv layer has [kh, kw, in, out] weights and three [out] batch-norm arrays.
  for k in kernels:
    layer = k[:-len("/kernel")]
    for stat in ("beta", "mean", "var"):
      assert shapes[f"{layer}/{stat}"] == (shapes[k][-1],)
  # 21,802,784 values in the TorchScript FID network's state dict (the same arrays), plus the
  # 2048 x 1008 (+ bias) Inception-score head.
  total = sum(int(np.prod(s)) for s in shapes.values())
  assert total == 21_802_784 + 2048 * 1008 + 1008
  assert sum(int(np.prod(s)) for s in _param_shapes(False).values()) == 21_802_784
  assert shapes["conv/kernel"] == (3, 3, 3, 32)
  assert shapes["conv_4/kernel"] == (3, 3, 80, 192)
  assert shapes["mixed_4/tower_1/conv_3/kernel"] == (7, 1, 128, 128)
  assert shapes["mixed_9/tower_mixed_conv/kernel"] == (1, 3, 384, 384)
  assert shapes["mixed_10/tower_2_conv/kernel"] == (1, 1, 2048, 192)
  assert shapes["logits/kernel"] == (2048, 1008)


def test_block_output_shapes():
  model = inception.InceptionV3()
  params = jax.eval_shape(model.init, jax.random.key(0), FULL)
  out, state = jax.eval_shape(
      lambda p, x: model.apply(p, x, capture_intermediates=True), params,
      jax.ShapeDtypeStruct((2, 299, 299, 3), jnp.float32))
  inter = state["intermediates"]
  expected = {"conv_4": (71, 71, 192), "mixed": (35, 35, 256), "mixed_2": (35, 35, 288),
              "mixed_3": (17, 17, 768), "mixed_7": (17, 17, 768), "mixed_8": (8, 8, 1280),
              "mixed_9": (8, 8, 2048), "mixed_10": (8, 8, 2048)}
  for name, shape in expected.items():
    assert inter[name]["__call__"][0].shape == (2, *shape), name
  assert out["pool3"].shape == (2, 2048) and out["logits"].shape == (2, 1008)


def random_variables(model, input_shape, seed=0):
  """Random weights from NumPy: `model.init` would run 24M-parameter initialisers op by op."""
  shapes = jax.eval_shape(model.init, jax.random.key(0),
                          jax.ShapeDtypeStruct(input_shape, jnp.float32))
  rng = np.random.default_rng(seed)

  def draw(path, leaf):
    name = path[-1].key
    if name == "var":
      return rng.uniform(0.5, 1.5, leaf.shape).astype(np.float32)
    fan_in = int(np.prod(leaf.shape[:-1])) if name == "kernel" else 1
    return (rng.standard_normal(leaf.shape) / np.sqrt(fan_in)).astype(np.float32)

  return jax.tree_util.tree_map_with_path(draw, shapes)


def test_identical_inputs_give_identical_outputs():
  # One real forward: a small input (the graph's pool3 is a global mean) keeps it fast on CPU.
  model = inception.InceptionV3(with_logits=True)
  x = jax.random.uniform(jax.random.key(1), (1, 91, 91, 3), minval=-1.0, maxval=1.0)
  params = random_variables(model, x.shape)
  apply = jax.jit(model.apply)
  pair = apply(params, jnp.concatenate([x, x]))
  other = apply(params, jnp.concatenate([x, -x]))
  # Not bit-equal: on an AVX2-only host XLA:CPU's convolutions summed the two batch rows in
  # different orders (relative differences up to 3e-5); equal to float32 rounding is the claim.
  np.testing.assert_allclose(pair["pool3"][1], pair["pool3"][0], rtol=1e-5, atol=1e-6)
  # Evaluation-mode batch norm: an image's output does not depend on the rest of the batch.
  np.testing.assert_allclose(other["pool3"][0], pair["pool3"][0], rtol=1e-5, atol=1e-6)
  assert not np.allclose(other["pool3"][1], pair["pool3"][0])
  assert np.all(np.isfinite(pair["logits"]))


def test_branch_average_pool_excludes_padding():
  x = jnp.arange(16.0).reshape(1, 4, 4, 1)
  pooled = inception._avg_pool_3x3(x)  # pylint: disable=protected-access
  assert pooled[0, 0, 0, 0] == pytest.approx(np.mean([0, 1, 4, 5]))  # corner: 4 real values
  assert pooled[0, 1, 1, 0] == pytest.approx(np.mean([0, 1, 2, 4, 5, 6, 8, 9, 10]))


def _naive_legacy_resize(image, size):
  """Per-pixel TF1 ResizeBilinear (align_corners=False, no half-pixel centres). [H, W, C]."""
  h, w, _ = image.shape
  out = np.zeros((size, size, image.shape[2]))
  for i in range(size):
    y = i * h / size
    y0, dy = int(np.floor(y)), y - np.floor(y)
    y1 = min(y0 + 1, h - 1)
    for j in range(size):
      x = j * w / size
      x0, dx = int(np.floor(x)), x - np.floor(x)
      x1 = min(x0 + 1, w - 1)
      top = image[y0, x0] * (1 - dx) + image[y0, x1] * dx
      bottom = image[y1, x0] * (1 - dx) + image[y1, x1] * dx
      out[i, j] = top * (1 - dy) + bottom * dy
  return out


def test_preprocess_matches_legacy_tf_resize_and_scaling():
  # A 7x7 image resized to 23x23, against the per-pixel definition.
  square = np.random.default_rng(0).integers(0, 256, (7, 7, 3)).astype(np.uint8)
  got = np.asarray(inception.preprocess(square[None], (0, 255), size=23))[0]
  np.testing.assert_allclose(got, _naive_legacy_resize(square.astype(np.float64), 23) / 128 - 1,
                             atol=1e-5)
  # The value range: uint8 0..255 and generator output -1..1 both map to [-1, 255/128 - 1].
  ends = np.array([[[[0, 255, 0]]]], np.uint8)
  np.testing.assert_allclose(inception.preprocess(ends, (0, 255), size=1)[0, 0, 0],
                             [-1.0, 0.9921875, -1.0])
  np.testing.assert_allclose(inception.preprocess(np.array([[[[-1.0, 1.0, 3.0]]]]), size=1)
                             [0, 0, 0], [-1.0, 0.9921875, 0.9921875])  # out-of-range clipped
  assert np.allclose(inception.legacy_bilinear_matrix(9, 9), np.eye(9))
