"""Table 4.1: leave-one-digit-out OOD detection on MNIST (AUPR, %), ours beside the thesis',
with the claims of its section 4.3.1 and caption (gen_models/reports/ood_tables.py renders it)."""

from gen_models.reports import ood_tables, section, thesis_numbers

KEY = "table_4_1"
TITLE = "Table 4.1: leave-one-digit-out OOD detection on MNIST (AUPR, %)"
CHAPTER = 4
SPEC = thesis_numbers.TABLE_4_1
EXPERIMENTS = tuple(f"{SPEC['experiment']}:{variant}" for variant in SPEC["models"])
MODELS = tuple(SPEC["models"])  # vae, pixelcnn, pixelvae, dcgan
LIKELIHOOD_MODELS = ("vae", "pixelcnn", "pixelvae")
NAMES = {variant: column for variant, (column, *_) in SPEC["models"].items()}
HARD_DIGITS = ("1", "7")


def _best(key: str):
  """'The VAE is the best by its `key` AUPR' over all four models."""
  def test(s):
    others = [v for v in MODELS if v != "vae"]
    return (s["vae"][key] > max(s[v][key] for v in others),
            ood_tables.values_text(s, MODELS, key, NAMES))
  return test


def _likelihood_beats_gan(s):
  holds = all(s[v]["mean"] > s["dcgan"]["mean"] for v in LIKELIHOOD_MODELS)
  return holds, ood_tables.values_text(s, MODELS, "mean", NAMES)


def _hard_digits(s):
  """Digits 1 and 7 below every model's median AUPR."""
  below = {v: [d for d in HARD_DIGITS if s[v]["per_class"][d] < s[v]["median"]] for v in MODELS}
  holds = all(len(b) == len(HARD_DIGITS) for b in below.values())
  def digits(v):
    return " / ".join(f"{s[v]['per_class'][d]:.2f}" for d in HARD_DIGITS)
  return holds, ", ".join(f"{NAMES[v]} {digits(v)} (median {s[v]['median']:.2f})"
                          for v in MODELS)


CLAIMS = (
    ood_tables.ClaimSpec("On average the VAE performs best: the highest mean AUPR of the four "
                         "models (section 4.3.1)", MODELS, _best("mean")),
    ood_tables.ClaimSpec("The VAE also has the highest median AUPR (Table 4.1, bold)", MODELS,
                         _best("median")),
    ood_tables.ClaimSpec("The likelihood models (VAE, PixelCNN, PixelVAE) each beat the DC-GAN "
                         "discriminator on mean AUPR (Table 4.1's numbers)", MODELS,
                         _likelihood_beats_gan),
    ood_tables.ClaimSpec("Digits 1 and 7 are consistently harder to detect: below every "
                         "model's median AUPR (Table 4.1 caption)", MODELS, _hard_digits,
                         HARD_DIGITS),
)


def render(ctx: section.Context) -> section.Section:
  return ood_tables.render(ctx, SPEC, CLAIMS)
