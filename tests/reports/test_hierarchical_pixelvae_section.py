"""The hierarchical PixelVAE's section from fabricated records: the two-level run's bounds (an
evaluate.py result of its last step merged in), its figures and curves, the section 2.4.2
ablation's table and ranking, and verdicts that follow the numbers."""

import math

import fake_records

from gen_models.reports import hierarchical_pixelvae as hp

DIMS = 3072  # 32x32x3
STEP = 20


def _bpd(nats):
  return nats / (DIMS * math.log(2.0))


def _two_level(tmp_path, kl_z2=2.4, metrics=(), train_eval=True, name="two_level"):
  results = {"test_nll_elbo": 7000.0, "test_bpd_elbo": _bpd(7000.0), "test_nll_iwae": 6990.0,
             "test_bpd_iwae": _bpd(6990.0), "test_kl_z1": 85.1, "test_kl_z2": kl_z2,
             "num_test_examples": 1000, "iwae_samples": 5, "stopped_by": "time_budget"}
  config = {"train": {"num_steps": STEP, "time_budget_s": 0.0, "seed": 0, "eval_every": 10},
            "data": {"name": "cifar10", "batch_size": 32},
            "model": {"res_channels": [32, 64, 128], "pixel_channels": 48,
                      "latent_channels": 64, "z1_channels": 32, "z2_dim": 128}}
  path = fake_records.single_run(tmp_path / name, results, num_steps=STEP, config=config,
                                 metrics=metrics, files=[f"figures/{n}" for n in hp.FIGURES
                                                         if n != "samples.png"])
  if train_eval:
    fake_records.write_json(path / "eval" / f"{STEP}.json", {
        "step": STEP, "overrides": ["--config.eval.evaluators=('train_likelihood',)"],
        "train_nll_elbo": 6900.0, "train_bpd_elbo": _bpd(6900.0), "train_kl_z1": 84.2,
        "train_kl_z2": 2.5, "train_examples": 1000})
  return path


TABLE_MD = ("# Section 2.4.2: hierarchical PixelVAE ablations\n\nData: cifar10; equal budget.\n\n"
            "| model | test bits/dim (IWAE) |\n|---|---|\n| two-level PixelVAE | 4.590 |\n"
            "\n- command: `python launch/main.py --workdir=/abs/path`\n- commit: abc\n")


def _ablation(tmp_path, two_level=4.40, one_level=4.44, gaussian=4.51, vae=6.23):
  models = {}
  for name, bpd in (("two_level", two_level), ("one_level", one_level),
                    ("gaussian_latent_decoders", gaussian), ("two_level_vae", vae)):
    models[name] = {"test_bpd_iwae": bpd, "test_bpd_elbo": bpd + 0.01, "train_bpd_elbo": bpd,
                    "test_kl_z1": 40.0, "test_kl_z2": None if name == "one_level" else 1.4,
                    "step": 1200, "train_minutes": 31.0}
    fake_records.single_run(tmp_path / "ablation" / name, {"test_bpd_iwae": bpd},
                            num_steps=1200)
  return fake_records.protocol(tmp_path / "ablation", {"models": models}, table=TABLE_MD)


def _context(tmp_path, two_level=None, ablation=None):
  runs = [(hp.TWO_LEVEL_CPU, two_level or tmp_path / "absent_a"),
          (hp.ABLATION_CPU, ablation or tmp_path / "absent_b")]
  return fake_records.context(tmp_path, hp.KEY, runs)


def _verdicts(section):
  return [c.verdict for c in section.claims]


def test_bounds_figures_and_ablation_with_verdicts(tmp_path):
  section = hp.render(_context(tmp_path, _two_level(tmp_path), _ablation(tmp_path)))
  body = section.body
  assert "CIFAR-10 stands in" in body
  assert (f"| test | {_bpd(7000.0):.3f} | {_bpd(6990.0):.3f} | 85.1 ({_bpd(85.1):.3f}) | "
          f"2.4 ({_bpd(2.4):.3f}) |") in body
  assert f"| train | {_bpd(6900.0):.3f} | — | 84.2 ({_bpd(84.2):.3f}) |" in body  # eval/20.json
  assert "eval/20.json" in body and "python launch/evaluate.py --workdir=DIR" in body
  assert ("cifar10 at batch 32: 20 steps in 0.0 minutes of training (stopped by time_budget; "
          "the thesis' appendix: 400,000 steps at batch 48)") in body
  assert "first 1,000 training images" in body
  assert "](../two_level/figures/vary_top.png)" in body
  assert "figures/samples.png missing" in body
  # the ablation: its table without title or provenance, and the ranking
  assert "| two-level PixelVAE | 4.590 |" in body
  assert "/abs/path" not in body and "\n# Section 2.4.2" not in body
  assert "best first: two-level PixelVAE 4.400 < one-level PixelVAE 4.440" in body
  assert _verdicts(section) == ["holds", "holds", "holds", "holds"]
  assert "KL z2 2.40 nats" in section.claims[3].evidence


def test_the_verdicts_flip_with_the_numbers(tmp_path):
  section = hp.render(_context(tmp_path, _two_level(tmp_path, kl_z2=0.3),
                               _ablation(tmp_path, two_level=4.59)))
  # 4.59 is behind the one-level (4.44) and Gaussian (4.51) models, ahead of the VAE (6.23);
  # z2's KL is below one bit
  assert _verdicts(section) == ["does not hold", "holds", "does not hold", "does not hold"]


def test_curves_are_drawn_from_the_logged_bits_per_dim(tmp_path):
  rows = [{"step": s, "train_elapsed_s": 6.0 * s, "nelbo_bpd": 5.0 - 0.01 * s,
           "kl_z1_bpd": 0.04, "kl_z2_bpd": 0.001} for s in range(1, STEP + 1)]
  rows.append({"step": STEP, "train_elapsed_s": 6.0 * STEP, "eval/test_bpd_elbo": 4.8})
  section = hp.render(_context(tmp_path, _two_level(tmp_path, metrics=rows)))
  assert "](report_figures/hierarchical_pixelvae/two_level_cpu_bits_per_dim.png)" in section.body
  assert (tmp_path / "report" / "report_figures" / "hierarchical_pixelvae"
          / "two_level_cpu_bits_per_dim.png").is_file()
  # no ablation: its claims are not run, the two-level run's is judged
  assert _verdicts(section) == ["not run", "not run", "not run", "holds"]


def test_the_thesis_budget_run_is_preferred_and_absent_runs_are_not_run(tmp_path):
  full = _two_level(tmp_path, kl_z2=0.1, name="two_level_full", train_eval=False)
  ctx = fake_records.context(tmp_path, hp.KEY, [(hp.TWO_LEVEL_CPU, _two_level(tmp_path)),
                                                (hp.TWO_LEVEL_FULL, full)])
  section = hp.render(ctx)
  assert "Two-level PixelVAE, thesis budget" in section.body
  assert "| train | not evaluated |" in section.body  # the full run has no train bounds
  assert section.claims[3].verdict == "does not hold"  # the full run's z2 KL, 0.1 nats
  assert "`experiments/hierarchical_pixelvae.py`" in section.claims[3].evidence
  section = hp.render(_context(tmp_path))
  assert "not run" in section.body
  assert _verdicts(section) == ["not run"] * 4
