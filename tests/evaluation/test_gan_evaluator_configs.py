"""Every GAN experiment config (and each protocol sub-run) lists known evaluators, sets
eval.strict and every config.eval key its evaluators read; the image GAN configs also carry the
keys of the optional score evaluators, so adding one by override needs no new key."""

import pytest

from conftest import experiment_config
from gen_models import protocols
from gen_models.evaluation import registry

GAN_EXPERIMENTS = [("wgan_gp_cifar", ""), ("wgan_gp_cifar", "dcgan"), ("wgan_gp_cifar_acgan", ""),
                   ("wgan_gp_language", ""), ("wgan_gp_toy", ""),
                   ("wgan_gp_toy", "swissroll,wgan_clip"), ("toy_gan_comparison", ""),
                   ("toy_gradient_norms", ""), ("toy_value_surfaces", ""),
                   ("gan_architecture_zoo", ""), ("gan_architecture_zoo", "image_folder"),
                   ("cifar_method_comparison", ""), ("wgan_overfitting_mnist", ""),
                   ("ood_cifar10", "dcgan"), ("ood_mnist", "dcgan")]


def _runs(config):
  if "protocol" in config:
    return protocols.PROTOCOLS[config.protocol.name].subruns(config)
  return [("", config)]


@pytest.mark.parametrize("name,arg", GAN_EXPERIMENTS)
def test_listed_evaluators_find_their_keys(name, arg):
  config = experiment_config(name, arg)
  for sub_name, sub in _runs(config):
    assert sub.eval.strict is False, (name, sub_name)
    names = registry.configured_names(sub)
    assert names, (name, sub_name)
    for evaluator in names:
      missing = [k for k in registry.lookup(evaluator).config_keys if k not in sub.eval]
      assert not missing, (name, sub_name, evaluator, missing)


@pytest.mark.parametrize("name,arg", [("wgan_gp_cifar", ""), ("wgan_gp_cifar_acgan", ""),
                                      ("gan_architecture_zoo", ""),
                                      ("cifar_method_comparison", "")])
def test_cifar_configs_carry_the_optional_score_keys(name, arg):
  config = experiment_config(name, arg)
  assert "classifier_scores" in config.eval.evaluators
  for evaluator in ("fid", "inception_score"):
    assert set(registry.lookup(evaluator).config_keys) <= set(config.eval), evaluator
