"""Evaluator `critic_layer_grad_norms` (Figure 3.1b): the norm of d(critic loss)/d(activation)
for each hidden layer of an MLP critic, first layer first, on one batch of data.batch_size real
and as many generated points.

The loss is the Wasserstein part E[D(fake)] - E[D(real)] for every objective, so clipping and
penalty runs are compared on the same quantity. Computed in float64: with c = 0.001 the first
layers' gradients fall below float32's range.
"""

import jax
import jax.numpy as jnp
import numpy as np

from gen_models.evaluation import evaluator
from gen_models.objectives import gan as gan_obj


class CriticLayerGradNorms(evaluator.Evaluator):
  name = "critic_layer_grad_norms"

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    if config.model.critic.name != "mlp":
      raise ValueError(f"evaluator 'critic_layer_grad_norms' needs the MLP critic (its "
                       f"activation slots), got model.critic.name={config.model.critic.name!r}")

  def evaluate(self, state, rng, out_dir):
    n = self.config.data.batch_size
    real = self.source.eval_samples(n, self.config.train.seed)
    fake = self.task.sample(state, rng, n)
    critic = self.task.critic
    with jax.enable_x64(True):
      both = jnp.asarray(np.concatenate([real, fake]), jnp.float64)
      params = jax.tree_util.tree_map(lambda p: jnp.asarray(p, jnp.float64), state["critic"])
      shapes = jax.eval_shape(critic.init, jax.random.key(0), both)["perturbations"]
      zeros = jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, jnp.float64), shapes)

      def loss(perturb):
        scores = critic.apply({"params": params, "perturbations": perturb}, both)
        return gan_obj.wgan_critic_loss(scores[:n], scores[n:])

      grads = jax.grad(loss)(zeros)["body"]
      norms = [float(jnp.linalg.norm(grads[f"layer_{i}"]))
               for i in range(self.config.model.critic.depth)]
    return {"critic_layer_grad_norms": norms}
