"""The Fashion-MNIST -> MNIST section from a fabricated CrossDataset record: its three scores'
AUROC / AUPR / FPR95 and the two verdicts (the raw likelihood below chance, the likelihood ratio
at >= 0.995 AUROC), flipping with the numbers; 'not run' without a record."""

from fake_records import context, protocol
from gen_models.reports import fashion_to_mnist


def _metrics(auroc, aupr, fpr95):
  return {"skew": 0.5, "aupr": aupr, "aupr_trapezoid": aupr, "auroc": auroc, "fpr95": fpr95}


def _record(tmp_path, raw_auroc, ratio_auroc, ratio=True):
  metrics = {"exact": _metrics(raw_auroc, 0.3152, 1.0),
             "exact_complexity_corrected": _metrics(0.848, 0.7488, 0.243)}
  if ratio:
    metrics["exact_likelihood_ratio"] = _metrics(ratio_auroc, 0.9875, 0.0395)
  path = protocol(tmp_path / "f2m", {"metrics": metrics, "num_in_distribution": 2000,
                                     "num_ood": 2000, "table_markdown": "t"}, table="t")
  return context(tmp_path, fashion_to_mnist.KEY, [(fashion_to_mnist.EXPERIMENT, path)])


def test_numbers_and_verdicts(tmp_path):
  section = fashion_to_mnist.render(_record(tmp_path, 0.0611, 0.9962))
  assert "| exact | 6.11 | 31.52 | 100.00 |" in section.body
  assert "| exact_complexity_corrected | 84.80 | 74.88 | 24.30 |" in section.body
  assert "| exact_likelihood_ratio | 99.62 | 98.75 | 3.95 |" in section.body
  assert "first 2,000 Fashion-MNIST and 2,000 MNIST test images" in section.body
  assert "[table.md](" in section.body
  assert [c.verdict for c in section.claims] == ["holds", "holds"]
  assert "exact AUROC 0.0611" in section.claims[0].evidence


def test_verdicts_flip(tmp_path):
  section = fashion_to_mnist.render(_record(tmp_path, 0.62, 0.9905))
  assert [c.verdict for c in section.claims] == ["does not hold", "does not hold"]
  section = fashion_to_mnist.render(_record(tmp_path / "b", 0.1, None, ratio=False))
  assert [c.verdict for c in section.claims] == ["holds", "not run"]


def test_not_run(tmp_path):
  ctx = context(tmp_path, fashion_to_mnist.KEY, [(fashion_to_mnist.EXPERIMENT, tmp_path / "x")])
  section = fashion_to_mnist.render(ctx)
  assert [c.verdict for c in section.claims] == ["not run", "not run"]
  assert "not run" in section.body
  assert fashion_to_mnist.render(context(tmp_path, fashion_to_mnist.KEY, [])).claims
