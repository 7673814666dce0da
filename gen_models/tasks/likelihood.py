"""Maximum-likelihood training of the Chapter 2 image models (Table 2.1, Figure 2.4).

Latent models (VAE, PixelVAEs) minimize the one-sample negative ELBO; fully autoregressive
models (PixelCNN, Gated PixelCNN) minimize their exact NLL. Both use one optimizer
(`config.optimizer`, Adam in the presets). Evaluation scores the fixed-binarized test set
(ELBO and IWAE, or exact NLL), writes `scores.npz` (per-image log-likelihoods, higher = more
normal, with labels: the OOD protocol of Chapter 4 reads it) and sample/reconstruction grids.

Colour models (models/color.py; CIFAR-10 with `data.binarize` irrelevant) score 8-bit images
in [-1, 1] with the discretized logistic mixture (objectives/likelihood.py); an IAF-VAE's ELBO
and IWAE use its flow posterior. Results add bits/dim (nats / (3072 ln 2) on CIFAR-10).
"""

import pathlib
import time

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import optax

from gen_models import data as data_lib, models
from gen_models.evaluation import batching, likelihood as lik_eval
from gen_models.objectives import likelihood as lik
from gen_models.plotting import image_grid
from gen_models.sampling import autoregressive
from gen_models.training import optimizers
from gen_models.training.task import Task

OBJECTIVES = ("negative_elbo", "nll")


