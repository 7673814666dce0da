"""Inverse autoregressive flow (Kingma et al. 2016; thesis section 4.2.2, the CIFAR-10 IAF-VAE).

One step maps z [B, Z] to z' = sigma * z + (1 - sigma) * m, where (m, s) = f(z, context) is an
autoregressive network (MADE masks: output d sees only z_<d) and sigma = sigmoid(s). The
Jacobian dz'/dz is lower triangular with diagonal sigma, so log|det| = sum_d log sigma_d,
computed in one parallel pass. Steps alternate the order of z (a reversal, |det| = 1), so two
steps let every coordinate depend on every other ("two levels of autoregressive inverse
transforms", thesis section 4.3.2).
"""

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

# Kingma et al. start sigma near 1 (s biased to +1 .. +2) so that early on each step is close to
# the identity and the posterior starts as the encoder's diagonal Gaussian.
GATE_BIAS = 2.0


def made_masks(num_inputs: int, hidden: int):
  """(input -> hidden [Z, H], hidden -> hidden [H, H], hidden -> output [H, Z]) 0/1 masks.

  Input d has degree d (1..Z); hidden unit u has degree 1 + (u mod (Z - 1)) (1 when Z = 1);
  a hidden unit sees inputs of degree <= its own, and output d sees hidden units of degree < d,
  so output d depends on inputs 1..d-1 only (output 1 on none: its m, s are biases and context).
  """
  in_deg = np.arange(1, num_inputs + 1)
  hid_deg = 1 + np.arange(hidden) % max(1, num_inputs - 1)
  to_hidden = (hid_deg[None, :] >= in_deg[:, None]).astype(np.float32)
  hidden_to_hidden = (hid_deg[None, :] >= hid_deg[:, None]).astype(np.float32)
  to_output = (in_deg[None, :] > hid_deg[:, None]).astype(np.float32)
  return to_hidden, hidden_to_hidden, to_output


class IAFStep(nn.Module):
  """(z [B, Z], context [B, C] or None) -> (z' [B, Z], log|det dz'/dz| [B])."""

  hidden: int = 256

  @nn.compact
  def __call__(self, z, context=None):
    num = z.shape[-1]
    m_in, m_hid, m_out = (jnp.asarray(m) for m in made_masks(num, self.hidden))
    # Masked dense layers: the kernels are multiplied by the MADE masks on every call.
    w_in = self.param("w_in", nn.initializers.lecun_normal(), (num, self.hidden))
    h = z @ (w_in * m_in) + self.param("b_in", nn.initializers.zeros, (self.hidden,))
    if context is not None:
      h = h + nn.Dense(self.hidden, use_bias=False, name="context")(context)
    h = nn.elu(h)
    w_hid = self.param("w_hid", nn.initializers.lecun_normal(), (self.hidden, self.hidden))
    h = nn.elu(h @ (w_hid * m_hid) + self.param("b_hid", nn.initializers.zeros, (self.hidden,)))
    w_m = self.param("w_m", nn.initializers.lecun_normal(), (self.hidden, num))
    w_s = self.param("w_s", nn.initializers.lecun_normal(), (self.hidden, num))
    m = h @ (w_m * m_out) + self.param("b_m", nn.initializers.zeros, (num,))
    s = h @ (w_s * m_out) + self.param("b_s", nn.initializers.constant(GATE_BIAS), (num,))
    sigma = jax.nn.sigmoid(s)
    return sigma * z + (1.0 - sigma) * m, jnp.sum(jax.nn.log_sigmoid(s), axis=-1)


class IAFFlow(nn.Module):
  """`num_steps` IAF steps with the order of z reversed between them.

  (z0 [B, Z], context) -> (z_T [B, Z], sum of the steps' log|det| [B])."""

  num_steps: int
  hidden: int = 256

  @nn.compact
  def __call__(self, z, context=None):
    log_det = jnp.zeros(z.shape[:1], z.dtype)
    for t in range(self.num_steps):
      if t:
        z = z[..., ::-1]
      z, step_log_det = IAFStep(self.hidden, name=f"step_{t}")(z, context)
      log_det = log_det + step_log_det
    return z, log_det
