"""Leave-one-class-out protocol: sub-run configs, the reducer on synthetic scores.npz files,
and relaunching without retraining finished sub-runs."""

import json
import threading
import time

import ml_collections
import numpy as np
import pytest
from sklearn import metrics as skm

from conftest import tiny_gan_config
from gen_models import data, runs
from gen_models.data import paths
from gen_models.runs import single as runner
from gen_models.evaluation import background, complexity
from gen_models.protocols import ood

NUM_CLASSES = 4


def _protocol_config(held_out=(0, 1, 2, 3), **extra):
  config = tiny_gan_config(num_steps=3)
  protocol = dict(name="ood_leave_one_class_out", held_out_classes=held_out,
                  class_names=tuple(str(c) for c in range(NUM_CLASSES)),
                  log_likelihood_scores=("log_likelihood", "elbo"))
  config.protocol = ml_collections.ConfigDict({**protocol, **extra})
  return config


def _write_scores(subdir, held_out, seed, with_images=False):
  """Synthetic test set of all classes: the held-out class gets lower log-likelihood; the
  'discriminator' is coarse (many ties)."""
  rng = np.random.default_rng(seed)
  labels = np.repeat(np.arange(NUM_CLASSES), 30)
  is_ood = labels == held_out
  arrays = {"labels": labels,
            "log_likelihood": rng.normal(size=labels.size) * 20 - 90 - 15 * is_ood,
            "discriminator": np.round(rng.normal(size=labels.size) - 0.5 * is_ood, 1)}
  if with_images:
    arrays["images"] = rng.integers(0, 2, size=(labels.size, 8, 8, 1), dtype=np.uint8) * 255
  else:
    arrays["png_bits"] = rng.uniform(800, 1600, size=labels.size)
  subdir.mkdir(parents=True, exist_ok=True)
  np.savez(subdir / ood.SCORES_FILE, **arrays)
  return arrays


def test_subruns_drop_one_class_each():
  config = _protocol_config(held_out=(3, 7))
  runs = ood.LeaveOneClassOut.subruns(config)
  assert [name for name, _ in runs] == ["heldout_3", "heldout_7"]
  for (_, sub), c in zip(runs, (3, 7)):
    assert tuple(sub.data.drop_classes) == (c,)
    assert "protocol" not in sub
    assert sub.model.to_dict() == config.model.to_dict()
  del config.protocol.held_out_classes  # no default: the experiment lists its classes
  with pytest.raises(AttributeError, match="held_out_classes"):
    ood.LeaveOneClassOut.subruns(config)


def test_reduce_on_synthetic_scores(tmp_path):
  config = _protocol_config(class_names=("zero", "one", "two", "three"))
  # The likelihood ratio's background model is fitted to the sub-run's training data.
  config.data = ml_collections.ConfigDict(dict(
      name="mnist", data_dir=str(paths.resolve_data_dir()), batch_size=8, binarize=True,
      keep_classes=(), drop_classes=(), eval_seed=0, train_subset=0, subset_seed=0))
  written = {c: _write_scores(tmp_path / f"heldout_{c}", c, seed=c, with_images=(c == 2))
             for c in range(NUM_CLASSES)}
  summary = ood.LeaveOneClassOut.reduce(config, tmp_path, {})
  corrected = "log_likelihood" + ood.CORRECTED_SUFFIX
  ratio = "log_likelihood" + ood.RATIO_SUFFIX
  assert summary["score_names"] == ["discriminator", "log_likelihood", corrected, ratio]
  train_without_2 = data.build_source(ood.LeaveOneClassOut.subruns(config)[2][1].data,
                                      0).eval_set("train")
  assert 2 not in set(train_without_2[1])
  background_model = background.fit_local_context_model(
      np.round(train_without_2[0] * 255).astype(np.uint8), levels=2)
  auprs = {s: [] for s in summary["score_names"]}
  for c, name in enumerate(("zero", "one", "two", "three")):
    arrays, split = written[c], summary["per_class"][name]
    is_ood = arrays["labels"] == c
    assert split["skew"] == pytest.approx(is_ood.sum() / is_ood.size)
    # the held-out / seen NLL split of the log-likelihood scores only (reports read it)
    assert split["nll"] == {"log_likelihood": {
        "held_out": pytest.approx(-arrays["log_likelihood"][is_ood].mean()),
        "seen": pytest.approx(-arrays["log_likelihood"][~is_ood].mean())}}
    bits = (complexity.png_bits(arrays["images"]) if "images" in arrays else arrays["png_bits"])
    references = {"discriminator": arrays["discriminator"],
                  "log_likelihood": arrays["log_likelihood"],
                  corrected: arrays["log_likelihood"] / np.log(2) + bits}
    if "images" in arrays:
      references[ratio] = arrays["log_likelihood"] - background.log_likelihood(
          background_model, arrays["images"])
    else:
      assert ratio not in split["scores"]  # no images stored: no background score
    for score, normality in references.items():
      got = split["scores"][score]
      assert got["aupr"] == pytest.approx(skm.average_precision_score(is_ood, -normality))
      assert got["auroc"] == pytest.approx(skm.roc_auc_score(is_ood, -normality))
      auprs[score].append(got["aupr"])
  for score, values in auprs.items():
    assert summary["mean"]["scores"][score]["aupr"] == pytest.approx(np.mean(values))
    assert summary["median"]["scores"][score]["aupr"] == pytest.approx(np.median(values))
  table = (tmp_path / "table.md").read_text()
  first = summary["per_class"]["zero"]["scores"]["log_likelihood"]["aupr"]
  assert "| zero | 25.00 |" in table and f"{100 * first:.2f}" in table
  assert "| mean |" in table and "| median |" in table
  assert json.loads((tmp_path / "results.json").read_text())["score_names"] == \
      summary["score_names"]
  for figure in ("aupr_per_class.png", "pr_curves.png", "roc_curves.png"):
    assert (tmp_path / "figures" / figure).stat().st_size > 1000


