"""GAN training (n_critic critic updates, then one generator update, in one jitted step) and
critic-only training against a fixed fake distribution (Figure 3.1a).

The same GANTask trains the 2-D toy GANs, the image GANs (data_shape [H, W, C]) and the
character-level language GAN (a source of kind "text", data_shape [L, V]); with
`config.model.num_classes > 0` it is an AC-GAN: the generator is conditioned on labels drawn
uniformly, the critic has a class head, and both players add the auxiliary classification term.
"""

import math
import pathlib

import jax
import jax.numpy as jnp
import numpy as np
import optax

from gen_models import models
from gen_models.data import toy
from gen_models.evaluation import sample_scores
from gen_models.evaluation import text as text_metrics
from gen_models.evaluation import toy as toy_metrics
from gen_models.objectives import gan as gan_obj
from gen_models.plotting import image_grid
from gen_models.plotting import toy as toy_plots
from gen_models.training import optimizers
from gen_models.training.task import Task


def _mean_tree(tree):
  return jax.tree_util.tree_map(lambda v: jnp.mean(v, axis=0), tree)


class _CriticTraining(Task):
  """What GAN and critic-only training share: the critic, its optimizer, its scanned updates."""

  def __init__(self, config, source):
    self.config = config
    self.source = source
    self.objective = config.objective
    if self.objective.name not in gan_obj.OBJECTIVES:
      raise ValueError(f"unknown objective.name {self.objective.name!r}; "
                       f"known: {gan_obj.OBJECTIVES}")
    if self.objective.n_critic < 1:
      raise ValueError(f"objective.n_critic must be >= 1, got {self.objective.n_critic}")
    self.batches_per_step = self.objective.n_critic
    self.num_classes = config.model.get("num_classes", 0)  # > 0: AC-GAN
    if self.num_classes and ("acgan_critic_weight" not in self.objective
                             or "acgan_generator_weight" not in self.objective):
      raise ValueError("model.num_classes > 0 (AC-GAN) needs objective.acgan_critic_weight and "
                       "objective.acgan_generator_weight")
    # Batch norm only without the penalty (section 3.4); it always uses the statistics of the
    # batch it is given (D(real) and D(fake) each their own, as in Radford et al.), so there
    # are no running averages to keep: the state stays the critic's params.
    self.critic_batch_norm = config.model.critic.get("norm") == "batch_norm"
    self.critic = models.build_critic(config.model.critic, self.num_classes,
                                      allow_batch_norm=self.objective.name != "wgan_gp")
    # XLA:CPU runs convolutions inside a while loop (lax.scan) ~40x slower than the same step
    # unrolled (measured on the B.3 ResNet critic step, BUILD_NOTES.md); image presets unroll
    # the n_critic updates, at the price of n_critic copies of the update in the compiled step.
    self.unroll_critic = bool(config.train.get("unroll_critic", False))
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

  # ---- evaluation helpers shared by both tasks -------------------------------------------
  def _eval_data(self, n):
    return self.source.eval_samples(n, self.config.train.seed)

  def _grid(self):
    lim, n = self.config.eval.plot_limit, self.config.eval.grid_size
    xs = np.linspace(-lim, lim, n, dtype=np.float32)
    gx, gy = np.meshgrid(xs, xs)
    return gx, gy, np.stack([gx.ravel(), gy.ravel()], axis=-1)

  def _critic_surface(self, params):
    gx, gy, points = self._grid()
    values = np.asarray(jax.jit(self.critic_fn(params))(points)).reshape(gx.shape)
    return gx, gy, values

  def _critic_weight_histogram(self, params, bins=101):
    kernels = [np.ravel(v) for path, v in jax.tree_util.tree_leaves_with_path(params)
               if "kernel" in jax.tree_util.keystr(path)]
    counts, edges = np.histogram(np.concatenate(kernels), bins=bins)
    return {"counts": counts.tolist(), "edges": edges.tolist()}


