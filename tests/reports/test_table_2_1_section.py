"""Table 2.1's section from fabricated records: our NLL beside the thesis', verdicts computed
from them, a launch/evaluate.py result of the final step replacing results.json's numbers."""

import fake_records
import pytest

from gen_models.reports import records, table_2_1

LATENT = ("vae", "pixelvae", "gated_pixelvae", "gated_pixelvae_noup")


def _results(key: str, nll: float) -> dict:
  if key in LATENT:
    return {"test_nll_elbo": nll + 1.0, "test_nll_iwae": nll, "num_test_examples": 1000,
            "iwae_samples": 5}
  return {"test_nll_exact": nll, "num_test_examples": 1000}


def _table(tmp_path, nll: dict, evaluations=None):
  """Records of the Table 2.1 models in `nll` ({key: test NLL}); `evaluations`: {key: extra
  numbers written to eval/<step>.json}."""
  runs = []
  for key, value in nll.items():
    path = fake_records.single_run(tmp_path / key, _results(key, value), num_steps=10)
    if evaluations and key in evaluations:
      fake_records.write_json(path / "eval" / "10.json", {
          "step": 10, "overrides": ["--config.eval.num_test_examples=0",
                                    "--config.eval.iwae_samples=100"], **evaluations[key]})
    runs.append((f"experiments/{key}_mnist.py", path))
  return fake_records.context(tmp_path, "table_2_1", runs)


def _verdicts(section) -> dict:
  return {c.text.split(" (Table")[0]: c.verdict for c in section.claims}


NLL = {"vae": 90.0, "pixelcnn": 88.3, "pixelvae": 87.0, "gated_pixelcnn": 85.1,
       "gated_pixelvae": 84.0, "gated_pixelvae_noup": 89.1}


def test_our_numbers_stand_beside_the_thesis_with_computed_verdicts(tmp_path):
  section = table_2_1.render(_table(tmp_path, NLL))
  assert "| PixelVAE | ≤ 80.64 | ≈ 87.00 (≤ 88.00) |" in section.body
  assert "| PixelCNN | = 81.30 | = 88.30 |" in section.body
  assert "first 1,000 test images, IWAE k = 5" in section.body
  verdicts = _verdicts(section)
  assert verdicts["PixelVAE < PixelCNN in test NLL"] == "holds"
  assert verdicts["gated PixelVAE < gated PixelCNN in test NLL"] == "holds"
  assert verdicts["gated PixelVAE without upsampling < gated PixelVAE in test NLL"] == \
      "does not hold"
  assert verdicts["PixelVAE < VAE in test NLL"] == "holds"


def test_the_verdict_flips_with_the_numbers(tmp_path):
  section = table_2_1.render(_table(tmp_path, {**NLL, "pixelvae": 88.5}))
  assert _verdicts(section)["PixelVAE < PixelCNN in test NLL"] == "does not hold"


def test_an_evaluation_of_the_final_step_replaces_the_runs_numbers(tmp_path):
  evaluation = {"test_nll_elbo": 91.0, "test_nll_iwae": 89.5, "num_test_examples": 10_000,
                "iwae_samples": 100}
  section = table_2_1.render(_table(tmp_path, {**NLL, "pixelvae": 87.0},
                                    {"pixelvae": evaluation}))
  assert "| PixelVAE | ≤ 80.64 | ≈ 89.50 (≤ 91.00) |" in section.body
  assert ("all 10,000 test images, IWAE k = 100 (launch/evaluate.py at step 10, replacing "
          "results.json's)") in section.body
  assert ("`python launch/evaluate.py --workdir=DIR --config.eval.num_test_examples=0 "
          "--config.eval.iwae_samples=100`") in section.body
  # the verdict uses the evaluated number: 89.5 is above the PixelCNN's 88.3
  assert _verdicts(section)["PixelVAE < PixelCNN in test NLL"] == "does not hold"


def test_no_number_of_results_json_is_mixed_with_an_evaluations(tmp_path):
  # the evaluation has no IWAE: results.json's (of its first 1,000 images) must not stay
  evaluation = {"test_nll_elbo": 88.0, "num_test_examples": 10_000}
  section = table_2_1.render(_table(tmp_path, NLL, {"pixelvae": evaluation}))
  assert "| PixelVAE | ≤ 80.64 | ≤ 88.00 |" in section.body
  assert "| PixelVAE | ≤ 80.64 | ≤ 88.00 | 10 steps, 1 x cpu, 1.0 min wall, 0.02 core-hours | " \
      "all 10,000 test images (launch/evaluate.py" in section.body


def test_an_evaluation_of_another_step_is_an_error(tmp_path):
  ctx = _table(tmp_path, NLL, {"pixelvae": {"test_nll_iwae": 80.0}})
  path = tmp_path / "pixelvae" / "eval" / "10.json"
  fake_records.write_json(path, {"step": 7, "test_nll_iwae": 80.0})
  with pytest.raises(records.RecordError, match="evaluated step 7"):
    table_2_1.render(ctx)


def test_absent_and_unfinished_runs_are_not_run(tmp_path):
  _table(tmp_path, {"pixelcnn": 88.3})  # the PixelCNN record
  fake_records.single_run(tmp_path / "pixelvae", _results("pixelvae", 87.0), finished=False)
  ctx = fake_records.context(tmp_path, "table_2_1", [
      ("experiments/pixelcnn_mnist.py", tmp_path / "pixelcnn"),
      ("experiments/pixelvae_mnist.py", tmp_path / "pixelvae")])
  section = table_2_1.render(ctx)
  assert "| Convolutional VAE | ≤ 87.41 | not run |" in section.body
  assert "| PixelVAE | ≤ 80.64 | not finished" in section.body
  assert all(c.verdict == "not run" for c in section.claims)
