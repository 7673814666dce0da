"""GAN training (n_critic critic updates, then one generator update, in one jitted step) and
critic-only training against a fixed fake distribution (Figure 3.1a).

The same GANTask trains the 2-D toy GANs, the image GANs (data_shape [H, W, C]) and the
character-level language GAN (a source of kind "text", data_shape [L, V]); with
`config.model.num_classes > 0` it is an AC-GAN: the generator is conditioned on labels drawn
uniformly, the critic has a class head, and both players add the auxiliary classification term.
Evaluation lives in the evaluators (gen_models/evaluation/, `config.eval.evaluators`); the tasks
give them `sample`, `generate`, `critic_fn`, the losses and the models.
"""

import jax
import jax.numpy as jnp
import numpy as np
import optax

from gen_models import models
from gen_models.data import batching
from gen_models.objectives import gan as gan_obj
from gen_models.training import optimizers
from gen_models.training.task import Task

# Samples per generator call in `GANTask.sample`: bounds memory for 50k-sample scores.
SAMPLE_CHUNK = 500


def _mean_tree(tree):
  return jax.tree_util.tree_map(lambda v: jnp.mean(v, axis=0), tree)


class _CriticTraining(Task):
  """What GAN and critic-only training share: the critic, its optimizer, its scanned updates."""

  def __init__(self, config, source):
    self.config = config
    self.objective = config.objective
    if self.objective.name not in gan_obj.OBJECTIVES:
      raise ValueError(f"unknown objective.name {self.objective.name!r}; "
                       f"known: {gan_obj.OBJECTIVES}")
    if self.objective.n_critic < 1:
      raise ValueError(f"objective.n_critic must be >= 1, got {self.objective.n_critic}")
    self.batches_per_step = self.objective.n_critic
    self.num_classes = config.model.num_classes  # > 0: AC-GAN
    # Batch norm only without the penalty (section 3.4); it always uses the statistics of the
    # batch it is given (D(real) and D(fake) each their own, as in Radford et al.), so there
    # are no running averages to keep: the state stays the critic's params.
    self.critic_batch_norm = models.critic_batch_norm(config.model.critic)
    self.critic = models.build_critic(config.model.critic, self.num_classes,
                                      allow_batch_norm=self.objective.name != "wgan_gp")
    # XLA:CPU runs convolutions inside a while loop (lax.scan) ~40x slower than the same step
    # unrolled (measured on the B.3 ResNet critic step, BUILD_NOTES.md); image presets unroll
    # the n_critic updates, at the price of n_critic copies of the update in the compiled step.
    self.unroll_critic = bool(config.train.unroll_critic)
    self.critic_tx = optimizers.build_optimizer(
        config.optimizer.critic, config.train.num_steps * self.objective.n_critic)

  def critic_apply(self, params, x):
    """The critic's raw output on x [B, ...] (scores, or (scores, logits) for an AC-GAN)."""
    if self.critic_batch_norm:
      return self.critic.apply({"params": params}, x, mutable=["batch_stats"])[0]
    return self.critic.apply({"params": params}, x)

  def critic_fn(self, params):
    """x [B, ...] -> scores [B] (an AC-GAN critic's class logits are dropped)."""
    if self.num_classes:
      return lambda x: self.critic_apply(params, x)[0]
    return lambda x: self.critic_apply(params, x)

  def critic_loss(self, params, batch, fake, key):
    """The critic's loss on one real batch {'x': [B, ...], 'label': [B]} and fakes [B, ...].

    The objective's loss, plus for an AC-GAN acgan_critic_weight x the cross-entropy of the
    real labels under the critic's class head. -> (loss, metrics).
    """
    real = batch["x"]
    loss, metrics = gan_obj.critic_objective(self.objective, self.critic_fn(params), real, fake,
                                             key)
    if self.num_classes:
      # Same params and inputs as the score pass above: XLA merges the two forward passes.
      logits = self.critic_apply(params, real)[1]
      aux = gan_obj.acgan_classification_loss(logits, batch["label"])
      loss = loss + self.objective.acgan_critic_weight * aux
      metrics.update(critic_acgan=aux, critic_loss=loss, real_class_accuracy=jnp.mean(
          (jnp.argmax(logits, axis=-1) == batch["label"]).astype(jnp.float32)))
    return loss, metrics

  def _init_critic(self, rng, x):
    params = self.critic.init(rng, x)["params"]
    if self.objective.name == "wgan_clip":
      params = gan_obj.clip_weights(params, self.objective.clip)
    return params, self.critic_tx.init(params)

  def _critic_updates(self, params, opt_state, batches, keys, make_fake):
    """One critic update per real batch, scanned (or unrolled with `train.unroll_critic`).

    batches: {'x': [k, B, ...], and 'label': [k, B] for an AC-GAN}; keys: [k].
    """

    def update(carry, inputs):
      params, opt_state = carry
      batch, key = inputs
      k_fake, k_loss = jax.random.split(key)
      fake = jax.lax.stop_gradient(make_fake(batch["x"], k_fake))

      def loss_fn(p):
        return self.critic_loss(p, batch, fake, k_loss)

      (_, metrics), grads = jax.value_and_grad(loss_fn, has_aux=True)(params)
      updates, opt_state = self.critic_tx.update(grads, opt_state, params)
      params = optax.apply_updates(params, updates)
      if self.objective.name == "wgan_clip":
        params = gan_obj.clip_weights(params, self.objective.clip)
      return (params, opt_state), metrics

    if not self.unroll_critic:
      (params, opt_state), metrics = jax.lax.scan(update, (params, opt_state), (batches, keys))
      return params, opt_state, _mean_tree(metrics)
    carry, per_update = (params, opt_state), []
    for i in range(keys.shape[0]):  # static n_critic: a straight-line program, no while loop
      carry, m = update(carry, jax.tree_util.tree_map(lambda v: v[i], (batches, keys)))
      per_update.append(m)
    metrics = jax.tree_util.tree_map(lambda *v: jnp.mean(jnp.stack(v), axis=0), *per_update)
    return (*carry, metrics)


