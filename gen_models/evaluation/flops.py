"""FLOPs of a model's forward pass, from XLA's cost analysis of the lowered (not compiled)
program, and the `flops_table_2_2` job (Table 2.2's FLOPs column; gen_models/runs/jobs.py).

XLA counts a multiply-add as 2 FLOPs; parameters and inputs are abstract (shapes only), so no
weights are allocated and nothing runs: a 64x64 count takes seconds on a CPU.
"""

import jax
import jax.numpy as jnp

from gen_models.models import hierarchical_pixelvae as hpv

# The forward passes whose cost the job counts, as results.json names them.
PIXELVAE, PIXELCNN = "hierarchical_pixelvae", "gated_pixelcnn"


def forward_flops(fn, *args) -> float:
  """XLA's FLOP count of fn(*args); args may be jax.ShapeDtypeStruct pytrees."""
  cost = jax.jit(fn).lower(*args).cost_analysis()
  if isinstance(cost, (list, tuple)):  # older JAX: one dict per computation
    cost = cost[0]
  return float(cost["flops"])


def _abstract(tree):
  """The shapes of a pytree of arrays or ShapeDtypeStructs, as ShapeDtypeStructs."""
  return jax.tree_util.tree_map(lambda a: jax.ShapeDtypeStruct(a.shape, a.dtype), tree)


def hierarchical_pixelvae_flops(model_cfg, image_size: int, batch_size: int = 1) -> float:
  """FLOPs of the training-time forward pass (the likelihood bound's network outputs: both
  encoders, the top decoder with its latent PixelCNN over z1, the bottom decoder and the pixel
  PixelCNN; batch norm in eval mode) of the hierarchical PixelVAE `model_cfg`
  (models.hierarchical_config fields) on `batch_size` RGB images of `image_size`^2."""
  model = hpv.build_hierarchical_pixelvae(model_cfg, (image_size, image_size, 3))
  x = jax.ShapeDtypeStruct((batch_size, image_size, image_size, 3), jnp.float32)
  z1 = jax.ShapeDtypeStruct(model.z1_shape(batch_size), jnp.float32)
  z2 = jax.ShapeDtypeStruct((batch_size, model_cfg.z2_dim), jnp.float32)
  variables = jax.eval_shape(lambda x, z1, z2: model.init(jax.random.key(0), x, z1, z2),
                             x, z1, z2)
  return forward_flops(lambda v, x, z1, z2: model.apply(v, x, z1, z2),
                       _abstract(variables), x, z1, z2)


def gated_pixelcnn_flops(layers: int, channels: int, kernel_size: int, image_size: int,
                         batch_size: int = 1) -> float:
  """FLOPs of the forward pass of our gated PixelCNN over RGB images (blind-spot-free gated
  stacks with R/G/B sub-pixel masks, `layers` layers of `channels` feature maps with
  `kernel_size` filters, two gated 1x1 layers, a 256-way softmax per sub-pixel) on
  `batch_size` images of `image_size`^2."""
  net = hpv.GroupedGatedPixelCNN(layers, channels, hpv.NUM_LEVELS, groups=3,
                                 first_kernel_size=kernel_size, kernel_size=kernel_size)
  x = jax.ShapeDtypeStruct((batch_size, image_size, image_size, 3), jnp.float32)
  params = jax.eval_shape(lambda x: net.init(jax.random.key(0), x), x)
  return forward_flops(lambda p, x: net.apply(p, x), _abstract(params), x)


def flops_table_2_2(config, workdir) -> dict:
  """The `flops_table_2_2` job: FLOPs per image of the forward pass of the hierarchical
  PixelVAE `config.job.pixelvae` and of the gated PixelCNN `config.job.pixelcnn` (layers,
  channels, kernel_size) at `config.job.image_size`, counted at `config.job.batch_size`.
  -> {"flops_per_image": {PIXELVAE: float, PIXELCNN: float}, "image_size", "batch_size"}."""
  del workdir  # writes no files
  job = config.job
  size, batch = int(job.image_size), int(job.batch_size)
  counts = {
      PIXELVAE: hierarchical_pixelvae_flops(job.pixelvae, size, batch),
      PIXELCNN: gated_pixelcnn_flops(job.pixelcnn.layers, job.pixelcnn.channels,
                                     job.pixelcnn.kernel_size, size, batch),
  }
  return {"flops_per_image": {k: v / batch for k, v in counts.items()}, "image_size": size,
          "batch_size": batch,
          "counter": "XLA HLO cost analysis of the lowered forward pass (multiply-add = 2)"}
