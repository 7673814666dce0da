"""The evaluator registry with fake evaluators: the asset check before training (skip with one
warning line, or MissingAssetError with eval.strict), EvaluatorSet's per-evaluator keys, merged
results, 'skipped' and key clashes, and the eval.evaluators override forms."""

import jax
import ml_collections
import numpy as np
import pytest

from gen_models.evaluation import evaluator, registry


class _Counter(evaluator.Evaluator):
  """Needs no file; returns a number drawn from its key and writes a file."""
  name = "fake_counter"
  config_keys = ("fake_size",)

  def evaluate(self, state, rng, out_dir):
    (out_dir / "counter.txt").write_text(str(state))
    return {"count": state * self.config.eval.fake_size,
            "draw": float(jax.random.uniform(rng))}


class _NeedsFile(evaluator.Evaluator):
  """Declares the file named by config.eval.fake_file."""
  name = "fake_needs_file"
  config_keys = ("fake_file",)
  built = 0

  @classmethod
  def assets(cls, config):
    return [evaluator.Asset(config.eval.fake_file, "fake weights", "python make_fake.py")]

  def __init__(self, config, task, source):
    super().__init__(config, task, source)
    type(self).built += 1

  def evaluate(self, state, rng, out_dir):
    return {"file_score": 1.0}


class _Clash(_Counter):
  name = "fake_clash"


@pytest.fixture(autouse=True)
def fakes(monkeypatch):
  for cls in (_Counter, _NeedsFile, _Clash):
    monkeypatch.setitem(registry.EVALUATORS, cls.name, cls)
  _NeedsFile.built = 0


def _config(tmp_path, evaluators, strict=False):
  return ml_collections.ConfigDict(dict(eval=dict(
      evaluators=evaluators, strict=strict, fake_size=3,
      fake_file=str(tmp_path / "weights.npz"))))


def test_missing_file_skips_its_evaluator_with_one_warning_line(tmp_path):
  config = _config(tmp_path, ("fake_counter", "fake_needs_file"))
  lines = []
  skipped = registry.check_assets(config, warn=lines.append)
  assert list(skipped) == ["fake_needs_file"] and len(lines) == 1
  assert lines[0].startswith("warning: ") and "\n" not in lines[0]
  for part in ("fake_needs_file", "fake weights", str(tmp_path / "weights.npz"),
               "python make_fake.py", "eval.strict=True"):
    assert part in lines[0], part

  evaluate = registry.EvaluatorSet(config, task=None, source=None, skipped=skipped)
  assert evaluate.names == ("fake_counter",) and _NeedsFile.built == 0  # never built
  results = evaluate(2, jax.random.key(0), tmp_path / "out")
  assert results["count"] == 6 and (tmp_path / "out" / "counter.txt").read_text() == "2"
  assert results["skipped"] == skipped and "file_score" not in results


def test_present_file_runs_the_evaluator_and_strict_missing_raises(tmp_path):
  config = _config(tmp_path, ("fake_needs_file",), strict=True)
  with pytest.raises(evaluator.MissingAssetError, match=r"weights\.npz.*python make_fake\.py"):
    registry.check_assets(config)
  (tmp_path / "weights.npz").write_bytes(b"")
  assert registry.check_assets(config, warn=pytest.fail) == {}
  results = registry.EvaluatorSet(config, None, None, skipped={})(0, jax.random.key(0), tmp_path)
  assert results == {"file_score": 1.0} and _NeedsFile.built == 1


def test_each_evaluator_key_depends_on_its_name_only(tmp_path):
  """Adding an evaluator before another leaves the other's numbers unchanged."""
  alone = registry.EvaluatorSet(_config(tmp_path, ("fake_counter",)), None, None, {})
  (tmp_path / "weights.npz").write_bytes(b"")
  both = registry.EvaluatorSet(_config(tmp_path, ("fake_needs_file", "fake_counter")), None,
                               None, {})
  key = jax.random.key(7)
  assert alone(1, key, tmp_path)["draw"] == both(1, key, tmp_path)["draw"]
  assert np.isfinite(alone(1, key, tmp_path)["draw"])


def test_two_evaluators_returning_one_key_is_an_error(tmp_path):
  evaluate = registry.EvaluatorSet(_config(tmp_path, ("fake_counter", "fake_clash")), None,
                                   None, {})
  with pytest.raises(ValueError, match=r"'fake_clash' returns keys \['count', 'draw'\]"):
    evaluate(1, jax.random.key(0), tmp_path)


@pytest.mark.parametrize("value", [("fake_counter", "fake_needs_file"),
                                   ("fake_counter,fake_needs_file",),
                                   "fake_counter, fake_needs_file"])
def test_override_forms_name_the_same_evaluators(tmp_path, value):
  assert registry.configured_names(_config(tmp_path, value)) == ("fake_counter",
                                                                 "fake_needs_file")


def test_unknown_or_repeated_names_are_errors(tmp_path):
  with pytest.raises(ValueError, match="unknown evaluator 'nope'"):
    registry.configured_names(_config(tmp_path, ("fake_counter", "nope")))
  with pytest.raises(ValueError, match="lists an evaluator twice"):
    registry.configured_names(_config(tmp_path, ("fake_counter", "fake_counter")))
