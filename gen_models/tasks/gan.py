"""GAN training (n_critic critic updates, then one generator update, in one jitted step) and
critic-only training against a fixed fake distribution (Figure 3.1a)."""

import pathlib

import jax
import jax.numpy as jnp
import numpy as np
import optax

from gen_models import models
from gen_models.data import toy
from gen_models.evaluation import toy as toy_metrics
from gen_models.objectives import gan as gan_obj
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
    self.critic = models.build_critic(config.model.critic)
    self.critic_tx = optimizers.build_optimizer(
        config.optimizer.critic, config.train.num_steps * self.objective.n_critic)

  def critic_fn(self, params):
    return lambda x: self.critic.apply({"params": params}, x)

  def _init_critic(self, rng, x):
    params = self.critic.init(rng, x)["params"]
    if self.objective.name == "wgan_clip":
      params = gan_obj.clip_weights(params, self.objective.clip)
    return params, self.critic_tx.init(params)

  def _critic_updates(self, params, opt_state, reals, keys, make_fake):
    """Scans one critic update per real batch. reals: [k, B, ...]; keys: [k]."""

    def update(carry, inputs):
      params, opt_state = carry
      real, key = inputs
      k_fake, k_loss = jax.random.split(key)
      fake = jax.lax.stop_gradient(make_fake(real, k_fake))

      def loss_fn(p):
        return gan_obj.critic_objective(self.objective, self.critic_fn(p), real, fake, k_loss)

      (_, metrics), grads = jax.value_and_grad(loss_fn, has_aux=True)(params)
      updates, opt_state = self.critic_tx.update(grads, opt_state, params)
      params = optax.apply_updates(params, updates)
      if self.objective.name == "wgan_clip":
        params = gan_obj.clip_weights(params, self.objective.clip)
      return (params, opt_state), metrics

    (params, opt_state), metrics = jax.lax.scan(update, (params, opt_state), (reals, keys))
    return params, opt_state, _mean_tree(metrics)

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
    self.generator = models.build_generator(gcfg, data_dim=source.data_shape[-1])
    self.gen_tx = optimizers.build_optimizer(config.optimizer.generator, config.train.num_steps)

  def init(self, rng, batch):
    k_gen, k_critic = jax.random.split(rng)
    real = batch["x"][0]
    gen_vars = self.generator.init(k_gen, jnp.zeros((real.shape[0], self.latent_dim)))
    # Perturbation slots (zeros, for activation gradients) are made per call, never stored.
    gen_vars = {k: v for k, v in gen_vars.items() if k in ("params", "batch_stats")}
    critic_params, critic_opt = self._init_critic(k_critic, real)
    return {"generator": gen_vars, "critic": critic_params,
            "generator_opt": self.gen_tx.init(gen_vars["params"]), "critic_opt": critic_opt}

  def generate(self, gen_vars, key, n, train=True):
    """-> (samples [n, D], updated batch statistics or None)."""
    z = jax.random.normal(key, (n, self.latent_dim))
    if "batch_stats" in gen_vars and train:
      out, new = self.generator.apply(gen_vars, z, train=True, mutable=["batch_stats"])
      return out, new["batch_stats"]
    return self.generator.apply(gen_vars, z, train=train), None

  def train_step(self, state, batch, rng):
    reals = batch["x"]  # [n_critic, B, D]
    n_critic, batch_size = reals.shape[:2]
    keys = jax.random.split(rng, n_critic + 1)
    gen_vars = state["generator"]

    def make_fake(real, key):
      return self.generate(gen_vars, key, batch_size)[0]

    critic_params, critic_opt, metrics = self._critic_updates(
        state["critic"], state["critic_opt"], reals, keys[:n_critic], make_fake)

    def gen_loss_fn(gen_params):
      fake, stats = self.generate({**gen_vars, "params": gen_params}, keys[-1], batch_size)
      loss = gan_obj.generator_objective(self.objective, self.critic_fn(critic_params)(fake))
      return loss, stats

    (gen_loss, stats), grads = jax.value_and_grad(gen_loss_fn, has_aux=True)(gen_vars["params"])
    updates, gen_opt = self.gen_tx.update(grads, state["generator_opt"], gen_vars["params"])
    new_gen = {**gen_vars, "params": optax.apply_updates(gen_vars["params"], updates)}
    if stats is not None:
      new_gen["batch_stats"] = stats
    metrics["generator_loss"] = gen_loss
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
        state["critic"], state["critic_opt"], batch["x"], keys, self.noisy_copy)
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