class GANTask(_CriticTraining):
  """Generator + critic. One train step = n_critic critic updates + one generator update."""

  def __init__(self, config, source):
    super().__init__(config, source)
    gcfg = config.model.generator
    self.latent_dim = gcfg.latent_dim
    self.generator = models.build_generator(gcfg, data_dim=source.data_shape[-1],
                                            num_classes=self.num_classes)
    self.gen_tx = optimizers.build_optimizer(config.optimizer.generator, config.train.num_steps)
    # Params and labels are arguments: one compilation per chunk size, not one per call.
    self._sample_jit = jax.jit(self._inference_samples)

  def throughput(self, steps_per_s: float) -> dict:
    """Named GAN rates: one step = one generator update after n_critic critic updates, each on
    a real batch of B (the trainer's examples_per_s counts those n_critic x B real images)."""
    batch_size = self.config.data.batch_size
    return {"generator_steps_per_s": steps_per_s,
            "critic_real_images_per_s": steps_per_s * self.objective.n_critic * batch_size}

  def _generator_inputs(self, z, labels):
    if not self.num_classes:
      return (z,)
    if labels is None:
      raise ValueError("a class-conditional generator needs labels")
    return (z, labels)

  def init(self, rng, batch):
    k_gen, k_critic = jax.random.split(rng)
    real = batch["x"][0]
    if self.num_classes and "label" not in batch:
      raise ValueError(f"model.num_classes={self.num_classes} (AC-GAN) needs labelled data, but "
                       f"data set {self.config.data.name!r} gives batches of {sorted(batch)}")
    inputs = self._generator_inputs(jnp.zeros((real.shape[0], self.latent_dim)),
                                    jnp.zeros((real.shape[0],), jnp.int32))
    gen_vars = self.generator.init(k_gen, *inputs)
    # Perturbation slots (zeros, for activation gradients) are made per call, never stored.
    gen_vars = {k: v for k, v in gen_vars.items() if k in ("params", "batch_stats")}
    out = jax.eval_shape(lambda v: self.generator.apply(v, *inputs, train=False), gen_vars)
    if out.shape != real.shape:
      raise ValueError(f"generator {self.config.model.generator.name!r} makes samples of shape "
                       f"{out.shape[1:]} but the data are {real.shape[1:]}; check "
                       f"model.generator (e.g. image_size) against data.name")
    critic_params, critic_opt = self._init_critic(k_critic, real)
    return {"generator": gen_vars, "critic": critic_params,
            "generator_opt": self.gen_tx.init(gen_vars["params"]), "critic_opt": critic_opt}

  def generate(self, gen_vars, key, n, train=True, labels=None):
    """-> (samples [n, *data_shape], updated batch statistics or None). labels: [n] int, for
    (and only for) a class-conditional generator."""
    z = jax.random.normal(key, (n, self.latent_dim))
    inputs = self._generator_inputs(z, labels)
    if "batch_stats" in gen_vars and train:
      out, new = self.generator.apply(gen_vars, *inputs, train=True, mutable=["batch_stats"])
      return out, new["batch_stats"]
    return self.generator.apply(gen_vars, *inputs, train=train), None

  def sample_fakes(self, gen_vars, key, n, train=True):
    """-> (samples, labels [n] drawn uniformly or None if unconditional, batch statistics)."""
    labels = None
    if self.num_classes:
      key, k_labels = jax.random.split(key)
      labels = jax.random.randint(k_labels, (n,), 0, self.num_classes)
    fake, stats = self.generate(gen_vars, key, n, train, labels)
    return fake, labels, stats

  def generator_loss(self, critic_params, fake, labels):
    """The generator's loss on its samples; an AC-GAN adds acgan_generator_weight x the
    cross-entropy of the labels it was conditioned on. -> (loss, metrics)."""
    if not self.num_classes:
      return gan_obj.generator_objective(self.objective, self.critic_fn(critic_params)(fake)), {}
    scores, logits = self.critic_apply(critic_params, fake)
    aux = gan_obj.acgan_classification_loss(logits, labels)
    loss = (gan_obj.generator_objective(self.objective, scores)
            + self.objective.acgan_generator_weight * aux)
    return loss, {"generator_acgan": aux}

  def train_step(self, state, batch, rng):
    n_critic, batch_size = batch["x"].shape[:2]  # x: [n_critic, B, *data_shape]
    keys = jax.random.split(rng, n_critic + 1)
    gen_vars = state["generator"]

    def make_fake(real, key):
      return self.sample_fakes(gen_vars, key, batch_size)[0]

    critic_params, critic_opt, metrics = self._critic_updates(
        state["critic"], state["critic_opt"], batch, keys[:n_critic], make_fake)

    def gen_loss_fn(gen_params):
      fake, labels, stats = self.sample_fakes({**gen_vars, "params": gen_params}, keys[-1],
                                              batch_size)
      loss, gen_metrics = self.generator_loss(critic_params, fake, labels)
      return loss, (stats, gen_metrics)

    (gen_loss, (stats, gen_metrics)), grads = jax.value_and_grad(gen_loss_fn, has_aux=True)(
        gen_vars["params"])
    updates, gen_opt = self.gen_tx.update(grads, state["generator_opt"], gen_vars["params"])
    new_gen = {**gen_vars, "params": optax.apply_updates(gen_vars["params"], updates)}
    if stats is not None:
      new_gen["batch_stats"] = stats
    metrics.update(gen_metrics, generator_loss=gen_loss)
    return ({"generator": new_gen, "critic": critic_params, "generator_opt": gen_opt,
             "critic_opt": critic_opt}, metrics)

  def _inference_samples(self, gen_vars, key, labels):
    """Samples [len(labels), *data_shape] of the generator in inference mode; labels [n] int are
    ignored by an unconditional generator (they only fix n)."""
    return self.generate(gen_vars, key, labels.shape[0], train=False,
                         labels=labels if self.num_classes else None)[0]

  def sample(self, state, rng, n: int, labels=None) -> np.ndarray:
    """n samples [n, *data_shape] (float32 NumPy, the data's value range; the text GAN gives
    character probabilities [n, L, V]) of the generator in inference mode, made in chunks of
    SAMPLE_CHUNK (one compilation), chunk j with fold_in(rng, j). An AC-GAN's labels are
    `labels` [n] int, or i mod num_classes for sample i."""
    if n < 1:
      raise ValueError(f"sample needs n >= 1, got {n}")
    if labels is None:
      labels = np.arange(n) % max(self.num_classes, 1)
    labels = np.asarray(labels, np.int32)
    if labels.shape != (n,):
      raise ValueError(f"labels must have shape ({n},), got {labels.shape}")
    return batching.map_batches(lambda chunk, key: self._sample_jit(state["generator"], key, chunk),
                                labels, min(SAMPLE_CHUNK, n), key=rng, dtype=np.float32)


class CriticTask(_CriticTraining):
  """Trains only a critic, with the generator held at real data plus unit Gaussian noise."""

  def init(self, rng, batch):
    params, opt_state = self._init_critic(rng, batch["x"][0])
    return {"critic": params, "critic_opt": opt_state}

  @staticmethod
  def noisy_copy(real, key):
    return real + jax.random.normal(key, real.shape, real.dtype)

  def train_step(self, state, batch, rng):
    keys = jax.random.split(rng, batch["x"].shape[0])
    params, opt_state, metrics = self._critic_updates(
        state["critic"], state["critic_opt"], {"x": batch["x"]}, keys, self.noisy_copy)
    return {"critic": params, "critic_opt": opt_state}, metrics