def test_reduce_names_a_class_without_a_name(tmp_path):
  config = _protocol_config(held_out=(3,), class_names=("zero", "one"))
  _write_scores(tmp_path / "heldout_3", 3, seed=3)
  with pytest.raises(ValueError, match="class_names has 2 names; held-out class 3 has none"):
    ood.LeaveOneClassOut.reduce(config, tmp_path, {})


def test_reduce_names_missing_or_bad_scores(tmp_path):
  config = _protocol_config(held_out=(1,))
  with pytest.raises(ood.ScoresError, match=r"heldout_1/scores.npz is missing"):
    ood.LeaveOneClassOut.reduce(config, tmp_path, {})
  (tmp_path / "heldout_1").mkdir()
  np.savez(tmp_path / "heldout_1" / "scores.npz", labels=np.zeros(5, int),
           log_likelihood=np.zeros(4))
  with pytest.raises(ood.ScoresError, match="'log_likelihood' must be"):
    ood.LeaveOneClassOut.reduce(config, tmp_path, {})
  np.savez(tmp_path / "heldout_1" / "scores.npz", labels=np.zeros(5, int),
           log_likelihood=np.zeros(5))
  with pytest.raises(ood.ScoresError, match="no image of the held-out class 1"):
    ood.LeaveOneClassOut.reduce(config, tmp_path, {})


def test_relaunch_skips_finished_subruns(tmp_path, monkeypatch):
  calls = []

  def fake_run(config, workdir):  # stands in for training + scoring the test set
    calls.append(workdir.name)
    c = config.data.drop_classes[0]
    workdir.mkdir(parents=True, exist_ok=True)
    _write_scores(workdir, c, seed=c)
    results = {"step": config.train.num_steps}
    (workdir / "results.json").write_text(json.dumps(results))
    segment = {"finished": True, "step": config.train.num_steps}  # as the trainer records it
    (workdir / "provenance.json").write_text(json.dumps({"segments": [segment]}))
    return results

  monkeypatch.setattr(runner, "run", fake_run)
  config = _protocol_config(held_out=(0, 1, 2))
  first = runs.protocol.run(config, tmp_path)
  assert calls == ["heldout_0", "heldout_1", "heldout_2"]
  calls.clear()
  second = runs.protocol.run(config, tmp_path)
  assert calls == []
  assert second["mean"] == first["mean"]
  (tmp_path / "heldout_1" / "results.json").unlink()  # as if killed before it finished
  runs.protocol.run(config, tmp_path)
  assert calls == ["heldout_1"]


def test_protocol_killed_before_any_subrun_finishes_records_its_wall_time(tmp_path,
                                                                          monkeypatch):
  """The launch segment's wall time is rewritten while the sub-runs train (a heartbeat), so a
  launcher killed during its first sub-runs does not leave a wall time of zero."""
  seen = {}

  class KilledWhileTraining:  # an executor whose sub-runs never finish: the launch is killed
    name = "killed"

    def run(self, subruns, record_divergence, on_done):
      time.sleep(0.6)
      # What a SIGKILL here would leave on disk.
      seen.update(json.loads((tmp_path / "provenance.json").read_text()))
      raise KeyboardInterrupt

  monkeypatch.setattr(runs.protocol, "HEARTBEAT_S", 0.05)
  with pytest.raises(KeyboardInterrupt):
    runs.protocol.run(_protocol_config(held_out=(0, 1)), tmp_path, KilledWhileTraining())
  segment = seen["segments"][-1]
  assert segment["launcher"] == "killed" and "finished_subruns" not in segment
  assert segment["wall_time_s"] >= 0.4, segment
  assert seen["wall_time_s"] >= 0.4
  assert not [t for t in threading.enumerate() if t.name == "provenance-heartbeat"]
