"""Figure 3.2's protocol (architecture_zoo): the sweep config's cells carry appendix B.2's
optimizers; a tiny 2 x 2 sweep on real CIFAR-10 runs end to end through the launcher and writes
the combined figure and table; a diverged cell is recorded and drawn, not fatal."""

import json
import os
import pathlib

import numpy as np
import pytest
from PIL import Image

from conftest import experiment_config, launch
from gen_models import protocols, runs
from gen_models.data import cifar10
from gen_models.protocols import zoo
from gen_models.runs import single as runner
from gen_models.training import trainer

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data"))
TINY = ["--config.protocol.width=2", "--config.protocol.depth=8", "--config.protocol.mlp_width=8",
        "--config.protocol.latent_dim=4", "--config.data.batch_size=2",
        "--config.train.num_steps=1", "--config.train.eval_every=0",
        "--config.train.unroll_critic=False", "--config.train.progress_bar=False",
        "--config.eval.loss_examples=2", "--config.eval.grid_rows=2",
        "--config.eval.evaluators=sample_grid,gan_losses"]


def test_cells_get_appendix_b2_optimizers_and_objective_dependent_critic_norm():
  config = experiment_config("gan_architecture_zoo")
  runs = dict(zoo.ArchitectureZoo.subruns(config))
  assert len(runs) == 28 and protocols.PROTOCOLS[config.protocol.name] is zoo.ArchitectureZoo
  expected = {"wgan_gp": ("adam", 1e-4, 0.5, 0.9, 5), "wgan_clip": ("rmsprop", 5e-5, None, None, 5),
              "dcgan": ("adam", 2e-4, 0.5, 0.999, 1), "lsgan": ("rmsprop", 1e-4, None, None, 1)}
  for objective, (opt, lr, b1, b2, n_critic) in expected.items():
    sub = runs[f"{objective}_dcgan"]
    assert (sub.objective.name, sub.objective.n_critic) == (objective, n_critic)
    for player in ("critic", "generator"):
      o = sub.optimizer[player]
      assert (o.name, o.learning_rate, o.linear_decay) == (opt, lr, False)
      if b1 is not None:
        assert (o.b1, o.b2) == (b1, b2)
    assert sub.model.critic.norm == ("layer_norm" if objective == "wgan_gp" else "batch_norm")
    assert runs[f"{objective}_no_norm"].model.critic.norm == "none"
    assert runs[f"{objective}_resnet_deep"].model.generator.depth == 101
  assert runs["wgan_clip_dcgan"].objective.clip == 0.01
  assert runs["wgan_gp_dcgan"].objective.gp_weight == 10.0
  assert "protocol" not in runs["wgan_gp_dcgan"]


@pytest.mark.skipif(not cifar10.tarball_path(DATA).is_file(), reason="needs the CIFAR-10 tarball")
@pytest.mark.slow
def test_tiny_sweep_on_cifar10_writes_the_combined_figure(tmp_path):
  # The cheapest objectives to compile (no penalty); every cell's models are built in
  # tests/models/test_gan_zoo_models.py. mlp_generator's critic has batch norm, no_norm's none.
  launch("--config=experiments/gan_architecture_zoo.py", *TINY,
         "--config.protocol.architectures=('mlp_generator','no_norm')",
         "--config.protocol.objectives=('wgan_clip','lsgan')", f"--workdir={tmp_path}",
         check=True)
  for cell in ("wgan_clip_mlp_generator", "lsgan_mlp_generator", "wgan_clip_no_norm",
               "lsgan_no_norm"):
    assert json.loads((tmp_path / cell / "results.json").read_text())["step"] == 1
    assert (tmp_path / cell / "figures" / "samples.png").is_file()
  figure = Image.open(tmp_path / "figures" / "architecture_zoo.png")
  assert figure.width > 300 and figure.height > 300
  table = (tmp_path / "table.md").read_text()
  assert "| no normalization in G or D | not computed | not computed |" in table


def test_a_diverged_cell_is_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch):
  config = experiment_config("gan_architecture_zoo")
  config.protocol.architectures = ("dcgan", "tanh")
  config.protocol.objectives = ("wgan_gp",)
  calls = []

  def fake_run(sub_config, subdir):  # no training: a grid of known pixels, or a NaN
    calls.append(pathlib.Path(subdir).name)
    if sub_config.model.generator.activation == "tanh":
      raise trainer.NonFiniteLossError("non-finite critic_loss at step 7; training stopped.")
    pathlib.Path(subdir, "figures").mkdir(parents=True)
    # An 8 x 8 grid (eval.grid_rows) of 2 x 2 samples with 1-pixel borders, as GANTask writes.
    Image.fromarray(np.full((25, 25, 3), 200, np.uint8)).save(
        pathlib.Path(subdir, "figures", "samples.png"))
    return {"step": 3, "classifier_score": 4.25, "classifier_score_std": 0.5,
            "classifier_frechet_distance": 12.3}

  monkeypatch.setattr(runner, "run", fake_run)
  summary = runs.protocol.run(config, tmp_path)
  assert calls == ["wgan_gp_dcgan", "wgan_gp_tanh"]
  assert summary["runs"]["wgan_gp_tanh"]["diverged"] is True
  table = (tmp_path / "table.md").read_text()
  assert "| DCGAN G and D | 4.25 ± 0.50 / 12.3 |" in table and "| tanh nonlinearities | diverged |" in table
  assert (tmp_path / "figures" / "architecture_zoo.png").stat().st_size > 1000
