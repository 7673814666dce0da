"""Table 4.2: leave-one-class-out OOD detection on CIFAR-10 (thesis sections 4.2-4.3).

Variants (default `iaf_vae`):
- `:iaf_vae`   the VAE with a two-step IAF posterior and a discretized logistic decoder;
- `:pixelcnnpp` our PixelCNN++-like model (gated stacks + logistic mixture head, no U-net);
- `:pixelvae`  the colour PixelVAE (upsampling decoder features condition a gated PixelCNN++
               head);
- `:vae`       the plain colour VAE (no flow), a baseline for the IAF;
- `:dcgan`     DCGAN, the discriminator's output as the normality score.
Models and settings: gen_models/presets/likelihood_cifar.py and gan_cifar.dcgan_cifar_ood_config.

Ten trainings, one per held-out class (airplane ... truck), into DIR/heldout_<c>/; each scores
the full 10,000-image test set (scores.npz: `elbo`/`iwae` or `exact` log-likelihoods in nats, or
`discriminator`) and reports bits/dim; the reducer writes DIR/table.md (AUPR, AUROC, FPR95 per
class name and score, plus the input-complexity-corrected log-likelihoods).

The defaults are full-length GPU runs (50 epochs for the VAEs, 100k steps for the
autoregressive models, 50k generator steps for the DCGAN, per held-out class). On a CPU shrink
them, e.g. `--config.train.num_steps=500 --config.model.channels=16
--config.eval.num_test_examples=1000 --config.eval.iwae_samples=10`
(for the DCGAN `--config.model.generator.width=32 --config.model.critic.width=32
--config.eval.loss_examples=64` instead of the model and IWAE overrides), and state
that budget next to any number.
"""

from gen_models.data import cifar10
from gen_models.presets import gan_cifar, likelihood_cifar, variants

VARIANTS = {"": "the IAF-VAE (= :iaf_vae)",
            "iaf_vae": "VAE with a two-step IAF posterior, discretized logistic decoder",
            "pixelcnnpp": "PixelCNN++-like model (gated stacks, logistic mixture head)",
            "pixelvae": "colour PixelVAE (upsampling decoder conditions a PixelCNN++ head)",
            "vae": "plain colour VAE (no flow), the baseline for the IAF",
            "dcgan": "DCGAN, the discriminator's output as the normality score"}
_FAMILIES = {"iaf_vae": "iaf_vae", "pixelcnnpp": "pixelcnnpp", "pixelvae": "color_pixelvae",
             "vae": "color_vae"}


def get_config(arg: str = ""):
  variant = variants.check_variant(arg, VARIANTS, __file__) or "iaf_vae"
  if variant == "dcgan":
    config = gan_cifar.dcgan_cifar_ood_config()
  else:
    config = likelihood_cifar.likelihood_cifar_config(_FAMILIES[variant])
    config.eval.evaluators = ("test_likelihood",)  # writes each sub-run's scores.npz
  config.protocol = dict(name="ood_leave_one_class_out", held_out_classes=tuple(range(10)),
                         class_names=cifar10.CLASSES,
                         log_likelihood_scores=("elbo", "iwae", "exact"))
  return config
