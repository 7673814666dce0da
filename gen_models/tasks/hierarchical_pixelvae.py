"""Maximum-likelihood training of the hierarchical PixelVAE (thesis section 2.3.1, 2.4.2-2.4.3).

A `LikelihoodTask` (config.task 'likelihood', model.name 'hierarchical_pixelvae'; tasks/__init__
dispatches) whose model has batch norm, so its state is {'params', 'batch_stats', 'opt',
'step'}: the train step runs the ResNets on batch statistics and carries the running averages,
everything else (scores, samples, figures) runs in eval mode on the running averages.

Loss per image (nats), the thesis' bound with L = 2:
  -log p(x | z1) + KL(q(z1|x) || p(z1|z2)) + KL(q(z2|x) || N(0, I)),  z_i ~ q(z_i | x)
The z1 term is the one-sample estimate log q(z1|x) - log p(z1|z2) (the prior is autoregressive,
so it has no closed form); the z2 term is analytic. One level: -log p(x|z) + KL(q(z|x) || N(0,I)).
Metrics and test results report the split (kl_z1, kl_z2) and bits/dim (nats / (D ln 2)).
Evaluation adds the IWAE bound with k joint samples (z1, z2) ~ q (objectives/likelihood.py
`iwae_from_log_weights`).
"""

import jax
import jax.numpy as jnp
import numpy as np
import optax

from gen_models.models import hierarchical_pixelvae as hpv
from gen_models.objectives import likelihood as lik
from gen_models.sampling import autoregressive as ar
from gen_models.tasks.likelihood import LikelihoodTask
from gen_models.training import optimizers


