"""Table 2.1 side by side: our cells come from the run directory, unknown models are refused."""

import json

import pytest

from gen_models.plotting import thesis_tables


def _fake_run(path, results):
  path.mkdir()
  (path / "results.json").write_text(json.dumps(results))
  (path / "provenance.json").write_text(json.dumps(dict(
      commit="0123456789abcdef", dirty=False, command="python launch/main.py --config=x",
      devices=dict(platform="cpu", count=1, kinds=["cpu"]),
      versions=dict(jax="0", flax="0"), wall_time_s=90.0)))
  return path


def test_cells_are_read_from_the_runs(tmp_path):
  vae = _fake_run(tmp_path / "vae", dict(step=7, num_test_examples=10, iwae_samples=5,
                                         test_nll_elbo=95.123, test_nll_iwae=91.456))
  pcnn = _fake_run(tmp_path / "pcnn", dict(step=3, num_test_examples=10, test_nll_exact=88.001))
  text = thesis_tables.table_2_1({"vae": vae, "pixelcnn": pcnn})
  rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines()
          if line.startswith("| ")}
  assert "≈ 91.46 (≤ 95.12)" in rows["Convolutional VAE"]
  assert "7 steps, 1 x cpu, 1.5 min" in rows["Convolutional VAE"]
  assert "= 88.00" in rows["PixelCNN"] and "= 81.30" in rows["PixelCNN"]
  assert "not run" in rows["Gated PixelCNN"]
  assert str(vae) in text and "0123456789ab" in text


def test_unknown_model_and_unfinished_run_are_refused(tmp_path):
  with pytest.raises(ValueError, match="unknown Table 2.1 model"):
    thesis_tables.table_2_1({"vea": tmp_path})
  with pytest.raises(FileNotFoundError, match="results.json"):
    thesis_tables.table_2_1({"vae": tmp_path})
