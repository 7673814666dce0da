"""Tables 2.1, 4.1 and 4.2 side by side: our cells come from the run directory, unknown models are refused."""

import json

import pytest

from gen_models.plotting import thesis_tables
from gen_models.training import rundir


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


def test_a_re_evaluation_replaces_the_runs_numbers_at_its_step(tmp_path):
  vae = _fake_run(tmp_path / "vae", dict(step=7, num_test_examples=1000, iwae_samples=0,
                                         test_nll_elbo=95.0))
  (vae / "metrics.jsonl").write_text(json.dumps({"step": 7, "train_elapsed_s": 1800.0}) + "\n")
  (vae / "eval").mkdir()
  (vae / "eval" / "7.json").write_text(json.dumps(dict(
      step=7, num_test_examples=10_000, iwae_samples=100, test_nll_elbo=94.5, test_nll_iwae=90.25,
      overrides=["--config.eval.num_test_examples=0"])))
  text = thesis_tables.table_2_1({"vae": vae}, {"vae": vae / "eval" / "7.json"}, figure="t.png")
  row = next(line for line in text.splitlines() if line.startswith("| Convolutional VAE"))
  assert "≈ 90.25 (≤ 94.50)" in row and "all 10000 test images, IWAE k = 100" in row
  assert "7 steps, 1 x cpu, 30.0 min training, 1.5 min" in row
  assert "--workdir=" + str(vae) + " --config.eval.num_test_examples=0" in text
  assert "![test NLL against training wall-clock](t.png)" in text
  (vae / "eval" / "6.json").write_text(json.dumps(dict(step=6)))
  with pytest.raises(ValueError, match="evaluated step 6"):
    thesis_tables.table_2_1({"vae": vae}, {"vae": vae / "eval" / "6.json"})
  with pytest.raises(ValueError, match="without a run"):
    thesis_tables.table_2_1({}, {"vae": vae / "eval" / "7.json"})


def test_unknown_model_and_unfinished_run_are_refused(tmp_path):
  with pytest.raises(ValueError, match="unknown Table 2.1 model"):
    thesis_tables.table_2_1({"vea": tmp_path})
  with pytest.raises(FileNotFoundError, match="results.json"):
    thesis_tables.table_2_1({"vae": tmp_path})


def _split(aupr_by_score, skew=0.1):
  return dict(skew=skew, scores={s: dict(aupr=v, auroc=v, fpr95=v)
                                 for s, v in aupr_by_score.items()})


def _fake_ood_run(path, classes, primary, extra=()):
  """A finished leave-one-class-out protocol: AUPR of class i = (i + 1) / 100 for `primary`."""
  names = [primary, *extra]
  per_class = {c: _split({s: (i + 1) / 100 + 0.5 * (s != primary) for s in names})
               for i, c in enumerate(classes)}
  results = dict(per_class=per_class, score_names=names,
                 mean=_split({s: 0.123 for s in names}), median=_split({s: 0.456 for s in names}))
  _fake_run(path, results)
  (path / "config.json").write_text(json.dumps(dict(train=dict(num_steps=250))))
  return path


def _fake_subruns(path, nlls):
  for c, nll in enumerate(nlls):
    (path / f"heldout_{c}").mkdir()
    (path / f"heldout_{c}" / "results.json").write_text(json.dumps(dict(
        test_nll_iwae=nll, test_bpd_iwae=nll / 1000, test_nll_elbo=nll + 5)))


def test_a_further_run_of_a_model_is_a_column_and_a_mean_row_of_its_own(tmp_path):
  digits = [str(d) for d in range(10)]
  vae = _fake_ood_run(tmp_path / "vae", digits, "iwae")
  _fake_subruns(vae, [90.0] * 10)
  small = _fake_ood_run(tmp_path / "vae2", digits, "iwae")
  _fake_subruns(small, [130.0] * 9 + [140.0])
  text = thesis_tables.ood_table("4.1", {"vae": vae, "vae@2-D latent": small})
  head = next(line for line in text.splitlines() if line.startswith("| held-out class"))
  assert head.split(" | ")[1:6] == ["skew (thesis)", "VAE thesis", "VAE ours (iwae)",
                                   "VAE test NLL, nats (held-out / seen)",
                                   "VAE, 2-D latent ours (iwae)"]
  mean = next(line for line in text.splitlines() if line.startswith("| mean"))
  assert mean.split(" | ")[3:7] == ["12.30", "90.00", "12.30", "131.00"]
  assert "| VAE, 2-D latent | iwae | 12.30 |" in text
  assert "- **VAE, 2-D latent** (`experiments/ood_mnist.py:vae`)" in text
  prov = json.loads((small / "provenance.json").read_text())
  prov["segments"] = [dict(launcher="local", jobs=2)]
  (small / "provenance.json").write_text(json.dumps(prov))
  text = thesis_tables.ood_table("4.1", {"vae@2-D latent": small})
  assert "1 x cpu each, 2 sub-runs at a time (local launcher), 1.5 min for all ten" in text
  figure = thesis_tables.ood_table_figure("4.1", {"vae": vae, "vae@2-D latent": small},
                                          tmp_path / "f.png")
  assert figure.stat().st_size > 5000
  (small / "heldout_3" / "results.json").write_text(json.dumps(dict(test_nll_elbo=1.0)))
  with pytest.raises(ValueError, match="heldout_3/results.json has no test_nll_iwae"):
    thesis_tables.ood_table("4.1", {"vae@2-D latent": small})
  with pytest.raises(ValueError, match="unknown Table 4.1 model"):
    thesis_tables.ood_table("4.1", {"vea@2-D latent": small})