class GANTask(_CriticTraining):
  """Generator + critic. One train step = n_critic critic updates + one generator update."""

  def __init__(self, config, source):
    super().__init__(config, source)
    gcfg = config.model.generator
    self.latent_dim = gcfg.latent_dim
    self.generator = models.build_generator(gcfg, data_dim=source.data_shape[-1],
                                            num_classes=self.num_classes)
    self.gen_tx = optimizers.build_optimizer(config.optimizer.generator, config.train.num_steps)
    self._generate_jit = jax.jit(self.generate, static_argnums=(2, 3))
    self._eval_losses_jit = jax.jit(self._eval_losses)
    # One jitted scorer with params as an argument: compiled once per batch shape, not per call.
    self._critic_jit = jax.jit(lambda params, x: self.critic_fn(params)(x))
    # Image GANs: the scorers (classifier, InceptionV3, reference statistics) load here, once,
    # so a missing file stops the run before training rather than at the first evaluation.
    self.scorers = None
    if len(source.data_shape) > 1:
      # Their reference statistics are CIFAR-10's training set: on other images they would
      # measure the distance to CIFAR-10, not to the data.
      if (sample_scores.requested(config.eval)
          and (config.data.name != "cifar10" or tuple(source.data_shape) != (32, 32, 3))):
        raise ValueError(f"the sample scores (eval.offline_score / fid / inception_score) are "
                         f"for 32x32x3 CIFAR-10 images, but data {config.data.name!r} has shape "
                         f"{tuple(source.data_shape)}; set them to False")
      self.scorers = sample_scores.build(config.eval, config.data.get("data_dir", ""))

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

  def layer_gradient_norms(self, state, rng):
    """Norm of d(critic loss)/d(activation) for each critic hidden layer, first layer first.

    The loss is the Wasserstein part E[D(fake)] - E[D(real)] for every objective, so clipping
    and penalty runs are compared on the same quantity (Figure 3.1b). Computed in float64:
    with c = 0.001 the first layers' gradients fall below float32's range.
    """
    n = self.config.data.batch_size
    real = self._eval_data(n)
    fake = np.asarray(self.generate(state["generator"], rng, n, train=False)[0])
    with jax.enable_x64(True):
      both = jnp.asarray(np.concatenate([real, fake]), jnp.float64)
      params = jax.tree_util.tree_map(lambda p: jnp.asarray(p, jnp.float64), state["critic"])
      shapes = jax.eval_shape(self.critic.init, jax.random.key(0), both)["perturbations"]
      zeros = jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, jnp.float64), shapes)

      def loss(perturb):
        scores = self.critic.apply({"params": params, "perturbations": perturb}, both)
        return gan_obj.wgan_critic_loss(scores[:n], scores[n:])

      grads = jax.grad(loss)(zeros)["body"]
      return [float(jnp.linalg.norm(grads[f"layer_{i}"]))
              for i in range(self.config.model.critic.depth)]

  def evaluate(self, state, rng, workdir) -> dict:
    if getattr(self.source, "kind", None) == "text":
      return self._evaluate_text(state, rng, workdir)
    if len(self.source.data_shape) > 1:
      return self._evaluate_images(state, rng, workdir)
    ecfg = self.config.eval
    k_sample, k_grad = jax.random.split(rng)
    fake = np.asarray(self.generate(state["generator"], k_sample, ecfg.num_samples,
                                    train=False)[0])
    real = self._eval_data(ecfg.num_samples)
    results = {"sliced_w1": toy_metrics.sliced_wasserstein1(fake, real),
               "mmd_rbf": toy_metrics.mmd_rbf(fake[:ecfg.mmd_samples], real[:ecfg.mmd_samples])}
    spec = toy.mixture_spec(self.config.data.name)
    if spec is not None:
      results.update(toy_metrics.mode_statistics(fake, spec.centers, spec.std,
                                                 ecfg.mode_min_fraction))
    if ecfg.layer_grad_norms:
      results["critic_layer_grad_norms"] = self.layer_gradient_norms(state, k_grad)
    if ecfg.weight_histogram:
      results["critic_weight_histogram"] = self._critic_weight_histogram(state["critic"])
    gx, gy, values = self._critic_surface(state["critic"])
    fig, ax = toy_plots.plt.subplots(figsize=(4, 4))
    toy_plots.value_surface(ax, gx, gy, values, data=real[:1000], fake=fake[:1000],
                            title=f"{self.objective.name} on {self.config.data.name}")
    toy_plots.save(fig, pathlib.Path(workdir) / "figures" / "samples.png")
    return results

  def _eval_losses(self, state, batch, key):
    """Both players' losses (generator in inference mode) on one real batch. -> metrics."""
    k_fake, k_loss = jax.random.split(key)
    fake, labels, _ = self.sample_fakes(state["generator"], k_fake, batch["x"].shape[0],
                                        train=False)
    _, metrics = self.critic_loss(state["critic"], batch, fake, k_loss)
    gen_loss, gen_metrics = self.generator_loss(state["critic"], fake, labels)
    return {**metrics, **gen_metrics, "generator_loss": gen_loss}

  def _evaluate_images(self, state, rng, workdir) -> dict:
    """An `eval.grid_rows`^2 sample grid (figures/samples.png; for an AC-GAN row r shows class
    r mod K) and both players' losses averaged over the first ceil(eval.num_samples / B) data
    batches (the same batches at every evaluation, so the numbers are comparable over time);
    plus the sample scores of `eval.score_samples` generated images that config.eval asks for
    (evaluation/sample_scores.py)."""
    ecfg = self.config.eval
    k_grid, k_loss = jax.random.split(rng)
    rows = ecfg.grid_rows
    labels = None
    if self.num_classes:
      labels = (jnp.arange(rows * rows) // rows) % self.num_classes
    images, _ = self._generate_jit(state["generator"], k_grid, rows * rows, False, labels)
    # Sigmoid generators model grey levels in [0, 1] (the MNIST presets), tanh ones [-1, 1].
    sigmoid = self.config.model.generator.get("output_activation") == "sigmoid"
    image_grid.save_image_grid(pathlib.Path(workdir) / "figures" / "samples.png",
                               np.asarray(images), rows, rows,
                               value_range=(0.0, 1.0) if sigmoid else (-1.0, 1.0))
    results = self._mean_eval_losses(state, k_loss)
    if self.scorers is not None:
      results.update(self.scorers(self._score_samples(state["generator"], rng)))
    if ecfg.get("test_scores", False):
      self._write_test_scores(state["critic"], workdir)
    if ecfg.get("heldout_split", ""):
      results.update(self._train_vs_heldout_wasserstein(state, jax.random.fold_in(rng, 2)))
    return results

  def _train_vs_heldout_wasserstein(self, state, key) -> dict:
    """Figure 3.7b's curves: the critic's Wasserstein estimate mean D(real) - mean D(fake) (the
    negative critic loss without the penalty) with real = the images the source trains on
    (`eval.train_examples` of them, 0: all) and with real = `eval.heldout_examples` images of
    split `eval.heldout_split` (0: all), both against the same `eval.heldout_examples` samples
    of the generator in inference mode."""
    ecfg = self.config.eval
    if not hasattr(self.source, "eval_set"):
      raise ValueError(f"eval.heldout_split needs a source with held-out splits (the MNIST "
                       f"sources); data {self.config.data.name!r} has none")
    train, _ = self.source.eval_set("train", ecfg.get("train_examples", 0))
    heldout, _ = self.source.eval_set(ecfg.heldout_split, ecfg.get("heldout_examples", 0))
    fake = self._generate_many(state["generator"], key, len(heldout))
    mean_score = lambda x: float(np.mean(self._critic_scores(state["critic"], x)))
    d_fake = mean_score(fake)
    return {"wasserstein_train": mean_score(train) - d_fake,
            "wasserstein_heldout": mean_score(heldout) - d_fake}

  def _critic_scores(self, critic_params, x, batch_size: int = 500) -> np.ndarray:
    """The critic's scores of x [N, ...] in equal batches (the last one padded). -> [N]."""
    batch_size = min(batch_size, len(x))
    padded = -len(x) % batch_size
    xs = np.concatenate([x, np.repeat(x[-1:], padded, axis=0)]) if padded else x
    return np.concatenate([np.asarray(self._critic_jit(critic_params, xs[i:i + batch_size]),
                                      np.float64)
                           for i in range(0, len(xs), batch_size)])[:len(x)]

  def _write_test_scores(self, critic_params, workdir, batch_size: int = 500) -> None:
    """scores.npz for Chapter 4's protocol: the critic's output on every image of the source's
    evaluation split (`discriminator`, higher = more real = more normal), labels and uint8
    images. The source must offer `eval_set` (the MNIST sources do)."""
    ecfg = self.config.eval
    x, labels = self.source.eval_set(ecfg.get("split", "test"),
                                     ecfg.get("num_test_examples", 0))
    scores = self._critic_scores(critic_params, x, batch_size)
    lo, hi = (-1.0, 1.0) if float(np.min(x)) < 0 else (0.0, 1.0)
    images = np.round((np.asarray(x) - lo) / (hi - lo) * 255).astype(np.uint8)
    np.savez_compressed(pathlib.Path(workdir) / "scores.npz", labels=np.asarray(labels, np.int32),
                        discriminator=scores, images=images)

  def _mean_eval_losses(self, state, key) -> dict:
    """Both players' losses averaged over the first ceil(eval.num_samples / B) data batches."""
    count = max(1, math.ceil(self.config.eval.num_samples / self.config.data.batch_size))
    batches = self.source.batches(0, count)
    per_batch = [jax.device_get(self._eval_losses_jit(
        state, {k: v[i] for k, v in batches.items()}, jax.random.fold_in(key, i)))
        for i in range(count)]
    return {name: float(np.mean([m[name] for m in per_batch])) for name in per_batch[0]}

  def _score_samples(self, gen_vars, rng, chunk: int = 500) -> np.ndarray:
    """`eval.score_samples` images [N, *data_shape] (see `_generate_many`)."""
    return self._generate_many(gen_vars, jax.random.fold_in(rng, 1), self.scorers.num_samples,
                               chunk)

  def _generate_many(self, gen_vars, key, n: int, chunk: int = 500) -> np.ndarray:
    """n images [n, *data_shape] from the generator in inference mode, made in equal chunks (one
    compilation); an AC-GAN's labels cycle through the classes."""
    chunk = min(chunk, n)
    parts = []
    for i in range(math.ceil(n / chunk)):
      labels = None
      if self.num_classes:
        labels = (jnp.arange(i * chunk, (i + 1) * chunk)) % self.num_classes
      images, _ = self._generate_jit(gen_vars, jax.random.fold_in(key, i), chunk, False, labels)
      parts.append(np.asarray(images))
    return np.concatenate(parts)[:n]

  def _evaluate_text(self, state, rng, workdir) -> dict:
    """Argmax-decodes eval.num_text_samples samples (all to samples.txt, the first
    eval.num_listed_samples into the results) and scores them against the source's held-out
    lines: character 4-gram JS divergence and the fraction of words seen in training (the
    held-out lines' own scores are the reference values); plus the evaluation losses."""
    ecfg = self.config.eval
    k_sample, k_loss = jax.random.split(rng)
    probs, _ = self._generate_jit(state["generator"], k_sample, ecfg.num_text_samples, False,
                                  None)
    samples = self.source.decode(np.asarray(jnp.argmax(probs, axis=-1)))
    pathlib.Path(workdir).mkdir(parents=True, exist_ok=True)
    (pathlib.Path(workdir) / "samples.txt").write_text("\n".join(samples) + "\n",
                                                       encoding="utf-8")
    heldout, vocabulary = self.source.heldout_lines, self.source.train_words()
    results = self._mean_eval_losses(state, k_loss)
    results.update(
        js4_samples_vs_heldout=text_metrics.ngram_js_divergence(samples, heldout, 4),
        word_in_vocab_fraction=text_metrics.word_in_vocab_fraction(samples, vocabulary),
        heldout_word_in_vocab_fraction=text_metrics.word_in_vocab_fraction(heldout, vocabulary),
        samples=samples[:ecfg.num_listed_samples])
    return results


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

  def evaluate(self, state, rng, workdir) -> dict:
    real = jnp.asarray(self._eval_data(self.config.eval.num_samples))
    fake = self.noisy_copy(real, rng)
    critic = jax.jit(self.critic_fn(state["critic"]))
    x_hat = gan_obj.interpolates(real, fake, jax.random.fold_in(rng, 1))
    norms = gan_obj.input_gradient_norms(critic, x_hat)
    gx, gy, values = self._critic_surface(state["critic"])
    workdir = pathlib.Path(workdir)
    np.savez_compressed(workdir / "value_surface.npz", grid_x=gx, grid_y=gy, values=values,
                        data=np.asarray(real[:1000]))
    fig, ax = toy_plots.plt.subplots(figsize=(4, 4))
    toy_plots.value_surface(ax, gx, gy, values, data=np.asarray(real[:1000]),
                            title=f"{self.objective.name} critic, {self.config.data.name}")
    toy_plots.save(fig, workdir / "figures" / "value_surface.png")
    return {"wasserstein_estimate": float(jnp.mean(critic(real)) - jnp.mean(critic(fake))),
            "interpolate_grad_norm_mean": float(jnp.mean(norms)),
            "interpolate_grad_norm_std": float(jnp.std(norms))}
