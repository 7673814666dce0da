"""MLP generator and critic for the 2-D toy experiments of Chapter 3."""

import chex
import flax.linen as nn

from gen_models.nn.mlp import MLP


class MLPGenerator(nn.Module):
  """z: [B, latent] -> samples [B, out_dim]. Batch norm allowed (generator only)."""

  depth: int
  width: int
  out_dim: int
  activation: str = "relu"
  norm: str = "none"

  @nn.compact
  def __call__(self, z, train: bool = True):
    chex.assert_rank(z, 2)
    return MLP(self.depth, self.width, self.out_dim, self.activation, self.norm, name="body")(
        z, train=train)


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