def test_the_nll_cell_splits_the_test_set_into_the_held_out_class_and_the_seen_ones(tmp_path):
  import numpy as np
  digits = [str(d) for d in range(10)]
  vae = _fake_ood_run(tmp_path / "vae", digits, "iwae")
  _fake_subruns(vae, [90.0] * 10)
  labels = np.repeat(np.arange(10), 2)  # two test images per digit
  for c in range(10):  # log-likelihood -50 for the held-out digit, -100 and -80 for the others
    iwae = np.where(labels == c, -50.0, np.where(np.arange(20) % 2, -100.0, -80.0))
    np.savez(vae / f"heldout_{c}" / "scores.npz", labels=labels, iwae=iwae)
  text = thesis_tables.ood_table("4.1", {"vae": vae})
  rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in text.splitlines()
          if line.startswith("| ")}
  assert rows["3"][4] == "90.00 (50.0 / 90.0)"
  assert rows["mean"][4] == "90.00 (50.0 / 90.0)"


def test_ood_table_puts_our_primary_score_next_to_the_thesis(tmp_path):
  digits = [str(d) for d in range(10)]
  vae = _fake_ood_run(tmp_path / "vae", digits, "iwae",
                      ("elbo", "iwae_complexity_corrected", "iwae_likelihood_ratio"))
  _fake_subruns(vae, [100.0 - 2 * c for c in range(10)])
  gan = _fake_ood_run(tmp_path / "gan", digits, "discriminator")
  text = thesis_tables.ood_table("4.1", {"vae": vae, "dcgan": gan})
  main = text.split("## Scores beyond")[0]
  rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in main.splitlines()
          if line.startswith("| ")}
  head = rows["held-out class"]
  assert head[2:7] == ["VAE thesis", "VAE ours (iwae)", "VAE test NLL, nats (held-out / seen)",
                       "PixCNN thesis", "PixCNN ours"]
  assert rows["0"][2:5] == ["40.20", "1.00", "100.00"] and rows["9"][2:5] == ["11.09", "10.00",
                                                                              "82.00"]
  assert rows["mean"][2:5] == ["33.85", "12.30", "91.00"]
  assert rows["median"][2:5] == ["37.50", "45.60", "91.00"]
  assert rows["2"][5].strip() == "42.60" and rows["2"][6].strip() == "not run"
  assert "DC-GAN ours (discriminator)" in head[-1]  # no NLL column for a discriminator
  beyond = text.split("## Scores beyond")[1].split("## Budgets")[0]
  assert "VAE: iwae_complexity_corrected" in beyond and "VAE: iwae_likelihood_ratio" in beyond
  assert "| 0 | 51.00 | 51.00 |" in beyond  # the ELBO is not a column of its own
  assert "250 steps per held-out class, 1 x cpu, 1.5 min" in text and str(gan) in text
  assert "test iwae NLL 91.00 nats (0.091 bits/dim), mean of 10 sub-runs" in text
  means = text.split("## Means over")[1].split("## Budgets")[0]
  assert "| VAE | iwae_likelihood_ratio | 12.30 | 12.30 | 12.30 |" in means
  assert "| VAE | elbo |" not in means
  figure = thesis_tables.ood_table_figure("4.1", {"vae": vae, "dcgan": gan}, tmp_path / "f.png")
  assert figure.stat().st_size > 5000
  linked = thesis_tables.ood_table("4.1", {"vae": vae}, figure="f.png")
  assert linked.splitlines()[2] == "![AUPR per held-out class](f.png)"


def test_ood_table_refuses_unknown_models_and_other_tables_runs(tmp_path):
  with pytest.raises(ValueError, match="unknown Table 4.2 model"):
    thesis_tables.ood_table("4.2", {"pixelcnn": tmp_path})
  with pytest.raises(ValueError, match="unknown OOD table"):
    thesis_tables.ood_table("4.3", {})
  mnist_run = _fake_ood_run(tmp_path / "vae", [str(d) for d in range(10)], "elbo")
  with pytest.raises(ValueError, match="no held-out class"):
    thesis_tables.ood_table("4.2", {"iaf_vae": mnist_run})


def test_provenance_names_every_commit_of_a_resumed_run(tmp_path):
  from gen_models.plotting import tables
  run = _fake_run(tmp_path / "run", {})
  prov = json.loads((run / "provenance.json").read_text())
  prov["segments"] = [dict(commit="aaaaaaaaaaaaaaaa"), dict(commit="0123456789abcdef")]
  (run / "provenance.json").write_text(json.dumps(prov))
  assert ("commit: 0123456789ab (launch segments at aaaaaaaaaaaa, 0123456789ab)"
          in tables.provenance_lines(run))


def test_cpu_time_of_a_protocol_run_counts_its_sub_runs(tmp_path):
  from gen_models.plotting import tables
  run = _fake_run(tmp_path / "run", {})
  prov = json.loads((run / "provenance.json").read_text())
  prov["segments"] = [dict(commit="a" * 16, cpu_time_s=36.0)]
  (run / "provenance.json").write_text(json.dumps(prov))
  assert "- CPU time: 0.01 core-hours (process CPU time)\n" in tables.provenance_lines(run)
  for name, cpu_time_s in [("heldout_0", 1800.0), ("heldout_1", 3564.0)]:
    (run / name).mkdir()
    (run / name / "provenance.json").write_text(json.dumps(dict(cpu_time_s=cpu_time_s)))
  assert ("- CPU time: 1.50 core-hours (process CPU time; launcher + 2 sub-runs)\n"
          in tables.provenance_lines(run))
  (run / "heldout_1" / "provenance.json").write_text("{not json")
  with pytest.raises(rundir.RunDirError, match="heldout_1/provenance.json is not valid JSON"):
    tables.provenance_lines(run)