class LikelihoodTask(Task):
  """One model, one Adam; state = {'params', 'opt', 'step'} (no batch norm in these models)."""

  def __init__(self, config, source):
    self.config = config
    self.source = source
    self.color = models.is_color_model(config.model)
    self.model = models.build_image_model(config.model, int(source.data_shape[-1]))
    self.has_latent, self.is_autoregressive = models.image_model_traits(config.model)
    self.num_mixtures = config.model.get("num_mixtures", 0)
    self.has_flow = self.color and config.model.get("num_iaf_steps", 0) > 0
    expected = "negative_elbo" if self.has_latent else "nll"
    if config.objective.name != expected:
      raise ValueError(f"objective.name {config.objective.name!r} does not fit model "
                       f"{config.model.name!r}; use {expected!r}")
    self.kl_warmup = config.objective.get("kl_warmup_steps", 0)
    self.tx = optimizers.build_optimizer(config.optimizer, config.train.num_steps)
    self.num_dims = int(np.prod(source.data_shape))
    # params are arguments, not constants: each compiles once per run
    self._jit_scores = jax.jit(self.scores)
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
    IAF posterior (the form evaluation.likelihood.latent_model_scores takes)."""
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
    return {"params": params, "opt": self.tx.init(params), "step": jnp.zeros((), jnp.int32)}

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
    # Optional KL warm-up (the PixelVAE authors' scripts ramp the KL weight 0 -> 1 linearly);
    # the logged `nelbo` is always the true bound.
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
    return {"params": params, "opt": opt, "step": state["step"] + 1}, metrics

  # ---- evaluation --------------------------------------------------------------------------
  def scores(self, params, x, key):
    """Per-image scores of x [b, ...] (see evaluation.likelihood): dict of [b]."""
    ecfg = self.config.eval
    if self.has_latent:
      return lik_eval.latent_model_scores(
          lambda v: self.posterior(params, v), lambda z, v: self.log_px_given_z(params, z, v),
          x, key, ecfg.iwae_samples, ecfg.iwae_chunk)
    if self.color:
      return {"exact": self.exact_log_likelihood(params, x)}
    return lik_eval.autoregressive_scores(lambda v: self.logits(params, v), x)

  def evaluate(self, state, rng, workdir) -> dict:
    ecfg = self.config.eval
    workdir = pathlib.Path(workdir)
    k_score, k_sample, k_recon = jax.random.split(rng, 3)
    x, labels = self.source.eval_set(ecfg.split, ecfg.num_test_examples)
    start = time.perf_counter()
    params = state["params"]
    scores = batching.map_batches(lambda v, k: self._jit_scores(params, v, k), x,
                                  ecfg.batch_size, key=k_score, dtype=np.float64)
    seconds = time.perf_counter() - start
    results = lik_eval.summarize(scores, self.num_dims)
    results.update(num_test_examples=int(len(labels)), eval_split=ecfg.split,
                   eval_examples_per_s=float(len(labels) / seconds))
    if self.has_latent:
      results["iwae_samples"] = int(ecfg.iwae_samples)
    # The scored (binarized or 8-bit) images go along so the OOD protocol can compute their
    # PNG code length for the input-complexity-corrected score.
    np.savez_compressed(workdir / "scores.npz", labels=np.asarray(labels, np.int32),
                        images=image_grid.to_uint8(x, data_lib.value_range(self.config.data)),
                        **{k: v for k, v in scores.items() if k in ("elbo", "iwae", "exact")})
    if ecfg.num_samples:
      self._write_figures(state["params"], x[:ecfg.num_samples], k_sample, k_recon, workdir)
    if ecfg.get("ood_dataset", ""):
      results.update(self._write_cross_dataset_scores(
          lambda v, k: self._jit_scores(params, v, k), x, scores, k_score, workdir))
    if self.has_latent and ecfg.get("latent_train_examples", 0):
      self._write_latents(params, x, labels, workdir)
    return results

  def _write_cross_dataset_scores(self, score_batch, x_in, scores_in, key, workdir) -> dict:
    """Scores the evaluation split of `eval.ood_dataset` (e.g. MNIST for a Fashion-MNIST model)
    and writes cross_dataset_scores.npz: labels 0 (in-distribution) / 1 (OOD), one
    log-likelihood array per score over both sets, and their images. -> OOD summary results."""
    ecfg = self.config.eval
    ood_data = ml_collections.ConfigDict(self.config.data.to_dict())
    ood_data.name, ood_data.keep_classes, ood_data.drop_classes = ecfg.ood_dataset, (), ()
    x_ood, _ = data_lib.build_source(ood_data, self.config.train.seed).eval_set(
        ecfg.split, ecfg.num_test_examples)
    scores_ood = batching.map_batches(score_batch, x_ood, ecfg.batch_size,
                                      key=jax.random.fold_in(key, 1), dtype=np.float64)
    names = [k for k in ("elbo", "iwae", "exact") if k in scores_in]
    images = np.concatenate([np.asarray(x_in), np.asarray(x_ood)])
    np.savez_compressed(
        pathlib.Path(workdir) / "cross_dataset_scores.npz",
        labels=np.concatenate([np.zeros(len(x_in), np.int32), np.ones(len(x_ood), np.int32)]),
        images=image_grid.to_uint8(images, data_lib.value_range(self.config.data)),
        **{k: np.concatenate([scores_in[k], scores_ood[k]]) for k in names})
    summary = lik_eval.summarize(scores_ood, self.num_dims)
    return {"ood_dataset": ecfg.ood_dataset, **{f"ood_{k}": v for k, v in summary.items()}}

  def _posterior_means(self, params, x) -> np.ndarray:
    """Means of q(z|x) for x [N, ...] in padded batches (one compilation). -> [N, Z]."""
    encode = lambda v, _: {"mean": self._jit_encode(params, v)[0]}  # noqa: E731
    return batching.map_batches(encode, x, self.config.eval.batch_size,
                                key=jax.random.key(0), dtype=np.float64)["mean"]

  def _write_latents(self, params, x_test, test_labels, workdir) -> None:
    """latents.npz: posterior means of the first eval.latent_train_examples training images
    and of the evaluated test images, with labels (Figure 2.5's scatter and KNN error)."""
    x_train, train_labels = self.source.eval_set("train", self.config.eval.latent_train_examples)
    np.savez_compressed(workdir / "latents.npz",
                        train_z=self._posterior_means(params, x_train),
                        train_labels=np.asarray(train_labels, np.int32),
                        test_z=self._posterior_means(params, x_test),
                        test_labels=np.asarray(test_labels, np.int32))

  # ---- figures -----------------------------------------------------------------------------
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

  def sample(self, params, key, n):
    """n model samples [n, H, W, C] in {0, 1} (binary) or on the 256 levels of [-1, 1]."""
    shape = (n,) + tuple(self.source.data_shape)
    k_z, k_x = jax.random.split(key)
    z = (jax.random.normal(k_z, (n, self.config.model.latent_dim))
         if self.has_latent else None)
    return self._pixels(params, k_x, z, shape)

  def reconstruct(self, params, key, x):
    """x [n, ...] -> a draw from p(x | z = mean of q(z|x)); None for models without a latent."""
    if not self.has_latent:
      return None
    x = jnp.asarray(x)
    z = self._jit_flow_mean(params, x) if self.has_flow else self._jit_encode(params, x)[0]
    return self._pixels(params, key, z, x.shape)

  def _flow_mean(self, params, x):
    """The IAF posterior's mean noise pushed through the flow: z = f(mean of q(z0 | x))."""
    mean, _, transform = self.posterior(params, x)
    return transform(mean)[0]

  def _write_figures(self, params, x, k_sample, k_recon, workdir):
    figures = workdir / "figures"
    value_range = data_lib.value_range(self.config.data)
    image_grid.save_image_grid(figures / "samples.png", self.sample(params, k_sample, x.shape[0]),
                               value_range=value_range, scale=2)
    recon = self.reconstruct(params, k_recon, x)
    if recon is not None:
      cols = 2 * max(1, int(np.ceil(np.sqrt(x.shape[0] / 2))))  # even: original | reconstruction
      image_grid.save_image_grid(figures / "reconstructions.png",
                                 image_grid.interleave(x, recon), cols=cols,
                                 value_range=value_range, scale=2)
