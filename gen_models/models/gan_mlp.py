"""MLP generator and critic: the 2-D toy experiments of Chapter 3, and the image MLP generator
of the architecture zoo (section 3.5.1: "4-layer 512-dim ReLU MLP generator")."""

import chex
import flax.linen as nn
import jax.numpy as jnp

from gen_models.nn.mlp import MLP

OUTPUT_ACTIVATIONS = {"none": lambda h: h, "tanh": jnp.tanh, "sigmoid": nn.sigmoid}


class MLPGenerator(nn.Module):
  """z: [B, latent] -> samples [B, out_dim], or [B, *out_shape] when out_shape is given (images:
  out_dim = prod(out_shape)). Batch norm allowed (generator only)."""

  depth: int
  width: int
  out_dim: int
  activation: str = "relu"
  norm: str = "none"
  out_shape: tuple = ()
  output_activation: str = "none"

  @nn.compact
  def __call__(self, z, train: bool = True):
    chex.assert_rank(z, 2)
    if self.output_activation not in OUTPUT_ACTIVATIONS:
      raise ValueError(f"unknown output_activation {self.output_activation!r}; "
                       f"known: {sorted(OUTPUT_ACTIVATIONS)}")
    h = MLP(self.depth, self.width, self.out_dim, self.activation, self.norm, name="body")(
        z, train=train)
    if self.out_shape:
      h = h.reshape(z.shape[0], *self.out_shape)
    return OUTPUT_ACTIVATIONS[self.output_activation](h)


class MLPCritic(nn.Module):
  """x: [B, D] -> scores [B]. No batch norm: the penalty is per example."""

  depth: int
  width: int
  activation: str = "relu"
  norm: str = "none"

  @nn.compact
  def __call__(self, x):
    chex.assert_rank(x, 2)
    return MLP(self.depth, self.width, 1, self.activation, self.norm, name="body")(x)[:, 0]
