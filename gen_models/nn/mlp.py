"""A configurable multilayer perceptron: the body of the toy generators and critics."""

from typing import Callable

import flax.linen as nn
import jax.numpy as jnp

ACTIVATIONS: dict[str, Callable] = {
    "relu": nn.relu,
    "leaky_relu": lambda x: nn.leaky_relu(x, 0.2),
    "tanh": jnp.tanh,
    "elu": nn.elu,
    "softplus": nn.softplus,
}
NORMS = ("none", "layer_norm", "batch_norm")


def activation(name: str) -> Callable:
  if name not in ACTIVATIONS:
    raise ValueError(f"unknown activation {name!r}; known: {sorted(ACTIVATIONS)}")
  return ACTIVATIONS[name]


class MLP(nn.Module):
  """`depth` hidden layers of `width` units, then a linear output of `out_dim`.

  Each hidden activation passes through `self.perturb(f'layer_{i}', h)`, an identity that lets
  callers take gradients with respect to the activations (Figure 3.1b) without changing outputs.
  """

  depth: int
  width: int
  out_dim: int
  activation: str = "relu"
  norm: str = "none"

  @nn.compact
  def __call__(self, x, train: bool = True):
    """x: [B, D_in] -> [B, out_dim]."""
    if self.norm not in NORMS:
      raise ValueError(f"unknown norm {self.norm!r}; known: {NORMS}")
    act = activation(self.activation)
    h = x
    for i in range(self.depth):
      h = nn.Dense(self.width, name=f"dense_{i}")(h)
      if self.norm == "layer_norm":
        h = nn.LayerNorm(name=f"norm_{i}")(h)
      elif self.norm == "batch_norm":
        h = nn.BatchNorm(use_running_average=not train, momentum=0.9, name=f"norm_{i}")(h)
      h = act(h)
      h = self.perturb(f"layer_{i}", h)
    return nn.Dense(self.out_dim, name="out")(h)
