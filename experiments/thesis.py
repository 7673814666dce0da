"""The whole thesis from one command: every table and figure's experiments, then REPORT.md.

    python launch/main.py --config=experiments/thesis.py:smoke --workdir=W --launcher=local
    python launch/main.py --config=experiments/thesis.py:cpu --workdir=W --launcher=local --dry_run

Variants (budgets):
- `:smoke`: every artefact end to end at tiny sizes (presets/smoke.py), minutes on 2 cores;
- `:cpu`: the CPU budgets behind `results/`, each run's estimated cost below (core-hours, from
  earlier runs of the same budget on these 2-core hosts; `--dry_run` sums them);
- default (`:full`): the thesis' own budgets (each experiment's defaults), for GPUs.

Each sub-run is one experiment file and variant with the budget's overrides; a protocol
experiment's own sub-runs (ten held-out digits, ...) become thesis sub-runs. `--launcher=local`
runs one per core or GPU, `--launcher=slurm` one SLURM task each. A relaunch keeps every
finished sub-run. W/REPORT.md is rebuilt after each sub-run (`launch/report.py` rebuilds it
from the records alone). `--config.protocol.artefacts="('table_2_1','figure_2_5')"` runs a subset.
"""

from gen_models.presets import thesis, variants

VARIANTS = {
    "": "the thesis' own budgets (= :full; GPU jobs)",
    "full": "the thesis' own budgets: every experiment at its defaults (GPU jobs)",
    "cpu": "the CPU budgets behind results/ (about 39 core-hours; each run's in --dry_run)",
    "smoke": "every artefact end to end at tiny sizes (about 13 minutes on 2 cores)",
}

FULL = {"overrides": {}, "hours": None}  # the experiment's defaults: the thesis' budget

# Quiet, frequently checkpointed CPU runs.
CPU_LOG = {"train.progress_bar": False, "train.log_every": 50}

# Chapter 2 smoke runs: the test bounds of the first 100 test images (an evaluation size of 0,
# the whole test set, is what presets/smoke.py keeps).
SMOKE_NLL = {"eval.num_test_examples": 100}

# Table 2.1's equal-time CPU budget: 30 minutes of training per model, test NLL on the first
# 1,000 test images at every evaluation (the NLL-against-wall-clock figure).
T21_CPU = {**CPU_LOG, "train.time_budget_s": 1800.0, "train.num_steps": 1_000_000,
           "train.log_every": 10, "eval.num_test_examples": 1000, "eval.iwae_samples": 0,
           "eval.evaluators": ("test_likelihood",)}


def _t21(experiment, eval_every, warmup=None):
  cpu = {**T21_CPU, "train.eval_every": eval_every, "train.checkpoint_every": eval_every}
  if warmup is not None:
    cpu["objective.kl_warmup_steps"] = warmup
  return dict(experiment=experiment, cpu={"overrides": cpu, "hours": 0.55}, full=FULL,
              smoke={"overrides": {**SMOKE_NLL, "eval.evaluators": ("test_likelihood",)}})


# Chapter 3 smoke runs: an evaluation after the first of the two smoke steps too, so that the
# curves (scores, critic losses, text measures over training) have two points; both WGANs where
# a claim compares them (the toy sets, the zoo's one smoke architecture).
SMOKE_CURVES = {"train.eval_every": 1}
TOY_PAIR = ("wgan_gp", "wgan_clip")

# Width-16 GANs at a CPU budget.
GAN16 = {"model.generator.width": 16, "model.critic.width": 16}

# Chapter 4's smoke runs: the OOD presets score every test image (eval.num_test_examples 0,
# which the smoke shrink keeps); the first 100 hold every class.
OOD_SMOKE = {"overrides": {"eval.num_test_examples": 100}}

# Table 4.2's CPU budget: the same steps per held-out class for every model (see its runs).
T42_STEPS = 500
T42_CPU = {**CPU_LOG, "train.log_every": 25, "train.checkpoint_every": 250,
           "train.num_steps": T42_STEPS, "eval.num_test_examples": 0}