class HierarchicalPixelVAETask(LikelihoodTask):
  """State {'params', 'batch_stats', 'opt', 'step'}; one Adam."""

  def __init__(self, config, source):  # pylint: disable=super-init-not-called
    # The base class builds the Chapter 2 models; this family builds its own and shares the
    # rest (bits/dim, the evaluators' entry points).
    self.config = config
    self.source = source
    mcfg = config.model
    data_shape = tuple(source.data_shape)
    self.model = hpv.build_hierarchical_pixelvae(mcfg, data_shape)
    self.color = True
    self.has_latent, self.is_autoregressive = True, mcfg.pixel_decoder == "pixelcnn"
    self.num_mixtures = mcfg.num_mixtures
    self.has_flow = False
    self.num_levels = mcfg.num_levels
    if config.objective.name != "negative_elbo":
      raise ValueError(f"objective.name {config.objective.name!r} does not fit the hierarchical "
                       f"PixelVAE; use 'negative_elbo'")
    self.kl_warmup = config.objective.kl_warmup_steps
    self.tx = optimizers.build_optimizer(config.optimizer, config.train.num_steps)
    self.num_dims = int(np.prod(data_shape))
    self._jit_sample = jax.jit(self.sample_levels, static_argnums=(2, 3))
    self._jit_reconstruct = jax.jit(self._reconstruct, static_argnums=(3,))

  # ---- model closures ----------------------------------------------------------------------
  @staticmethod
  def variables(state) -> dict:
    return {"params": state["params"], "batch_stats": state["batch_stats"]}

  def eval_params(self, state):
    """What `scores` takes as `params`: the params and the batch-norm running averages."""
    return self.variables(state)

  def pixel_log_likelihood(self, outputs, x):
    if self.config.model.pixel_output == "softmax":
      return lik.categorical_log_likelihood(outputs, x)
    return lik.logistic_mixture_log_likelihood(outputs, x, self.num_mixtures)

  def _z_shapes(self, n):
    return self.model.z1_shape(n), (n, self.config.model.z2_dim)

  def terms(self, variables, x, key, train: bool):
    """Per-image [B] terms of the one-sample negative ELBO: reconstruction, kl_z1, (kl_z2), kl,
    nelbo. With `train` -> (terms, new batch_stats) (batch norm on batch statistics)."""
    two = self.num_levels == 2

    def fn(m, x, key):
      k1, k2 = jax.random.split(key)
      q = m.encode(x, train)
      mean1, lv1 = q["z1"]
      z1 = lik.reparameterize(k1, mean1, lv1)
      out = {}
      if two:
        mean2, lv2 = q["z2"]
        z2 = lik.reparameterize(k2, mean2, lv2)
        out["kl_z2"] = lik.gaussian_kl_to_standard(mean2, lv2)
        out["kl_z1"] = lik.single_sample_kl(z1, mean1, lv1, *m.z1_prior(z2, z1, train))
      else:
        out["kl_z1"] = lik.gaussian_kl_to_standard(mean1, lv1)
      out["reconstruction"] = -self.pixel_log_likelihood(m.pixel_outputs(z1, x, train), x)
      out["kl"] = out["kl_z1"] + out.get("kl_z2", 0.0)
      out["nelbo"] = out["reconstruction"] + out["kl"]
      return out

    if train:
      out, new = self.model.apply(variables, x, key, method=fn, mutable=["batch_stats"])
      return out, new["batch_stats"]
    return self.model.apply(variables, x, key, method=fn)

  # ---- Task interface ----------------------------------------------------------------------
  def init(self, rng, batch):
    x = batch["x"][0]
    z1_shape, z2_shape = self._z_shapes(x.shape[0])
    z2 = jnp.zeros(z2_shape, x.dtype) if self.num_levels == 2 else None
    variables = self.model.init(rng, x, jnp.zeros(z1_shape, x.dtype), z2)
    params = variables["params"]
    return {"params": params, "batch_stats": variables["batch_stats"],
            "opt": self.tx.init(params), "step": jnp.zeros((), jnp.int32)}

  def loss(self, params, batch_stats, x, rng, step):
    """-> (scalar loss, (metrics, new batch_stats)); per-image nats averaged over the batch."""
    terms, stats = self.terms({"params": params, "batch_stats": batch_stats}, x, rng, True)
    means = {k: jnp.mean(v) for k, v in terms.items()}
    weight = 1.0 if not self.kl_warmup else jnp.minimum(1.0, (step + 1.0) / self.kl_warmup)
    loss = means["reconstruction"] + weight * means["kl"]
    metrics = {"loss": loss, **means, "kl_weight": jnp.asarray(weight, jnp.float32),
               **self._bpd({k: means[k] for k in ("nelbo", "reconstruction", "kl_z1")}),
               **({"kl_z2_bpd": lik.nats_to_bits_per_dim(means["kl_z2"], self.num_dims)}
                  if "kl_z2" in means else {})}
    return loss, (metrics, stats)

  def train_step(self, state, batch, rng):
    x = batch["x"][0]
    (_, (metrics, stats)), grads = jax.value_and_grad(self.loss, has_aux=True)(
        state["params"], state["batch_stats"], x, rng, state["step"])
    updates, opt = self.tx.update(grads, state["opt"], state["params"])
    params = optax.apply_updates(state["params"], updates)
    metrics["grad_norm"] = optax.tree.norm(grads)
    return {"params": params, "batch_stats": stats, "opt": opt, "step": state["step"] + 1}, metrics

  # ---- evaluation --------------------------------------------------------------------------
  def scores(self, params, x, key, iwae_samples: int, iwae_chunk: int):
    """params: `eval_params(state)`. -> per-image [B]: elbo, kl, kl_z1, (kl_z2),
    reconstruction and (iwae_samples > 0) iwae."""
    k_elbo, k_iwae = jax.random.split(key)
    terms = self.terms(params, x, k_elbo, train=False)
    scores = {"elbo": -terms["nelbo"], **{k: v for k, v in terms.items() if k != "nelbo"}}
    if iwae_samples:
      scores["iwae"] = self.iwae(params, x, k_iwae, iwae_samples, iwae_chunk)
    return scores

  def iwae(self, variables, x, key, num_samples: int, chunk_size: int):
    """log (1/k) sum_i p(x, z1_i, z2_i) / q(z1_i, z2_i | x), (z1_i, z2_i) ~ q, per image [B]."""
    two = self.num_levels == 2
    q = self.model.apply(variables, x, method="encode")

    def log_weight(m, x, i):
      k1, k2 = jax.random.split(jax.random.fold_in(key, i))
      mean1, lv1 = q["z1"]
      z1 = lik.reparameterize(k1, mean1, lv1)
      log_w = (-lik.gaussian_log_density_per_example(z1, mean1, lv1)
               + self.pixel_log_likelihood(m.pixel_outputs(z1, x), x))
      if two:
        mean2, lv2 = q["z2"]
        z2 = lik.reparameterize(k2, mean2, lv2)
        log_w += (lik.gaussian_log_density_per_example(z1, *m.z1_prior(z2, z1))
                  + lik.standard_normal_log_density(z2)
                  - lik.gaussian_log_density_per_example(z2, mean2, lv2))
      else:
        log_w += lik.standard_normal_log_density(z1)
      return log_w

    one = lambda i: self.model.apply(variables, x, i, method=log_weight)  # noqa: E731
    return lik.iwae_from_log_weights(jax.vmap(one), x.shape[0], num_samples, chunk_size)

  def posterior_mean(self, params, x):
    raise ValueError("the hierarchical PixelVAE has no single latent vector to embed (the "
                     "`latents` evaluator does not apply)")

  # ---- sampling ----------------------------------------------------------------------------
  def sample_levels(self, variables, keys, n: int, cached: bool = True):
    """Top-down ancestral sampling: z2 ~ N(0, I) with keys[0], z1 ~ p(z1 | z2) with keys[1],
    x ~ p(x | z1) with keys[2] (one level: z ~ N(0, I) with keys[1]). Holding two keys fixed
    and varying the third varies one level's noise only (Figure 2.6). -> x [n, S, S, 3]."""
    k2, k1, k0 = keys
    z1_shape, z2_shape = self._z_shapes(n)
    if self.num_levels == 2:
      z1 = self.sample_z1(variables, jax.random.normal(k2, z2_shape), k1, cached)
    else:
      z1 = jax.random.normal(k1, z1_shape)
    return self.sample_x(variables, z1, k0, cached)

  def sample_z1(self, variables, z2, key, cached: bool = True):
    """z1 ~ p(z1 | z2) [n, L, L, Z1]: the latent PixelCNN sampled position by position (all
    channels of a position at once), cached or naive; one pass for the non-autoregressive
    decoders."""
    m, n = self.model, z2.shape[0]
    shape = m.z1_shape(n)
    dec = self.config.model.latent_decoder
    if dec == "standard_normal":
      return jax.random.normal(key, shape)
    if dec == "gaussian":
      mean, lv = m.apply(variables, z2, jnp.zeros(shape), method="z1_prior")
      return mean + jnp.exp(0.5 * lv) * jax.random.normal(key, shape)
    cond = m.apply(variables, z2, method="z1_conditioning")
    net, params = m.latent_net(), variables["params"]["z1_net"]
    draw = ar.gaussian_draw(key, hpv.bounded_log_var)
    return self._sample_net(net, params, shape, draw, 1, cond, cached)

  def sample_x(self, variables, z1, key, cached: bool = True):
    """x ~ p(x | z1) [n, S, S, 3] on the 256 levels of [-1, 1]: sub-pixel by sub-pixel (R, G, B)
    with the softmax output, pixel by pixel with the mixture; one pass when factorized."""
    m, cfg = self.model, self.config.model
    shape = (z1.shape[0], m.image_size, m.image_size, m.image_channels)
    softmax = cfg.pixel_output == "softmax"
    if cfg.pixel_decoder == "factorized":
      out = m.apply(variables, z1, jnp.zeros(shape), method="pixel_outputs")
      if softmax:
        logits = out.reshape(shape + (hpv.NUM_LEVELS,))
        return jax.random.categorical(key, logits, axis=-1) / 127.5 - 1.0
      return lik.sample_logistic_mixture(key, out, shape[-1], self.num_mixtures)
    cond = m.apply(variables, z1, method="pixel_conditioning")
    draw = (ar.softmax_draw(key) if softmax
            else ar.mixture_draw(key, shape[-1], self.num_mixtures))
    return self._sample_net(m.pixel_net(), variables["params"]["pixel_cnn"], shape, draw,
                            m.pixel_groups(), cond, cached)

  @staticmethod
  def _sample_net(net, params, shape, draw, groups, cond, cached):
    if cached and net.num_layers > 0:
      plain = hpv.plain_params(net, params, shape[-1])
      return ar.sample_cached_stacks(plain, net.kernel_sizes(), net.channels, shape, draw,
                                     groups, cond)
    apply_fn = lambda x, c: net.apply({"params": params}, x, c)  # noqa: E731
    return ar.sample_naive_groups(apply_fn, shape, draw, groups, cond)

  def sample(self, state, rng, n: int) -> np.ndarray:
    keys = tuple(jax.random.split(rng, 3))
    return np.asarray(self._jit_sample(self.variables(state), keys, n, True))

  def _reconstruct(self, variables, key, x, from_top: bool):
    k1, k0 = jax.random.split(key)
    q = self.model.apply(variables, x, method="encode")
    if from_top and self.num_levels == 2:
      z1 = self.sample_z1(variables, q["z2"][0], k1)
    else:
      z1 = q["z1"][0]
    return self.sample_x(variables, z1, k0)

  def reconstruct(self, state, rng, x, from_top: bool = False) -> np.ndarray:
    """A draw from p(x | z1 = the mean of q(z1|x)); `from_top`: z1 ~ p(z1 | z2 = the mean of
    q(z2|x)) first (Figure A.1's top-down generations from the highest level)."""
    return np.asarray(self._jit_reconstruct(self.variables(state), rng, jnp.asarray(x),
                                            from_top))


__all__ = ["HierarchicalPixelVAETask"]
