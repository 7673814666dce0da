"""Figure 3.3's protocol: subruns() of the real experiment config give the four methods their
objective, n_critic and optimizer on one shared architecture; reduce() on synthetic run
directories (a fake score in metrics.jsonl) plots both axes and tabulates the right numbers."""

import json

import numpy as np
import pytest

from conftest import experiment_config
from gen_models.protocols import PROTOCOLS, cifar


@pytest.fixture
def config():
  return experiment_config("cifar_method_comparison")


def test_subruns_set_each_method_and_share_the_architecture(config):
  runs = dict(cifar.MethodComparison.subruns(config))
  assert list(runs) == ["wgan_clip", "wgan_gp_rmsprop", "wgan_gp_adam", "dcgan"]
  expected = {  # (objective, n_critic, optimizer, learning rate, b1, b2)
      "wgan_clip": ("wgan_clip", 5, "rmsprop", 5e-5, None, None),
      "wgan_gp_rmsprop": ("wgan_gp", 5, "rmsprop", 5e-5, None, None),
      "wgan_gp_adam": ("wgan_gp", 5, "adam", 2e-4, 0.0, 0.9),
      "dcgan": ("dcgan", 1, "adam", 2e-4, 0.5, 0.999)}
  for name, sub in runs.items():
    objective, n_critic, opt, lr, b1, b2 = expected[name]
    assert (sub.objective.name, sub.objective.n_critic) == (objective, n_critic), name
    for player in ("critic", "generator"):
      o = sub.optimizer[player]
      assert (o.name, o.learning_rate, o.linear_decay) == (opt, lr, False), name
      if b1 is not None:
        assert (o.b1, o.b2) == (b1, b2), name
    assert "protocol" not in sub
    assert sub.model.to_dict() == runs["dcgan"].model.to_dict()
    assert sub.model.generator.name == sub.model.critic.name == "dcgan"
    assert sub.model.critic.norm == "none"
  assert runs["wgan_clip"].objective.clip == 0.01
  assert runs["wgan_gp_adam"].objective.gp_weight == 10.0
  assert PROTOCOLS[config.protocol.name] is cifar.MethodComparison


def _write_run(run_dir, scores, seconds_per_step, eval_every=10, log_every=5):
  """metrics.jsonl as the trainer writes it: log rows with train_elapsed_s, eval rows with the
  fake score and its std at multiples of eval_every."""
  rows = []
  for step in range(log_every, eval_every * len(scores) + 1, log_every):
    rows.append({"step": step, "generator_loss": 0.0, "steps_per_s": 1 / seconds_per_step,
                 "train_elapsed_s": step * seconds_per_step})
    if step % eval_every == 0:
      rows.append({"step": step, "eval/classifier_score": scores[step // eval_every - 1],
                   "eval/classifier_score_std": 0.1, "train_elapsed_s": step * seconds_per_step})
  run_dir.mkdir(parents=True)
  (run_dir / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_reduce_plots_and_tabulates_synthetic_runs(config, tmp_path):
  rng = np.random.default_rng(0)
  scores = {m: list(np.round(rng.uniform(1, 8, 4), 3)) for m in config.protocol.methods}
  speeds = {"wgan_clip": 2.0, "wgan_gp_rmsprop": 3.0, "wgan_gp_adam": 3.0, "dcgan": 0.5}
  for m in config.protocol.methods:
    _write_run(tmp_path / m, scores[m], speeds[m])
  summary = cifar.MethodComparison.reduce(config, tmp_path, results={})
  assert (tmp_path / "figures" / "method_comparison.png").stat().st_size > 5000
  for m in config.protocol.methods:
    s = summary["runs"][m]
    best = int(np.argmax(scores[m]))
    assert s["final_score"] == scores[m][-1] and s["best_score"] == scores[m][best]
    assert s["best_step"] == 10 * (best + 1) and s["final_step"] == 40
    assert s["train_elapsed_s"] == pytest.approx(40 * speeds[m])
  table = (tmp_path / "table.md").read_text()
  assert "classifier score (CIFAR-10 classifier of this project)" in table
  line = next(row for row in table.splitlines() if row.startswith("| DCGAN"))
  assert f"{scores['dcgan'][-1]:.2f} ± 0.10" in line and "| 1 |" in line


def test_reduce_names_a_run_without_the_score(config, tmp_path):
  for m in config.protocol.methods:
    _write_run(tmp_path / m, [2.0], 1.0)
  config.protocol.score = "inception_score"
  with pytest.raises(ValueError, match="wgan_clip/metrics.jsonl has no eval/inception_score"):
    cifar.MethodComparison.reduce(config, tmp_path, results={})
