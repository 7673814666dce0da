"""The whole thesis from one command: every table and figure's experiments, then REPORT.md.

    python launch/main.py --config=experiments/thesis.py:smoke --workdir=W --launcher=local
    python launch/main.py --config=experiments/thesis.py:cpu --workdir=W --launcher=local --dry_run

Variants (budgets):
- `:smoke`: every artefact end to end at tiny sizes (presets/smoke.py), minutes on 2 cores;
- `:cpu`: the CPU budgets behind the committed report, each run's cost below (core-hours);
- default (`:full`): the thesis' own budgets (each experiment's defaults), for GPUs.

Each sub-run is one experiment file and variant with the budget's overrides; a protocol
experiment's own sub-runs (ten held-out digits, ...) become thesis sub-runs. `--launcher=local`
runs one per core or GPU, `--launcher=slurm` one SLURM task each. A relaunch keeps every
finished sub-run. W/REPORT.md is rebuilt after each sub-run (`launch/report.py` rebuilds it
from the records alone). `--config.protocol.artefacts=(table_2_1,figure_2_5)` runs a subset.
"""

from gen_models.presets import thesis, variants

VARIANTS = {
    "": "the thesis' own budgets (= :full; GPU jobs)",
    "full": "the thesis' own budgets: every experiment at its defaults (GPU jobs)",
    "cpu": "the CPU budgets behind results/REPORT.md (each run's core-hours in --dry_run)",
    "smoke": "every artefact end to end at tiny sizes (about 20 minutes on 2 cores)",
}

FULL = {"overrides": {}, "hours": None}  # the experiment's defaults: the thesis' budget

# Quiet, frequently checkpointed CPU runs.
CPU_LOG = {"train.progress_bar": False, "train.log_every": 50}

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
              smoke={"overrides": {}})


