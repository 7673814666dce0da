"""The project's CIFAR-10 classifier for the offline classifier score / classifier Frechet
distance (not IS/FID): `python launch/main.py --config=experiments/cifar10_classifier.py
--workdir=DIR`, then `python tools/export_classifier.py --workdir=DIR` caches it."""

from gen_models.presets import classifier, variants

VARIANTS = {"": "the CIFAR-10 classifier behind the offline classifier score"}


def get_config(arg: str = ""):
  variants.check_variant(arg, VARIANTS, __file__)
  return classifier.cifar10_classifier_config()
