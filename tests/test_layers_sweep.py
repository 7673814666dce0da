"""Figure 2.4's sweep: sub-run configs per family and layer count, and the whole protocol on
real MNIST with tiny models (both families, 0/1 layers), figure and table written."""

import json

import pytest

from conftest import experiment_config, launch
from gen_models.protocols import layers_sweep


def _config():
  return experiment_config("pixelcnn_layers_sweep")


def test_subruns_cover_both_families_and_skip_a_zero_layer_pixelcnn():
  runs = dict(layers_sweep.PixelCNNLayersSweep.subruns(_config()))
  assert "pixelcnn_0layers" not in runs and "pixelvae_0layers" in runs
  assert runs["pixelvae_4layers"].model.num_ar_layers == 4
  assert runs["pixelvae_4layers"].objective.name == "negative_elbo"
  assert runs["pixelcnn_4layers"].objective.name == "nll"
  assert runs["pixelcnn_4layers"].model.latent_dim == 0
  assert all(r.model.first_kernel_size == 5 for r in runs.values())


@pytest.mark.slow
def test_sweep_end_to_end_on_tiny_models(tmp_path):
  launch("--config=experiments/pixelcnn_layers_sweep.py", "--config.model.channels=4",
         "--config.model.latent_dim=2", "--config.data.batch_size=8",
         "--config.objective.kl_warmup_steps=2", "--config.train.num_steps=2",
         "--config.train.progress_bar=False", "--config.eval.num_test_examples=16",
         "--config.eval.batch_size=8", "--config.eval.iwae_samples=0",
         "--config.protocol.layers=(0, 1)",
         f"--workdir={tmp_path}", check=True, timeout=600)
  summary = json.loads((tmp_path / "results.json").read_text())
  assert sorted(summary["runs"]) == ["pixelcnn_1layers", "pixelvae_0layers", "pixelvae_1layers"]
  table = (tmp_path / "table.md").read_text()
  assert "| pixelcnn | 1 |" in table and "| exact |" in table
  assert (tmp_path / "figures" / "nll_vs_layers.png").is_file()
