"""Ancestral sampling of binary images in raster order: a naive and a cached sampler.

Both draw pixel t = r * W + c (raster order) as x = (u_t < sigmoid(logit_t)) with
u_t ~ U[0, 1)^B from `fold_in(key, t)`, so for the same key and the same logits they return the
same images. Both loop over pixels with `lax.fori_loop` inside one traced function; wrap them in
`jax.jit` (with `shape` static) to compile once.

- `sample_naive` runs the whole network once per pixel: O(H W) network passes.
- `sample_color_naive` does the same for 8-bit colour images, drawing every channel of pixel t
  from its discretized logistic mixture (the CIFAR-10 models of models/color.py).
- `sample_cached` runs a `GatedPixelCNN` (gen_models/models/pixelcnn.py) incrementally from its
  params pytree. The vertical stack only depends on rows above, so at the start of row r it is
  computed for row r - 1 (all columns, every layer) and cached; the horizontal stack and the
  head are computed at the one new position per layer. Each pixel then costs O(1) work per layer
  (O(W) per row for the vertical stack) instead of a pass over all H W positions.
"""

import chex
import jax
import jax.numpy as jnp
from jax import lax

from gen_models.models.color import ColorPixelCNN, ColorPixelVAE
from gen_models.models.pixelcnn import GatedPixelCNN, PixelCNN
from gen_models.models.pixelvae import PixelVAE
from gen_models.nn.gated import gate, horizontal_mask
from gen_models.objectives import likelihood as lik


def pixel_uniforms(key, t, batch: int):
  """The uniforms [batch] that decide pixel t (raster index) of every image."""
  return jax.random.uniform(jax.random.fold_in(key, t), (batch,))


def _check_shape(shape):
  if len(shape) != 4 or shape[-1] != 1:
    raise ValueError(f"samplers draw binary images of shape [B, H, W, 1], got {shape}")


def sample_naive(apply_fn, key, shape, cond=None, return_logits=False):
  """One full network pass per pixel.

  apply_fn: x [B, H, W, 1] -> logits [B, H, W, 1] (called as apply_fn(x, cond) when cond is
  given). Returns x [B, H, W, 1] in {0, 1} (and the logits [B, H, W, 1] each pixel was drawn
  from, when `return_logits`).
  """
  _check_shape(shape)
  b, h, w, _ = shape

  def body(t, carry):
    x, logits_out = carry
    r, c = t // w, t % w
    logits = apply_fn(x) if cond is None else apply_fn(x, cond)
    logit = lax.dynamic_slice(logits, (0, r, c, 0), (b, 1, 1, 1))
    pixel = (pixel_uniforms(key, t, b)[:, None, None, None] < jax.nn.sigmoid(logit))
    x = lax.dynamic_update_slice(x, pixel.astype(x.dtype), (0, r, c, 0))
    logits_out = lax.dynamic_update_slice(logits_out, logit.astype(logits_out.dtype), (0, r, c, 0))
    return x, logits_out

  init = (jnp.zeros(shape, jnp.float32), jnp.zeros(shape, jnp.float32))
  x, logits = lax.fori_loop(0, h * w, body, init)
  return (x, logits) if return_logits else x


# --- cached sampler for the gated stacks -------------------------------------------------------

def _dense(p, x):
  return x @ p["kernel"] + p["bias"]


def _cond_term(p, cond, r, c=None):
  """V cond at row r ([B, W, F]) or at (r, c) ([B, F]); 0 without conditioning."""
  if cond is None:
    return 0.0
  if cond.ndim == 2:
    out = _dense(p, cond)
    return out if c is not None else out[:, None, :]
  row = lax.dynamic_index_in_dim(cond, r, axis=1, keepdims=False)  # [B, W, D]
  if c is not None:
    row = lax.dynamic_index_in_dim(row, c, axis=1, keepdims=False)  # [B, D]
  return _dense(p, row)


def _conv_row(p, window):
  """window [B, kh, W + kw - 1, C_in] -> [B, W, F]: the 'VALID' conv of one output row."""
  out = lax.conv_general_dilated(window, p["kernel"], (1, 1), "VALID",
                                 dimension_numbers=("NHWC", "HWIO", "NHWC"))
  return out[:, 0] + p["bias"]


