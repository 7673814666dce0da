"""Maximum-likelihood training of the Chapter 2 image models (Table 2.1, Figure 2.4).

Latent models (VAE, PixelVAEs) minimize the one-sample negative ELBO; fully autoregressive
models (PixelCNN, Gated PixelCNN) minimize their exact NLL. Both use one optimizer
(`config.optimizer`, Adam in the presets). The task holds the model-side functions (per-image
scores, posterior means, samples, reconstructions); the evaluators named in
`config.eval.evaluators` use them (gen_models/evaluation/: test_likelihood,
likelihood_samples, reconstructions, cross_dataset_scores, latents).

Colour models (models/color.py; CIFAR-10 with `data.binarize` irrelevant) score 8-bit images
in [-1, 1] with the discretized logistic mixture (objectives/likelihood.py); an IAF-VAE's ELBO
and IWAE use its flow posterior. Training metrics add bits/dim (nats / (3072 ln 2) on CIFAR-10).
"""

import jax
import jax.numpy as jnp
import numpy as np
import optax

from gen_models import models
from gen_models.objectives import likelihood as lik
from gen_models.sampling import autoregressive
from gen_models.training import optimizers, rundir
from gen_models.training.task import Task

OBJECTIVES = ("negative_elbo", "nll")


class LikelihoodTask(Task):
  """One model, one Adam; state = {'params', 'opt', 'step'} (no batch norm in these models),
  plus 'ema_params', the params' moving average, when `optimizer.ema_decay` > 0."""

  def __init__(self, config, source):
    self.config = config
    self.source = source
    self.color = models.is_color_model(config.model)
    self.model = models.build_image_model(config.model, int(source.data_shape[-1]))
    self.has_latent, self.is_autoregressive = models.image_model_traits(config.model)
    # Mixture size and flow depth are colour-model fields (models/color.py); the binary models
    # have Bernoulli outputs and a Gaussian posterior.
    self.num_mixtures = config.model.num_mixtures if self.color else None
    self.has_flow = self.color and config.model.num_iaf_steps > 0
    expected = "negative_elbo" if self.has_latent else "nll"
    if config.objective.name != expected:
      raise ValueError(f"objective.name {config.objective.name!r} does not fit model "
                       f"{config.model.name!r}; use {expected!r}")
    self.kl_warmup = config.objective.kl_warmup_steps
    self.tx = optimizers.build_optimizer(config.optimizer, config.train.num_steps)
    # A run directory written before the field existed reads as its default (no average).
    self.ema_decay = float(config.optimizer.ema_decay if "ema_decay" in config.optimizer
                           else rundir.ADDED_KEY_DEFAULTS["optimizer.ema_decay"])
    if not 0.0 <= self.ema_decay < 1.0:
      raise ValueError(f"optimizer.ema_decay must be in [0, 1) (0: no average), got "
                       f"{self.ema_decay}")
    self.num_dims = int(np.prod(source.data_shape))
    # params are arguments, not constants: each compiles once per run
    self._jit_encode = jax.jit(self.encode)
    self._jit_flow_mean = jax.jit(self._flow_mean)
    self._jit_factorized_sample = jax.jit(self._factorized_sample, static_argnums=(3,))
    self._jit_autoregressive_sample = jax.jit(self._autoregressive_sample, static_argnums=(3,))

  # ---- model closures ----------------------------------------------------------------------
  def encode(self, params, x):
    return self.model.apply({"params": params}, x, method="encode")

  def decode(self, params, z, x):
    return self.model.apply({"params": params}, z, x, method="decode")

  def posterior(self, params, x):
    """q(z | x): (mean, log_var) [B, Z], plus the flow transform z0 -> (z, log|det|) of an
    IAF posterior (the form objectives.likelihood.latent_model_scores takes)."""
    out = self.encode(params, x)
    if not self.color:
      return out
    mean, log_var, context = out
    if not self.has_flow:
      return mean, log_var
    return mean, log_var, lambda z0: self.model.apply({"params": params}, z0, context,
                                                      method="transform")

  def pixel_log_likelihood(self, outputs, x):
    """log p(x | the model's per-pixel outputs) per image [B]: Bernoulli logits, or logistic
    mixture parameters for the colour models."""
    if self.color:
      return lik.logistic_mixture_log_likelihood(outputs, x, self.num_mixtures)
    return lik.bernoulli_log_likelihood(outputs, x)

  def log_px_given_z(self, params, z, x):
    return self.pixel_log_likelihood(self.decode(params, z, x), x)

  def logits(self, params, x):
    """Per-pixel outputs of a fully autoregressive model (logits or mixture parameters)."""
    return self.model.apply({"params": params}, x)

  def exact_log_likelihood(self, params, x):
    return self.pixel_log_likelihood(self.logits(params, x), x)

  # ---- Task interface ----------------------------------------------------------------------
  def init(self, rng, batch):
    x = batch["x"][0]
    if self.has_latent:
      z = jnp.zeros((x.shape[0], self.config.model.latent_dim), x.dtype)
      params = self.model.init(rng, x, z)["params"]
    else:
      params = self.model.init(rng, x)["params"]
    state = {"params": params, "opt": self.tx.init(params), "step": jnp.zeros((), jnp.int32)}
    if self.ema_decay:
      state["ema_params"] = params
    return state

  def loss(self, params, x, rng, step):
    """-> (scalar loss to minimize, metrics). Per-image nats averaged over the batch."""
    if not self.has_latent:
      nll = -jnp.mean(self.exact_log_likelihood(params, x))
      return nll, {"loss": nll, "nll": nll, **self._bpd({"nll": nll})}
    posterior = self.posterior(params, x)
    log_px = lambda z: self.log_px_given_z(params, z, x)  # noqa: E731
    if len(posterior) == 3:
      terms = lik.negative_elbo_flow(*posterior, log_px, rng)
    else:
      terms = lik.negative_elbo(*posterior, log_px, rng)
    reconstruction, kl = jnp.mean(terms["reconstruction"]), jnp.mean(terms["kl"])
    # KL warm-up over objective.kl_warmup_steps (0: none; the PixelVAE authors' scripts ramp the
    # KL weight 0 -> 1 linearly); the logged `nelbo` is always the true bound.
    weight = 1.0 if not self.kl_warmup else jnp.minimum(1.0, (step + 1.0) / self.kl_warmup)
    loss = reconstruction + weight * kl
    return loss, {"loss": loss, "nelbo": reconstruction + kl, "kl": kl,
                  "reconstruction": reconstruction, "kl_weight": jnp.asarray(weight, jnp.float32),
                  **self._bpd({"nelbo": reconstruction + kl})}

  def _bpd(self, nats: dict) -> dict:
    """Bits/dim of the colour models' training NLL / bound (the CIFAR-10 unit)."""
    if not self.color:
      return {}
    return {f"{k}_bpd": lik.nats_to_bits_per_dim(v, self.num_dims) for k, v in nats.items()}

  def train_step(self, state, batch, rng):
    x = batch["x"][0]  # [B, H, W, C]
    (_, metrics), grads = jax.value_and_grad(self.loss, has_aux=True)(
        state["params"], x, rng, state["step"])
    updates, opt = self.tx.update(grads, state["opt"], state["params"])
    params = optax.apply_updates(state["params"], updates)
    metrics["grad_norm"] = optax.tree.norm(grads)
    new_state = {"params": params, "opt": opt, "step": state["step"] + 1}
    if self.ema_decay:
      new_state["ema_params"] = optimizers.averaged_params(
          state["ema_params"], params, self.ema_decay, state["step"])
    return new_state, metrics

  # ---- model-side functions the evaluators call (gen_models/evaluation/) -----------------
  def eval_params(self, state):
    """The params every evaluator uses (scores, samples, reconstructions, latents): their
    moving average when the run keeps one, else the trained params."""
    return state["ema_params"] if self.ema_decay else state["params"]

  def scores(self, params, x, key, iwae_samples: int, iwae_chunk: int):
    """Per-image scores of x [b, ...] (objectives.likelihood.latent_model_scores): dict of [b]. A latent model
    gives elbo, kl, reconstruction and (iwae_samples > 0) iwae; an autoregressive one exact."""
    if self.has_latent:
      return lik.latent_model_scores(
          lambda v: self.posterior(params, v), lambda z, v: self.log_px_given_z(params, z, v),
          x, key, iwae_samples, iwae_chunk)
    if self.color:
      return {"exact": self.exact_log_likelihood(params, x)}
    return lik.autoregressive_scores(lambda v: self.logits(params, v), x)

  def posterior_mean(self, params, x):
    """Means of q(z|x) [B, Z] for x [B, ...] (an IAF posterior's: of z0, before the flow)."""
    self._require_latent("posterior_mean")
    return self.encode(params, x)[0]

  def _require_latent(self, what: str) -> None:
    if not self.has_latent:
      raise ValueError(f"{what} needs a latent-variable model; {self.config.model.name!r} has "
                       f"no latent")

  # ---- sampling ----------------------------------------------------------------------------
  def _pixels(self, params, key, z, shape):
    """Draws images [n, H, W, C] from p(x) or p(x | z) (z None: no latent)."""
    if self.config.model.name in ("vae", "color_vae", "iaf_vae"):
      return self._jit_factorized_sample(params, key, z, shape)
    return self._jit_autoregressive_sample(params, key, z, shape)

  def _autoregressive_sample(self, params, key, z, shape):
    """Raster-order ancestral sampling; the cached sampler where the net is gated."""
    if self.color:
      return autoregressive.sample_color_model(self.model, {"params": params}, key, shape,
                                               self.num_mixtures, z=z)
    cached = self.config.model.name.startswith("gated_")
    return autoregressive.sample_model(self.model, {"params": params}, key, shape, z=z,
                                       cached=cached)

  def _factorized_sample(self, params, key, z, shape):
    """One decoder pass, then one Bernoulli (or mixture) draw per pixel (the decoder ignores x)."""
    logits = self.decode(params, z, jnp.zeros(shape, jnp.float32))
    if self.color:
      return lik.sample_logistic_mixture(key, logits, shape[-1], self.num_mixtures)
    return (jax.random.uniform(key, logits.shape) < jax.nn.sigmoid(logits)).astype(jnp.float32)

  def sample(self, state, rng, n: int) -> np.ndarray:
    """n model samples [n, H, W, C] in {0, 1} (binary) or on the 256 levels of [-1, 1]."""
    shape = (n,) + tuple(self.source.data_shape)
    k_z, k_x = jax.random.split(rng)
    z = (jax.random.normal(k_z, (n, self.config.model.latent_dim))
         if self.has_latent else None)
    return np.asarray(self._pixels(self.eval_params(state), k_x, z, shape))

  def reconstruct(self, state, rng, x) -> np.ndarray:
    """x [n, H, W, C] -> a draw from p(x | z) [n, H, W, C], z the mean of q(z|x) (pushed through
    the flow for an IAF posterior)."""
    self._require_latent("reconstruct")
    params, x = self.eval_params(state), jnp.asarray(x)
    z = self._jit_flow_mean(params, x) if self.has_flow else self._jit_encode(params, x)[0]
    return np.asarray(self._pixels(params, rng, z, x.shape))

  def _flow_mean(self, params, x):
    """The IAF posterior's mean noise pushed through the flow: z = f(mean of q(z0 | x))."""
    mean, _, transform = self.posterior(params, x)
    return transform(mean)[0]