RUNS = {
    # ---- Chapter 2 ------------------------------------------------------------------------
    "table_2_1": {
        "vae": _t21("experiments/vae_mnist.py", 300, warmup=500),
        "pixelcnn": _t21("experiments/pixelcnn_mnist.py", 100),
        "pixelvae": _t21("experiments/pixelvae_mnist.py", 100, warmup=200),
        "gated_pixelcnn": _t21("experiments/gated_pixelcnn_mnist.py", 35),
        "gated_pixelvae": _t21("experiments/gated_pixelvae_mnist.py", 80, warmup=170),
        "gated_pixelvae_noup": _t21("experiments/gated_pixelvae_noup_mnist.py", 35, warmup=80),
    },
    "figure_2_4": {
        "sweep": dict(experiment="experiments/pixelcnn_layers_sweep.py", full=FULL,
                      smoke={"overrides": SMOKE_NLL},
                      cpu={"hours": 0.8, "overrides": {
                          **CPU_LOG, "train.log_every": 25, "train.checkpoint_every": 100,
                          "train.num_steps": 300, "objective.kl_warmup_steps": 100,
                          "eval.num_test_examples": 1000, "eval.iwae_samples": 0,
                          "protocol.layers": (0, 1, 2, 4, 8)}}),
    },
    "figure_2_5": {
        "latent2d": dict(experiment="experiments/latent2d_mnist.py", full=FULL,
                         smoke={"overrides": {**SMOKE_NLL, "eval.latent_train_examples": 100}},
                         cpu={"hours": 0.9, "overrides": {
                             **CPU_LOG, "train.log_every": 20, "train.time_budget_s": 1500.0,
                             "train.num_steps": 1_000_000, "train.eval_every": 400,
                             "train.checkpoint_every": 400, "objective.kl_warmup_steps": 500}}),
    },
    "hierarchical_pixelvae": {
        "two_level": dict(experiment="experiments/hierarchical_pixelvae.py:cifar10_cpu",
                          smoke={"overrides": {"eval.figure_examples": 2,
                                               "eval.figure_columns": 2}},
                          cpu={"hours": 2.2, "overrides": {"train.progress_bar": False}}),
        "two_level_full": dict(experiment="experiments/hierarchical_pixelvae.py",
                               full=FULL),
        "ablation": dict(experiment="experiments/hierarchical_pixelvae_ablation.py:cpu",
                         smoke={"overrides": {}},
                         cpu={"hours": 2.2, "overrides": {"train.progress_bar": False}}),
        "ablation_full": dict(experiment="experiments/hierarchical_pixelvae_ablation.py",
                              full=FULL),
    },
    "table_2_2": {
        "flops": dict(experiment="experiments/flops_table_2_2.py", full=FULL,
                      cpu={"overrides": {}, "hours": 0.05}, smoke={"overrides": {}}),
    },
    # ---- Chapter 3 ------------------------------------------------------------------------
    "figure_3_1": {
        # Smoke: both objectives on one toy set, two clipping thresholds and the 12-layer MLPs
        # of Figure 3.1b, so that every verdict of the section is computed.
        "value_surfaces": dict(experiment="experiments/toy_value_surfaces.py", full=FULL,
                               cpu={"overrides": {}, "hours": 0.1},
                               smoke={"overrides": {"protocol.objectives": TOY_PAIR}}),
        "gradient_norms": dict(experiment="experiments/toy_gradient_norms.py", full=FULL,
                               cpu={"overrides": {}, "hours": 0.35},
                               smoke={"overrides": {"protocol.clip_values": (0.1, 0.001),
                                                    "model.critic.depth": 12,
                                                    "model.generator.depth": 12}}),
        "toy_comparison": dict(experiment="experiments/toy_gan_comparison.py", full=FULL,
                               cpu={"overrides": {}, "hours": 1.1},
                               smoke={"overrides": {"protocol.objectives": TOY_PAIR}}),
    },
    "figure_3_2": {
        "zoo": dict(experiment="experiments/gan_architecture_zoo.py", full=FULL,
                    smoke={"overrides": {"protocol.objectives": TOY_PAIR}},
                    cpu={"hours": 1.6, "overrides": {
                        **CPU_LOG, "protocol.width": 16, "protocol.depth": 10,
                        "protocol.mlp_width": 128, "train.num_steps": 300,
                        "train.eval_every": 0, "train.checkpoint_every": 100}}),
    },
    "figure_3_3": {
        "methods": dict(experiment="experiments/cifar_method_comparison.py", full=FULL,
                        smoke={"overrides": {**SMOKE_CURVES, "protocol.methods": (
                            "wgan_clip", "wgan_gp_rmsprop", "wgan_gp_adam", "dcgan")}},
                        cpu={"hours": 0.4, "overrides": {
                            **CPU_LOG, **GAN16, "train.num_steps": 1000,
                            "train.eval_every": 100, "train.checkpoint_every": 250,
                            "eval.score_samples": 500}}),
    },
    "cifar10_scores": {
        # Stage 0: its export scores every CIFAR-10 GAN of the thesis run.
        "classifier": dict(experiment="experiments/cifar10_classifier.py", stage=0, full=FULL,
                           smoke={"overrides": {}},
                           cpu={"overrides": {"train.progress_bar": False}, "hours": 0.3}),
        "wgan_gp": dict(experiment="experiments/wgan_gp_cifar.py", full=FULL,
                        smoke={"overrides": SMOKE_CURVES},
                        cpu={"hours": 1.7, "overrides": {
                            **CPU_LOG, "model.generator.width": 32, "model.critic.width": 32,
                            "train.num_steps": 2500, "train.eval_every": 250,
                            "train.checkpoint_every": 250}}),
        "acgan": dict(experiment="experiments/wgan_gp_cifar_acgan.py", full=FULL,
                      smoke={"overrides": SMOKE_CURVES},
                      cpu={"hours": 1.8, "overrides": {
                          **CPU_LOG, "model.generator.width": 32, "model.critic.width": 32,
                          "train.num_steps": 2500, "train.eval_every": 250,
                          "train.checkpoint_every": 250}}),
    },
    "figure_3_7b": {
        "overfitting": dict(experiment="experiments/wgan_overfitting_mnist.py", full=FULL,
                            smoke={"overrides": {**SMOKE_CURVES,
                                                 "protocol.methods": ("wgan_gp", "wgan_clip")}},
                            cpu={"hours": 0.45, "overrides": {
                                **CPU_LOG, **GAN16, "train.num_steps": 2000,
                                "train.eval_every": 100, "train.checkpoint_every": 500}}),
    },
    "language_gan": {
        "lm1b": dict(experiment="experiments/wgan_gp_language.py", full=FULL,
                     smoke={"overrides": SMOKE_CURVES},
                     cpu={"hours": 0.45, "overrides": {
                         **CPU_LOG, "train.log_every": 20, "train.num_steps": 1000,
                         "train.eval_every": 200, "train.checkpoint_every": 200,
                         "train.unroll_critic": True, "model.generator.width": 64,
                         "model.critic.width": 64}}),
    },
    # ---- Chapter 4 ------------------------------------------------------------------------
    "table_4_1": {
        "vae": dict(experiment="experiments/ood_mnist.py:vae", full=FULL,
                    smoke=OOD_SMOKE,
                    cpu={"hours": 4.6, "overrides": {
                        **CPU_LOG, "train.checkpoint_every": 500, "train.num_steps": 5000,
                        "objective.kl_warmup_steps": 1000, "eval.iwae_samples": 10,
                        "eval.iwae_chunk": 10}}),
        "pixelcnn": dict(experiment="experiments/ood_mnist.py:pixelcnn", full=FULL,
                         smoke=OOD_SMOKE,
                         cpu={"hours": 0.9, "overrides": {
                             **CPU_LOG, "train.log_every": 25, "train.checkpoint_every": 200,
                             "train.num_steps": 600, "model.channels": 16,
                             "model.num_ar_layers": 6}}),
        "pixelvae": dict(experiment="experiments/ood_mnist.py:pixelvae", full=FULL,
                         smoke=OOD_SMOKE,
                         cpu={"hours": 8.3, "overrides": {
                             **CPU_LOG, "train.checkpoint_every": 500, "train.num_steps": 10000,
                             "model.channels": 16, "model.num_ar_layers": 1,
                             "objective.kl_warmup_steps": 1500, "eval.iwae_samples": 0}}),
        "dcgan": dict(experiment="experiments/ood_mnist.py:dcgan", full=FULL,
                      smoke=OOD_SMOKE,
                      cpu={"hours": 0.6, "overrides": {
                          **CPU_LOG, **GAN16, "train.log_every": 25,
                          "train.checkpoint_every": 250, "train.num_steps": 1000}}),
    },
    "table_4_2": {
        # One equal budget per held-out class for all four models: T42_STEPS steps at batch 64
        # (0.7 epoch of the 45,000 training images), then the full 10,000-image test set
        # (eval.num_test_examples = 0: all). Hours from 40 steps of each on one core of the
        # shared 2-core machine (s/step: IAF 0.18, DC-GAN 0.33, PixelVAE 1.8, PixelCNN++ 2.1;
        # the full test set: 10 s to 2.4 min; the reducer's background models ~30 s a class).
        "iaf_vae": dict(experiment="experiments/ood_cifar10.py:iaf_vae", full=FULL,
                        smoke=OOD_SMOKE,
                        cpu={"hours": 0.4, "overrides": {
                            **T42_CPU, "model.channels": 16, "model.latent_dim": 32,
                            "model.iaf_hidden": 64, "eval.iwae_samples": 0}}),
        "pixelcnnpp": dict(experiment="experiments/ood_cifar10.py:pixelcnnpp", full=FULL,
                           smoke=OOD_SMOKE,
                           cpu={"hours": 3.0, "overrides": {
                               **T42_CPU, "model.channels": 16}}),
        "pixelvae": dict(experiment="experiments/ood_cifar10.py:pixelvae", full=FULL,
                         smoke=OOD_SMOKE,
                         cpu={"hours": 2.6, "overrides": {
                             **T42_CPU, "model.channels": 16, "eval.iwae_samples": 0,
                             # the preset ramps the KL over 10k steps: a fifth of ours here
                             "objective.kl_warmup_steps": T42_STEPS // 5}}),
        "dcgan": dict(experiment="experiments/ood_cifar10.py:dcgan", full=FULL,
                      smoke=OOD_SMOKE,
                      cpu={"hours": 0.6, "overrides": {**T42_CPU, **GAN16}}),
    },
    "fashion_to_mnist": {
        "pixelcnn": dict(experiment="experiments/ood_fashion_to_mnist.py:pixelcnn", full=FULL,
                         smoke=OOD_SMOKE,
                         cpu={"hours": 0.25, "overrides": {
                             **CPU_LOG, "train.log_every": 100, "train.checkpoint_every": 250,
                             "model.channels": 16, "model.num_ar_layers": 4,
                             "data.batch_size": 64, "train.num_steps": 6000,
                             "eval.num_test_examples": 2000}}),
    },
    "sampling_speed": {
        # cpu: the benchmark's own sizes (64 samples, 12 x 32 Gated PixelCNN; ~15 min on one
        # core, the naive sampler 108 s for 8 samples); smoke: seconds.
        "gated_pixelcnn": dict(experiment="experiments/sampling_speed.py", full=FULL,
                               cpu={"overrides": {}, "hours": 0.3},
                               smoke={"overrides": {
                                   "job.num_samples": 2, "job.size": 8, "job.layers": 2,
                                   "job.channels": 8, "job.hierarchical": False}}),
    },
}


def get_config(arg: str = ""):
  budget = variants.check_variant(arg, VARIANTS, __file__) or "full"
  return thesis.thesis_config(budget, RUNS)
