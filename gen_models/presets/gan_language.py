"""Config preset for the character-level WGAN-GP language model (thesis section 3.5.4, table 3.1).

The WGAN-GP authors' settings: Adam(1e-4, b1=0.5, b2=0.9) without decay, batch 64, n_critic 10,
lambda 10, 32-character sequences, a 2048-character cap on the vocabulary, 1-D CNNs of width 512
with 5 residual blocks, 128-d noise, 200k generator steps.
"""

import ml_collections

from gen_models.presets import gan_objectives
from gen_models.training import optimizers


def text_cnn_config(width: int = 512, num_blocks: int = 5, **extra) -> ml_collections.ConfigDict:
  """Generator extras: latent_dim, seq_len (must equal data.seq_len)."""
  return ml_collections.ConfigDict(dict(name="text_cnn", width=width, num_blocks=num_blocks,
                                        **extra))


def language_optimizer() -> ml_collections.ConfigDict:
  return optimizers.optimizer_config(name="adam", learning_rate=1e-4, b1=0.5, b2=0.9)


def gan_language_config(seq_len: int = 32):
  """WGAN-GP on One Billion Word sentences (by default the lm1b sample in the data dir).

  Compute: 200k generator steps (2M critic updates) is a GPU-scale run (the authors' length).
  On this project's shared 2-core CPU a width-64 step (10 critic updates + 1 generator update)
  took ~2.3 s (results/language_gan.md), the full width 512 ~64x the FLOPs; for CPU trials
  override train.num_steps and model.generator.width / model.critic.width.
  """
  objective = gan_objectives.objective_config("wgan_gp")
  objective.n_critic = 10
  objective.gp_weight = 10.0
  return ml_collections.ConfigDict(dict(
      task="gan",
      # path: a file, a glob or a list (relative to the data dir), "" for lm1b_sample/*.tokens,
      # or "tfds:lm1b" (needs tensorflow_datasets).
      data=dict(name="text", data_dir="", path="", seq_len=seq_len, vocab_size=2048,
                batch_size=64),
      model=dict(num_classes=0,
                 generator=text_cnn_config(latent_dim=128, seq_len=seq_len),
                 critic=text_cnn_config()),  # no norm: the text critic has none
      objective=objective,
      optimizer=dict(critic=language_optimizer(), generator=language_optimizer()),
      # unroll_critic: the n_critic updates as straight-line code, not lax.scan (XLA:CPU runs
      # the convolutions of a scanned update far slower; see BUILD_NOTES.md).
      train=dict(num_steps=200000, log_every=100, eval_every=5000, checkpoint_every=1000,
                 keep_checkpoints=2,
                 time_budget_s=0.0, seed=0, progress_bar=True, unroll_critic=True),
      # loss_examples: real sequences (rounded up to whole batches) for the evaluation losses
      # (gan_losses); num_text_samples: argmax-decoded samples written to samples.txt and scored
      # (text_samples); num_listed_samples: how many of them go into results.json.
      eval=dict(evaluators=("text_samples", "gan_losses"), strict=False, loss_examples=640,
                num_text_samples=1000, num_listed_samples=20),
  ))
