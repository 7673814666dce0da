"""Sample-score curves read from a run's metrics.jsonl: the right rows, values and panels."""

import json

import pytest

from gen_models.plotting import curves


def _write_run(run, rows, results=None):
  run.mkdir()
  (run / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
  (run / "results.json").write_text(json.dumps(results or {"step": rows[-1]["step"]}))
  (run / "config.json").write_text(json.dumps({"train": {"num_steps": rows[-1]["step"]}}))
  (run / "provenance.json").write_text(json.dumps({
      "command": "python launch/main.py", "commit": "0" * 40, "wall_time_s": 60.0,
      "devices": {"platform": "cpu", "count": 1, "kinds": ["cpu"]},
      "versions": {"jax": "x", "flax": "y"}}))


TRAIN_ROWS = [{"step": 50, "critic_loss": -1.0}, {"step": 100, "critic_loss": -2.0}]
EVAL_ROWS = [
    {"step": 100, "eval/classifier_score": 1.5, "eval/classifier_score_std": 0.1,
     "eval/classifier_frechet_distance": 3.0, "train_elapsed_s": 10.0},
    {"step": 200, "eval/classifier_score": 2.5, "eval/classifier_score_std": 0.2,
     "eval/classifier_frechet_distance": 2.0, "train_elapsed_s": 20.0},
]


def test_eval_curve_takes_only_eval_rows_with_their_std(tmp_path):
  _write_run(tmp_path / "run", TRAIN_ROWS[:1] + EVAL_ROWS[:1] + TRAIN_ROWS[1:] + EVAL_ROWS[1:])
  score = curves.eval_curve(tmp_path / "run", "classifier_score")
  assert score == {"step": [100, 200], "train_elapsed_s": [10.0, 20.0], "score": [1.5, 2.5],
                   "score_std": [0.1, 0.2]}
  distance = curves.eval_curve(tmp_path / "run", "classifier_frechet_distance")
  assert distance["score"] == [3.0, 2.0] and distance["score_std"] is None
  with pytest.raises(ValueError, match="no eval/fid rows"):
    curves.eval_curve(tmp_path / "run", "fid")


def test_sample_score_figure_has_one_panel_per_metric_any_run_logged(tmp_path, monkeypatch):
  _write_run(tmp_path / "run", TRAIN_ROWS + EVAL_ROWS)
  _write_run(tmp_path / "fid", TRAIN_ROWS + [{"step": 100, "eval/fid": 30.0}])
  _write_run(tmp_path / "plain", TRAIN_ROWS)
  drawn = []
  original = curves.score_curves
  monkeypatch.setattr(curves, "score_curves", lambda ax, c, *a, **k: (
      drawn.append((a[2], sorted(c))), original(ax, c, *a, **k)))
  runs = {"a": tmp_path / "run", "b": tmp_path / "fid", "c": tmp_path / "plain"}
  path = curves.sample_score_curves(runs, tmp_path / "out" / "scores.png")
  assert path == tmp_path / "out" / "scores.png" and path.is_file()
  labels = dict(curves.SAMPLE_SCORE_PANELS)
  assert drawn == [(labels["classifier_score"], ["a"]),
                   (labels["classifier_frechet_distance"], ["a"]), (labels["fid"], ["b"])]
  assert curves.sample_score_curves({"c": tmp_path / "plain"}, tmp_path / "none.png") is None
  assert not (tmp_path / "none.png").exists()