# Width-16 GANs at a CPU budget.
GAN16 = {"model.generator.width": 16, "model.critic.width": 16}

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
                      smoke={"overrides": {}},
                      cpu={"hours": 0.8, "overrides": {
                          **CPU_LOG, "train.log_every": 25, "train.checkpoint_every": 100,
                          "train.num_steps": 300, "objective.kl_warmup_steps": 100,
                          "eval.num_test_examples": 1000, "eval.iwae_samples": 0,
                          "protocol.layers": (0, 1, 2, 4, 8)}}),
    },
    "figure_2_5": {
        "latent2d": dict(experiment="experiments/latent2d_mnist.py", full=FULL,
                         smoke={"overrides": {}},
                         cpu={"hours": 0.9, "overrides": {
                             **CPU_LOG, "train.log_every": 20, "train.time_budget_s": 1500.0,
                             "train.num_steps": 1_000_000, "train.eval_every": 400,
                             "train.checkpoint_every": 400, "objective.kl_warmup_steps": 500}}),
    },
    "hierarchical_pixelvae": {
        "two_level": dict(experiment="experiments/hierarchical_pixelvae.py:cifar10_cpu",
                          smoke={"overrides": {}},
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
        "value_surfaces": dict(experiment="experiments/toy_value_surfaces.py", full=FULL,
                               cpu={"overrides": {}, "hours": 0.1}, smoke={"overrides": {}}),
        "gradient_norms": dict(experiment="experiments/toy_gradient_norms.py", full=FULL,
                               cpu={"overrides": {}, "hours": 0.35}, smoke={"overrides": {}}),
        "toy_comparison": dict(experiment="experiments/toy_gan_comparison.py", full=FULL,
                               cpu={"overrides": {}, "hours": 1.1}, smoke={"overrides": {}}),
    },
    "figure_3_2": {
        "zoo": dict(experiment="experiments/gan_architecture_zoo.py", full=FULL,
                    smoke={"overrides": {}},
                    cpu={"hours": 1.6, "overrides": {
                        **CPU_LOG, "protocol.width": 16, "protocol.depth": 10,
                        "protocol.mlp_width": 128, "train.num_steps": 300,
                        "train.eval_every": 0, "train.checkpoint_every": 100}}),
    },
    "figure_3_3": {
        "methods": dict(experiment="experiments/cifar_method_comparison.py", full=FULL,
                        smoke={"overrides": {}},
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
                        smoke={"overrides": {}},
                        cpu={"hours": 1.7, "overrides": {
                            **CPU_LOG, "model.generator.width": 32, "model.critic.width": 32,
                            "train.num_steps": 2500, "train.eval_every": 250,
                            "train.checkpoint_every": 250}}),
        "acgan": dict(experiment="experiments/wgan_gp_cifar_acgan.py", full=FULL,
                      smoke={"overrides": {}},
                      cpu={"hours": 1.8, "overrides": {
                          **CPU_LOG, "model.generator.width": 32, "model.critic.width": 32,
                          "train.num_steps": 2500, "train.eval_every": 250,
                          "train.checkpoint_every": 250}}),
    },
    "figure_3_7b": {
        "overfitting": dict(experiment="experiments/wgan_overfitting_mnist.py", full=FULL,
                            smoke={"overrides": {}},
                            cpu={"hours": 0.45, "overrides": {
                                **CPU_LOG, **GAN16, "train.num_steps": 2000,
                                "train.eval_every": 100, "train.checkpoint_every": 500}}),
    },
    "language_gan": {
        "lm1b": dict(experiment="experiments/wgan_gp_language.py", full=FULL,
                     smoke={"overrides": {}},
                     cpu={"hours": 0.45, "overrides": {
                         **CPU_LOG, "train.log_every": 20, "train.num_steps": 1000,
                         "train.eval_every": 200, "train.checkpoint_every": 200,
                         "train.unroll_critic": True, "model.generator.width": 64,
                         "model.critic.width": 64}}),
    },
    # ---- Chapter 4 ------------------------------------------------------------------------
    "table_4_1": {
        "vae": dict(experiment="experiments/ood_mnist.py:vae", full=FULL,
                    smoke={"overrides": {}},
                    cpu={"hours": 4.6, "overrides": {
                        **CPU_LOG, "train.checkpoint_every": 500, "train.num_steps": 5000,
                        "objective.kl_warmup_steps": 1000, "eval.iwae_samples": 10,
                        "eval.iwae_chunk": 10}}),
        "pixelcnn": dict(experiment="experiments/ood_mnist.py:pixelcnn", full=FULL,
                         smoke={"overrides": {}},
                         cpu={"hours": 0.9, "overrides": {
                             **CPU_LOG, "train.log_every": 25, "train.checkpoint_every": 200,
                             "train.num_steps": 600, "model.channels": 16,
                             "model.num_ar_layers": 6}}),
        "pixelvae": dict(experiment="experiments/ood_mnist.py:pixelvae", full=FULL,
                         smoke={"overrides": {}},
                         cpu={"hours": 8.3, "overrides": {
                             **CPU_LOG, "train.checkpoint_every": 500, "train.num_steps": 10000,
                             "model.channels": 16, "model.num_ar_layers": 1,
                             "objective.kl_warmup_steps": 1500, "eval.iwae_samples": 0}}),
        "dcgan": dict(experiment="experiments/ood_mnist.py:dcgan", full=FULL,
                      smoke={"overrides": {}},
                      cpu={"hours": 0.6, "overrides": {
                          **CPU_LOG, **GAN16, "train.log_every": 25,
                          "train.checkpoint_every": 250, "train.num_steps": 1000}}),
    },
    "table_4_2": {
        "iaf_vae": dict(experiment="experiments/ood_cifar10.py:iaf_vae", full=FULL,
                        smoke={"overrides": {}},
                        cpu={"hours": 0.9, "overrides": {
                            **CPU_LOG, "train.log_every": 25, "train.checkpoint_every": 250,
                            "train.num_steps": 1000, "model.channels": 16,
                            "model.latent_dim": 32, "model.iaf_hidden": 64,
                            "eval.iwae_samples": 0}}),
        "pixelcnnpp": dict(experiment="experiments/ood_cifar10.py:pixelcnnpp", full=FULL,
                           smoke={"overrides": {}},
                           cpu={"hours": 2.0, "overrides": {
                               **CPU_LOG, "train.log_every": 25, "train.checkpoint_every": 250,
                               "train.num_steps": 1000, "model.channels": 16}}),
        "pixelvae": dict(experiment="experiments/ood_cifar10.py:pixelvae", full=FULL,
                         smoke={"overrides": {}},
                         cpu={"hours": 2.0, "overrides": {
                             **CPU_LOG, "train.log_every": 25, "train.checkpoint_every": 250,
                             "train.num_steps": 1000, "model.channels": 16,
                             "eval.iwae_samples": 0}}),
        "dcgan": dict(experiment="experiments/ood_cifar10.py:dcgan", full=FULL,
                      smoke={"overrides": {}},
                      cpu={"hours": 0.9, "overrides": {
                          **CPU_LOG, **GAN16, "train.log_every": 25,
                          "train.checkpoint_every": 250, "train.num_steps": 1000}}),
    },
    "fashion_to_mnist": {
        "pixelcnn": dict(experiment="experiments/ood_fashion_to_mnist.py:pixelcnn", full=FULL,
                         smoke={"overrides": {}},
                         cpu={"hours": 0.25, "overrides": {
                             **CPU_LOG, "train.log_every": 100, "train.checkpoint_every": 250,
                             "model.channels": 16, "model.num_ar_layers": 4,
                             "data.batch_size": 64, "train.num_steps": 6000,
                             "eval.num_test_examples": 2000}}),
    },
    "sampling_speed": {
        "gated_pixelcnn": dict(experiment="experiments/sampling_speed.py", full=FULL,
                               cpu={"overrides": {}, "hours": 0.3}, smoke={"overrides": {}}),
    },
}


def get_config(arg: str = ""):
  budget = variants.check_variant(arg, VARIANTS, __file__) or "full"
  return thesis.thesis_config(budget, RUNS)
