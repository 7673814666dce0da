"""Sample-score curves read from a run's metrics.jsonl: the right rows, values and panels."""

import json

import pytest

from gen_models.plotting import curves, report


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


def test_sample_score_figure_has_one_panel_per_logged_metric(tmp_path, monkeypatch):
  _write_run(tmp_path / "run", TRAIN_ROWS + EVAL_ROWS)
  drawn = []
  original = curves.score_curves
  monkeypatch.setattr(curves, "score_curves",
                      lambda ax, c, *a, **k: (drawn.append(a[2]), original(ax, c, *a, **k)))
  path = curves.write_sample_score_curves(tmp_path / "run")
  assert path == tmp_path / "run" / "figures" / "sample_scores.png" and path.is_file()
  assert drawn == [label for key, label in curves.SAMPLE_SCORE_PANELS
                   if key in ("classifier_score", "classifier_frechet_distance")]


def test_export_adds_the_curves_only_when_scores_were_logged(tmp_path):
  _write_run(tmp_path / "scored", TRAIN_ROWS + EVAL_ROWS)
  text = report.export(tmp_path / "scored", tmp_path / "results", "scored").read_text()
  assert "![sample_scores](scored/sample_scores.png)" in text
  assert (tmp_path / "results" / "scored" / "sample_scores.png").is_file()
  _write_run(tmp_path / "plain", TRAIN_ROWS)
  text = report.export(tmp_path / "plain", tmp_path / "results", "plain").read_text()
  assert "sample_scores" not in text
  assert not (tmp_path / "plain" / "figures").exists()


def _likelihood_run(path, key, values, with_time=True):
  path.mkdir()
  rows = [{"step": 10 * (i + 1), f"eval/{key}": v,
           **({"train_elapsed_s": 60.0 * (i + 1)} if with_time else {})}
          for i, v in enumerate(values)]
  (path / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
  return path


def test_test_nll_curves_take_exact_or_elbo_and_need_the_wall_clock(tmp_path):
  runs = {"PixelCNN": _likelihood_run(tmp_path / "a", "test_nll_exact", [120.0, 95.0, 90.0]),
          "VAE": _likelihood_run(tmp_path / "b", "test_nll_elbo", [200.0, 110.0, 100.0])}
  assert curves.test_nll_curves(runs, tmp_path / "nll.png").is_file()
  no_time = {"VAE": _likelihood_run(tmp_path / "c", "test_nll_elbo", [1.0, 2.0], False)}
  with pytest.raises(ValueError, match="train_elapsed_s"):
    curves.test_nll_curves(no_time, tmp_path / "x.png")
  with pytest.raises(ValueError, match="no eval/test_nll_elbo rows"):
    curves.test_nll_curves({"none": _likelihood_run(tmp_path / "d", "other", [1.0])},
                           tmp_path / "y.png")
