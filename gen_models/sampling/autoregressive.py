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


def gated_plain_params(net: GatedPixelCNN, params) -> dict:
  """A `GatedPixelCNN`'s params in the plain layout `sample_cached_stacks` reads (its 1x1 maps
  are Dense layers already; the horizontal kernels get their masks)."""
  pads = [k // 2 for k in net.kernel_sizes()]
  layers = []
  for l in range(net.num_layers):
    lp = dict(params[f"layer_{l}"])
    mask = horizontal_mask(pads[l] + 1, "A" if l == 0 else "B")[:, None, None]
    lp["h_conv"] = {"kernel": lp["h_conv"]["kernel"][0] * mask, "bias": lp["h_conv"]["bias"]}
    layers.append(lp)
  return {"layers": layers, "head": [params["head_0"], params["head_1"]], "out": params["out"]}


def bernoulli_draw(key):
  """draw(t, g, logit [B, 1]) -> pixel [B, 1] in {0, 1}: u_t < sigmoid(logit)."""
  def draw(t, g, logit):
    del g
    u = pixel_uniforms(key, t, logit.shape[0])
    return (u[:, None] < jax.nn.sigmoid(logit)).astype(jnp.float32)
  return draw


def sample_cached(net: GatedPixelCNN, params, key, shape, cond=None, return_logits=False):
  """Incremental sampling of `net` (a GatedPixelCNN) with params `params` (its own subtree).

  cond: what `net` is conditioned on (None, [B, D] or [B, H, W, D]), e.g. the PixelVAE's
  upsampled features or z. Same return values as `sample_naive`.
  """
  _check_shape(shape)
  if not isinstance(net, GatedPixelCNN):
    raise ValueError(f"the cached sampler needs a GatedPixelCNN, got {type(net).__name__}")
  if net.num_layers < 1:
    raise ValueError("a GatedPixelCNN without layers is not autoregressive: sample it in one pass")
  return sample_cached_stacks(gated_plain_params(net, params), net.kernel_sizes(), net.channels,
                              shape, bernoulli_draw(key), groups=1, cond=cond,
                              return_outputs=return_logits)


def sample_cached_stacks(p, kernel_sizes, channels: int, shape, draw, groups: int = 1,
                         cond=None, return_outputs=False):
  """Incremental sampling of gated vertical/horizontal stacks from their plain params `p`
  (`gated_plain_params`, or models/hierarchical_pixelvae.py `plain_params` for the grouped,
  weight-normalized stacks): {'layers': [{v_conv, h_conv (kernel [p+1, C_in, 2C], masked),
  v_to_h, h_out, v_cond?, h_cond?}], 'head': [{conv, cond?}] * 2, 'out'}.

  shape: [B, H, W, C_in]; the C_in channels of a position form `groups` contiguous groups,
  drawn one group after the other: draw(t, g, outputs [B, F]) -> values [B, C_in / groups],
  t the raster index, outputs the head's group-g slice (F = outputs / groups). Returns x
  [B, H, W, C_in] (and the outputs [B, H, W, groups F] each group was drawn from, with
  `return_outputs`).

  An outer loop over rows computes the vertical stacks of the row above and carries the large
  per-layer vertical caches; an inner loop over columns carries only one row of horizontal
  activations per layer, so no step copies image-sized buffers. Inside a position the
  horizontal stacks and the head run once per group, each time with the groups drawn so far;
  the masks make group g's outputs (and, at the last group, every layer's activations at the
  position) exact.
  """
  b, h, w, c_in = shape
  if c_in % groups:
    raise ValueError(f"{c_in} channels do not split into {groups} groups")
  cg = c_in // groups
  if cond is not None:
    chex.assert_axis_dimension(cond, 0, b)
  num_layers = len(kernel_sizes)
  pads = [k // 2 for k in kernel_sizes]
  layers = p["layers"]
  num_out = p["out"]["kernel"].shape[-1]
  fg = num_out // groups
  ch, p0 = channels, pads[0]

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
      if l + 1 < num_layers:
        v_out = jnp.where(above, gate(v_pre + _cond_term(lp.get("v_cond"), cond, row)), 0.0)
        p_next = pads[l + 1]
        v_in[l + 1] = lax.dynamic_update_slice(v_in[l + 1], v_out[:, None],
                                               (0, row + p_next, p_next, 0))
    return tuple(v_in), v_to_h

  def position_outputs(r, c, x_row, h_rows, v_to_h):
    """Horizontal stacks and head at (r, c) -> (outputs [B, num_out], updated row buffers)."""
    h_rows = list(h_rows)
    out = None
    for l, lp in enumerate(layers):
      pl = pads[l]
      src = x_row if l == 0 else h_rows[l]
      window = lax.dynamic_slice_in_dim(src, c, pl + 1, axis=1)  # cols c - p..c
      pre = jnp.einsum("bwi,wio->bo", window, lp["h_conv"]["kernel"]) + lp["h_conv"]["bias"]
      pre = pre + lax.dynamic_index_in_dim(v_to_h[l], c, axis=1, keepdims=False)
      pre = pre + _cond_term(lp.get("h_cond"), cond, r, c)
      out = _dense(lp["h_out"], gate(pre)) + (window[:, -1] if l > 0 else 0.0)
      if l + 1 < num_layers:
        h_rows[l + 1] = lax.dynamic_update_slice(h_rows[l + 1], out[:, None],
                                                 (0, c + pads[l + 1], 0))
    for hp in p["head"]:
      out = gate(_dense(hp["conv"], out) + _cond_term(hp.get("cond"), cond, r, c))
    return _dense(p["out"], out), tuple(h_rows)

  def sample_row(r, v_to_h):
    """Row r, one position (and group) at a time -> (values [B, W, C_in], outputs [B, W, F])."""
    def body(c, carry):
      x_row, h_rows, out_row = carry
      t = r * w + c
      drawn = []
      for g in range(groups):
        out, new_rows = position_outputs(r, c, x_row, h_rows, v_to_h)
        out_g = out[:, g * fg:(g + 1) * fg]
        value = draw(t, g, out_g).astype(jnp.float32)
        x_row = lax.dynamic_update_slice(x_row, value[:, None, :], (0, c + p0, g * cg))
        drawn.append(out_g)
      out_row = lax.dynamic_update_slice(out_row, jnp.concatenate(drawn, -1)[:, None], (0, c, 0))
      return x_row, new_rows, out_row

    x_row = jnp.zeros((b, w + p0, c_in), jnp.float32)  # left zero padding = conv padding
    h_rows = tuple([None] + [jnp.zeros((b, w + pl, ch), jnp.float32) for pl in pads[1:]])
    x_row, _, out_row = lax.fori_loop(0, w, body,
                                      (x_row, h_rows, jnp.zeros((b, w, num_out), jnp.float32)))
    return x_row[:, p0:], out_row

  def row_body(r, carry):
    canvas, v_in, outputs = carry
    v_in, v_to_h = vertical_row(r, canvas, v_in)
    x_row, out_row = sample_row(r, v_to_h)
    canvas = lax.dynamic_update_slice(canvas, x_row[:, None], (0, r + p0, p0, 0))
    outputs = lax.dynamic_update_slice(outputs, out_row[:, None], (0, r, 0, 0))
    return canvas, v_in, outputs

  canvas = jnp.zeros((b, h + p0, w + 2 * p0, c_in), jnp.float32)  # zero padding = conv padding
  v_in = tuple([None] + [jnp.zeros((b, h + pl, w + 2 * pl, ch), jnp.float32) for pl in pads[1:]])
  canvas, _, outputs = lax.fori_loop(0, h, row_body,
                                     (canvas, v_in, jnp.zeros((b, h, w, num_out), jnp.float32)))
  x = canvas[:, p0:p0 + h, p0:p0 + w]
  return (x, outputs) if return_outputs else x


def sample_naive_groups(apply_fn, shape, draw, groups: int = 1, cond=None,
                        return_outputs=False):
  """One full network pass per position and group (the reference for `sample_cached_stacks`).

  apply_fn: x [B, H, W, C_in] -> outputs [B, H, W, groups F] (apply_fn(x, cond) with cond);
  draw as in `sample_cached_stacks`. Returns x [B, H, W, C_in] (and the outputs each group was
  drawn from).
  """
  b, h, w, c_in = shape
  cg = c_in // groups

  def body(t, carry):
    x, outputs = carry
    r, c = t // w, t % w
    drawn = []
    for g in range(groups):
      out = apply_fn(x) if cond is None else apply_fn(x, cond)
      fg = out.shape[-1] // groups
      out_g = lax.dynamic_slice(out, (0, r, c, g * fg), (b, 1, 1, fg))[:, 0, 0]
      value = draw(t, g, out_g).astype(jnp.float32)
      x = lax.dynamic_update_slice(x, value[:, None, None, :], (0, r, c, g * cg))
      drawn.append(out_g)
    outputs = lax.dynamic_update_slice(outputs, jnp.concatenate(drawn, -1)[:, None, None],
                                       (0, r, c, 0))
    return x, outputs

  probe = jax.eval_shape(lambda x: apply_fn(x) if cond is None else apply_fn(x, cond),
                         jax.ShapeDtypeStruct(shape, jnp.float32))
  init = (jnp.zeros(shape, jnp.float32), jnp.zeros(probe.shape, jnp.float32))
  x, outputs = lax.fori_loop(0, h * w, body, init)
  return (x, outputs) if return_outputs else x


def softmax_draw(key):
  """draw(t, g, logits [B, 256]) -> [B, 1] on the 256 levels of [-1, 1]: a categorical draw
  with key fold_in(fold_in(key, t), g) (sub-pixel g of position t)."""
  def draw(t, g, logits):
    k = jax.random.fold_in(jax.random.fold_in(key, t), g)
    level = jax.random.categorical(k, logits.astype(jnp.float32), axis=-1)
    return (level.astype(jnp.float32) / 127.5 - 1.0)[:, None]
  return draw


def gaussian_draw(key, bound_log_var=None):
  """draw(t, g, out [B, 2Z]) -> [B, Z]: mean + exp(log_var / 2) eps, eps ~ N(0, I) with key
  fold_in(fold_in(key, t), g); `bound_log_var` maps the raw second half to the log-variance."""
  def draw(t, g, out):
    mean, log_var = jnp.split(out, 2, axis=-1)
    if bound_log_var is not None:
      log_var = bound_log_var(log_var)
    k = jax.random.fold_in(jax.random.fold_in(key, t), g)
    return mean + jnp.exp(0.5 * log_var) * jax.random.normal(k, mean.shape)
  return draw


def mixture_draw(key, num_channels: int, num_mixtures: int):
  """draw(t, 0, params [B, P]) -> [B, C]: all channels of a pixel from its logistic mixture."""
  def draw(t, g, params):
    del g
    return lik.sample_logistic_mixture(jax.random.fold_in(key, t), params, num_channels,
                                       num_mixtures)
  return draw


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
