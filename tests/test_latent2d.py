"""Figure 2.5's protocol end to end on real MNIST with tiny models: latents written, K-NN error
in the table, scatter figure."""

import json

import pytest

from conftest import launch


@pytest.mark.slow
def test_latent2d_end_to_end(tmp_path):
  launch("--config=experiments/latent2d_mnist.py", "--config.model.channels=4",
         "--config.data.batch_size=8", "--config.objective.kl_warmup_steps=2",
         "--config.train.num_steps=2", "--config.train.eval_every=1",
         "--config.train.progress_bar=False",
         "--config.eval.num_test_examples=64", "--config.eval.batch_size=32",
         "--config.eval.latent_train_examples=128",
         "--config.protocol.pixelvae_layers=1", f"--workdir={tmp_path}", check=True, timeout=600)
  summary = json.loads((tmp_path / "results.json").read_text())
  for family in ("vae", "pixelvae"):
    run = summary["runs"][family]
    assert 0.0 <= run["knn_test_error"] <= 1.0
    assert run["num_train"] == 128 and run["num_test"] == 64
    # the evaluator's own K-NN error (what a periodic evaluation logs) is the reducer's
    sub_results = json.loads((tmp_path / family / "results.json").read_text())
    assert sub_results["latent_knn_error"] == run["knn_test_error"]
  assert "5-NN test error" in (tmp_path / "table.md").read_text()
  assert (tmp_path / "figures" / "latent2d.png").is_file()
  # evaluations at steps 1 and 2 trace the K-NN error over training
  assert (tmp_path / "figures" / "latent2d_training.png").is_file()


def test_training_curves_need_two_evaluations_of_a_run(tmp_path):
  from gen_models.protocols import latent2d
  for family, evals in (("vae", 2), ("pixelvae", 1)):
    (tmp_path / family).mkdir()
    rows = [{"step": 10 * (i + 1), "eval/latent_knn_error": 0.5 / (i + 1), "eval/test_kl": 3.0,
             "eval/test_nll_elbo": 100.0 - i, "train_elapsed_s": 5.0 * (i + 1)}
            for i in range(evals)]
    (tmp_path / family / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
  path = latent2d.training_curves(tmp_path, ["vae", "pixelvae"], tmp_path / "curves.png")
  assert path == tmp_path / "curves.png" and path.is_file()
  assert latent2d.training_curves(tmp_path, ["pixelvae"], tmp_path / "none.png") is None
  assert not (tmp_path / "none.png").exists()
