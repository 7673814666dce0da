"""Multi-run protocols: each module lists sub-configs and reduces their results.

A protocol module provides `subruns(config) -> [(name, sub_config)]` and
`reduce(config, workdir, results: {name: results.json}) -> summary dict`; gen_models/runs/
runs them (see runs/protocol.py).
"""

import ml_collections

from gen_models.protocols import (cifar, hierarchical_ablation, latent2d, layers_sweep, ood,
                                  overfitting, toy, zoo)

PROTOCOLS = {
    "toy_value_surfaces": toy.ValueSurfaces,
    "toy_gradient_norms": toy.GradientNorms,
    "toy_gan_comparison": toy.GanComparison,
    "ood_leave_one_class_out": ood.LeaveOneClassOut,
    "ood_cross_dataset": ood.CrossDataset,
    "cifar_method_comparison": cifar.MethodComparison,
    "pixelcnn_layers_sweep": layers_sweep.PixelCNNLayersSweep,
    "hierarchical_ablation": hierarchical_ablation.HierarchicalAblation,
    "latent2d": latent2d.Latent2D,
    "architecture_zoo": zoo.ArchitectureZoo,
    "wgan_overfitting": overfitting.Overfitting,
}


def base_config(config) -> ml_collections.ConfigDict:
  """The config without its protocol section, unlocked, for protocols to specialise."""
  base = ml_collections.ConfigDict(config.to_dict())
  del base["protocol"]
  return base
