"""Section 2.4.2: the two-level PixelVAE, a one-level PixelVAE, a two-level PixelVAE with Gaussian
(non-autoregressive) latent decoders and a two-level VAE with a factorized pixel output, on the
same data at an equal budget; writes DIR/table.md (test and train bits/dim, KL per level).

Sub-runs DIR/<model>/ use the presets of gen_models/presets/hierarchical_pixelvae.py on 32x32
CIFAR-10 (the offline stand-in for 32x32 LSUN bedrooms); the defaults are full-length GPU runs
(400k steps each). On a CPU shrink them, e.g. `--config.train.num_steps=2000
--config.eval.num_test_examples=500 --config.eval.iwae_samples=0`, and state the budget with
the numbers. `:cpu` is that, as a wall-clock budget: every model trains for 31 minutes
(`train.time_budget_s`; run it pinned to one core, e.g. `taskset -c 1`).
"""

from gen_models.presets import hierarchical_pixelvae as preset, variants

VARIANTS = {
    "": "the four section 2.4.2 models on 32x32 CIFAR-10 at an equal budget",
    "cpu": "the same at a CPU budget: the :cifar10_cpu nets, 31 minutes of training each",
}
CPU_MINUTES = 31


def get_config(arg: str = ""):
  variant = variants.check_variant(arg, VARIANTS, __file__)
  config = preset.hierarchical_pixelvae_config("cifar10", 32)
  if variant == "cpu":
    preset.cpu_budget(config, num_steps=100_000)
    config.objective.kl_warmup_steps = 150  # a tenth of the ~1.5k steps 31 minutes allow
    config.train.update(time_budget_s=CPU_MINUTES * 60, eval_every=0)
  config.eval.evaluators = ("test_likelihood",)  # the table needs the bounds only
  config.protocol = dict(name="hierarchical_ablation", models=tuple(preset.ABLATIONS),
                         train_log_window=20)
  if variant == "cpu":
    config.protocol.train_log_window = 3  # the last 150 of ~1.5k steps, not most of the run
  return config