def sample_cached(net: GatedPixelCNN, params, key, shape, cond=None, return_logits=False):
  """Incremental sampling of `net` (a GatedPixelCNN) with params `params` (its own subtree).

  cond: what `net` is conditioned on (None, [B, D] or [B, H, W, D]), e.g. the PixelVAE's
  upsampled features or z. Same return values as `sample_naive`.

  An outer loop over rows computes the vertical stacks of the row above and carries the large
  per-layer vertical caches; an inner loop over columns carries only one row of horizontal
  activations per layer, so no step copies image-sized buffers.
  """
  _check_shape(shape)
  if not isinstance(net, GatedPixelCNN):
    raise ValueError(f"the cached sampler needs a GatedPixelCNN, got {type(net).__name__}")
  if net.num_layers < 1:
    raise ValueError("a GatedPixelCNN without layers is not autoregressive: sample it in one pass")
  b, h, w, _ = shape
  if cond is not None:
    chex.assert_axis_dimension(cond, 0, b)
  pads = [k // 2 for k in net.kernel_sizes()]
  layers = [params[f"layer_{l}"] for l in range(net.num_layers)]
  h_kernels = [lp["h_conv"]["kernel"][0] * horizontal_mask(pads[l] + 1, "A" if l == 0 else "B")
               [:, None, None] for l, lp in enumerate(layers)]  # [p + 1, C_in, 2C]
  ch, p0 = net.channels, pads[0]

  def vertical_row(r, canvas, v_in):
    """Vertical stacks of row r - 1 (rows <= r - 1 are all drawn) -> (v_in, v_to_h), v_to_h[l]
    [B, W, 2C] being what row r's horizontal stack l adds. Row 0 sees the down-shift's zero
    row: v_pre is zeroed, so v_to_h is the 1x1's bias and the zeros written land in row 0 of
    the caches, which row 1 overwrites before reading."""
    above = r > 0
    row = jnp.maximum(r - 1, 0)
    v_in, v_to_h = list(v_in), []
    for l, lp in enumerate(layers):
      src = canvas if l == 0 else v_in[l]
      window = lax.dynamic_slice_in_dim(src, row, pads[l] + 1, axis=1)  # rows row - p..row
      v_pre = jnp.where(above, _conv_row(lp["v_conv"], window), 0.0)  # [B, W, 2C]
      v_to_h.append(_dense(lp["v_to_h"], v_pre))
      if l + 1 < len(layers):
        v_out = jnp.where(above, gate(v_pre + _cond_term(lp.get("v_cond"), cond, row)), 0.0)
        p_next = pads[l + 1]
        v_in[l + 1] = lax.dynamic_update_slice(v_in[l + 1], v_out[:, None],
                                               (0, row + p_next, p_next, 0))
    return tuple(v_in), v_to_h

  def pixel_logit(r, c, x_row, h_rows, v_to_h):
    """Horizontal stacks and head at (r, c) -> (logit [B], updated row buffers)."""
    h_rows = list(h_rows)
    out = None
    for l, lp in enumerate(layers):
      p = pads[l]
      if l == 0:
        window = lax.dynamic_slice_in_dim(x_row, c, p + 1, axis=1)  # cols c - p..c
      else:
        window = lax.dynamic_slice_in_dim(h_rows[l], c, p + 1, axis=1)
      pre = jnp.einsum("bwi,wio->bo", window, h_kernels[l]) + lp["h_conv"]["bias"]
      pre = pre + lax.dynamic_index_in_dim(v_to_h[l], c, axis=1, keepdims=False)
      pre = pre + _cond_term(lp.get("h_cond"), cond, r, c)
      out = _dense(lp["h_out"], gate(pre)) + (window[:, -1] if l > 0 else 0.0)
      if l + 1 < len(layers):
        h_rows[l + 1] = lax.dynamic_update_slice(h_rows[l + 1], out[:, None],
                                                 (0, c + pads[l + 1], 0))
    for i in range(2):
      hp = params[f"head_{i}"]
      out = gate(_dense(hp["conv"], out) + _cond_term(hp.get("cond"), cond, r, c))
    return _dense(params["out"], out)[:, 0], tuple(h_rows)

  def sample_row(r, v_to_h):
    """Row r, one pixel at a time -> (pixels [B, W], logits [B, W])."""
    def body(c, carry):
      x_row, h_rows, logit_row = carry
      logit, h_rows = pixel_logit(r, c, x_row, h_rows, v_to_h)
      pixel = (pixel_uniforms(key, r * w + c, b) < jax.nn.sigmoid(logit)).astype(jnp.float32)
      x_row = lax.dynamic_update_slice(x_row, pixel[:, None, None], (0, c + p0, 0))
      logit_row = lax.dynamic_update_slice(logit_row, logit[:, None], (0, c))
      return x_row, h_rows, logit_row

    x_row = jnp.zeros((b, w + p0, 1), jnp.float32)  # left zero padding = conv padding
    h_rows = tuple([None] + [jnp.zeros((b, w + p, ch), jnp.float32) for p in pads[1:]])
    x_row, _, logit_row = lax.fori_loop(0, w, body, (x_row, h_rows, jnp.zeros((b, w))))
    return x_row[:, p0:, 0], logit_row

  def row_body(r, carry):
    canvas, v_in, logits = carry
    v_in, v_to_h = vertical_row(r, canvas, v_in)
    x_row, logit_row = sample_row(r, v_to_h)
    canvas = lax.dynamic_update_slice(canvas, x_row[:, None, :, None], (0, r + p0, p0, 0))
    logits = lax.dynamic_update_slice(logits, logit_row[:, None, :, None], (0, r, 0, 0))
    return canvas, v_in, logits

  canvas = jnp.zeros((b, h + p0, w + 2 * p0, 1), jnp.float32)  # zero padding = conv padding
  v_in = tuple([None] + [jnp.zeros((b, h + p, w + 2 * p, ch), jnp.float32) for p in pads[1:]])
  canvas, _, logits = lax.fori_loop(0, h, row_body, (canvas, v_in, jnp.zeros(shape)))
  x = canvas[:, p0:p0 + h, p0:p0 + w]
  return (x, logits) if return_logits else x


# --- model-level entry point -------------------------------------------------------------------

def autoregressive_parts(model, variables, z=None):
  """(net, net_params, cond) of a PixelCNN-family model or of a PixelVAE decoder given z."""
  params = variables["params"]
  if isinstance(model, PixelVAE):
    if z is None:
      raise ValueError("sampling a PixelVAE decoder needs z [B, latent_dim]")
    net_class = GatedPixelCNN if model.gated else PixelCNN
    net = net_class(model.num_layers, model.channels, model.first_kernel_size, model.kernel_size)
    return net, params["pixelcnn"], model.apply(variables, z, method="conditioning")
  if isinstance(model, (GatedPixelCNN, PixelCNN)):
    return model, params, None
  raise ValueError(f"{type(model).__name__} is not an autoregressive image model")


def sample_model(model, variables, key, shape, z=None, cached=True):
  """x [B, H, W, 1] from a PixelCNN-family model, or from p(x | z) of a PixelVAE.

  `cached` selects `sample_cached` (gated nets only) over `sample_naive`. A PixelVAE without
  autoregressive layers is sampled in one pass, with the same per-pixel uniforms.
  """
  _check_shape(shape)
  net, params, cond = autoregressive_parts(model, variables, z)
  apply_fn = lambda x, *c: net.apply({"params": params}, x, *c)
  if not net.is_autoregressive:
    logits = apply_fn(jnp.zeros(shape, jnp.float32), cond)
    u = jax.vmap(lambda t: pixel_uniforms(key, t, shape[0]), out_axes=1)(
        jnp.arange(shape[1] * shape[2]))
    return (u.reshape(shape) < jax.nn.sigmoid(logits)).astype(jnp.float32)
  if cached:
    return sample_cached(net, params, key, shape, cond)
  return sample_naive(apply_fn, key, shape, cond)


# --- 8-bit colour images (discretized logistic mixtures) ---------------------------------------
def sample_color_naive(apply_fn, key, shape, num_mixtures: int, cond=None):
  """x [B, H, W, C] on the 256-level grid of [-1, 1], one full network pass per pixel.

  apply_fn: x [B, H, W, C] -> mixture parameters [B, H, W, P] (apply_fn(x, cond) with cond).
  Pixel t (raster order) draws all its channels at once from its mixture, channel by channel
  (objectives.likelihood.sample_logistic_mixture), with key fold_in(key, t).
  """
  if len(shape) != 4:
    raise ValueError(f"the colour sampler draws images [B, H, W, C], got shape {shape}")
  b, _, w, c = shape

  def body(t, x):
    r, col = t // w, t % w
    params = apply_fn(x) if cond is None else apply_fn(x, cond)
    p = lax.dynamic_slice(params, (0, r, col, 0), (b, 1, 1, params.shape[-1]))
    pixel = lik.sample_logistic_mixture(jax.random.fold_in(key, t), p, c, num_mixtures)
    return lax.dynamic_update_slice(x, pixel.astype(x.dtype), (0, r, col, 0))

  return lax.fori_loop(0, shape[1] * w, body, jnp.zeros(shape, jnp.float32))


def sample_color_model(model, variables, key, shape, num_mixtures: int, z=None):
  """x [B, H, W, C] from a `ColorPixelCNN`, or from p(x | z) of a `ColorPixelVAE` (its
  upsampled features computed once, then only the autoregressive net runs per pixel)."""
  if isinstance(model, ColorPixelVAE):
    if z is None:
      raise ValueError("sampling a colour PixelVAE decoder needs z [B, latent_dim]")
    cond = model.apply(variables, z, method="conditioning")
    net = ColorPixelCNN(num_layers=model.num_layers, num_mixtures=model.num_mixtures,
                        channels=model.channels, first_kernel_size=model.first_kernel_size,
                        kernel_size=model.kernel_size)
    params = variables["params"]["pixelcnn"]
    return sample_color_naive(lambda x, c: net.apply({"params": params}, x, c), key, shape,
                              num_mixtures, cond)
  if isinstance(model, ColorPixelCNN):
    return sample_color_naive(lambda x: model.apply(variables, x), key, shape, num_mixtures)
  raise ValueError(f"{type(model).__name__} is not an autoregressive colour image model")
