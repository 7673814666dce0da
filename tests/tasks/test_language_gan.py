"""The GAN task on text: a tiny WGAN-GP step on one-hot sequences compiles once and moves the
parameters; evaluation writes argmax-decoded samples and the text metrics."""

import json

import jax
import numpy as np

from conftest import experiment_config, jitted_steps, run_evaluators

from gen_models import data
from gen_models import tasks
from gen_models.presets import gan_language

LINES = ["the cat sat on the mat", "a dog ran", "cats and dogs and cats", "the end of it",
         "one more line here", "so it goes", "x y z", "hello world"]


def tiny_language_config(path, seq_len=8):
  config = gan_language.gan_language_config(seq_len=seq_len)
  config.data.update(path=str(path), batch_size=3)
  for player in ("generator", "critic"):
    config.model[player].update(width=8, num_blocks=1)
  config.model.generator.latent_dim = 4
  config.objective.n_critic = 1  # n_critic > 1 repeats the same update (toy tests)
  config.train.update(num_steps=10, progress_bar=False)
  config.eval.update(loss_examples=3, num_text_samples=5, num_listed_samples=2)
  return config


def test_text_wgan_gp_step_compiles_once_moves_params_and_evaluates(tmp_path):
  corpus = tmp_path / "tiny.txt"
  corpus.write_text("\n".join(LINES) + "\n", encoding="utf-8")
  config = tiny_language_config(corpus)
  source = data.build_source(config.data, seed=0)
  task = tasks.build_task(config, source)
  state0 = jax.jit(task.init)(jax.random.key(0), source.batches(0, task.batches_per_step))
  state, metrics, traces = jitted_steps(task, source, state0, 2)
  assert traces == 1
  assert np.isfinite(float(metrics["gradient_penalty"]))
  for player in ("critic", "generator"):
    old = state0[player] if player == "critic" else state0[player]["params"]
    new = state[player] if player == "critic" else state[player]["params"]
    moved = {jax.tree_util.keystr(p): not np.allclose(a, b) for (p, a), b in zip(
        jax.tree_util.tree_leaves_with_path(old), jax.tree_util.tree_leaves(new))}
    if player == "critic":
      # Biases that only shift the score by a constant (the linear layer's, and the last
      # block's second convolution's, which reaches the score linearly) cancel in
      # E[D(fake)] - E[D(real)] and in the penalty: zero gradient.
      assert not moved.pop("['linear']['bias']")
      assert not moved.pop("['block_0']['conv_1']['bias']")
    assert all(moved.values()), moved

  workdir = tmp_path / "run"
  results = run_evaluators(config, task, source, state, jax.random.key(7), workdir)
  lines = (workdir / "samples.txt").read_text(encoding="utf-8").splitlines()
  assert len(lines) == 5 and results["samples"] == lines[:2]
  assert all(len(s) <= 8 and set(s) <= set("".join(LINES)) | {"\ufffd"} for s in lines)
  assert 0.0 <= results["js4_samples_vs_heldout"] <= np.log(2) + 1e-12 or not any(
      len(s) >= 4 for s in lines)
  assert results["heldout_word_in_vocab_fraction"] >= 0
  assert np.isfinite(results["generator_loss"])
  json.dumps(results)  # results.json must be able to hold them


def test_experiment_config_has_the_authors_settings():
  config = experiment_config("wgan_gp_language")
  for player in ("critic", "generator"):
    opt = config.optimizer[player]
    assert (opt.name, opt.learning_rate, opt.b1, opt.b2, opt.linear_decay) == (
        "adam", 1e-4, 0.5, 0.9, False)
  assert (config.objective.name, config.objective.n_critic, config.objective.gp_weight) == (
      "wgan_gp", 10, 10.0)
  assert (config.data.name, config.data.batch_size, config.data.seq_len) == ("text", 64, 32)
  assert config.model.generator.seq_len == config.data.seq_len
  assert config.model.generator.latent_dim == 128
