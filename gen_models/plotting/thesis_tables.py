"""The thesis' result tables as data, and side-by-side markdown of them next to our runs.

Reference values are transcribed from ../shared/thesis/thesis.md (Table 2.1: binarized-MNIST test
NLL in nats; "<=" marks a variational bound, "~" an importance-sampled estimate, "=" an exact
likelihood). Our numbers are read from run directories only, never typed in.
"""

import json
import pathlib

import numpy as np

from gen_models.plotting import tables
from gen_models.training import rundir

# (row label, experiments/<key>_mnist.py, thesis value as printed)
TABLE_2_1 = (
    ("Convolutional VAE", "vae", "≤ 87.41"),
    ("PixelCNN", "pixelcnn", "= 81.30"),
    ("PixelVAE", "pixelvae", "≤ 80.64"),
    ("Gated PixelCNN", "gated_pixelcnn", "= 80.10"),
    ("Gated PixelVAE", "gated_pixelvae", "≈ 79.48 (≤ 80.02)"),
    ("Gated PixelVAE without upsampling", "gated_pixelvae_noup", "≈ 78.96 (≤ 79.58)"),
)


def _read(workdir: pathlib.Path, name: str) -> dict:
  path = workdir / name
  if not path.exists():
    raise FileNotFoundError(f"{path} does not exist: is {workdir} a finished run directory?")
  return json.loads(path.read_text())


def nll_cell(results: dict) -> str:
  """Our test NLL in the thesis' notation: '≈ IWAE (≤ ELBO)' for latent models, '= exact'."""
  if "test_nll_exact" in results:
    return f"= {results['test_nll_exact']:.2f}"
  if "test_nll_iwae" in results:
    return f"≈ {results['test_nll_iwae']:.2f} (≤ {results['test_nll_elbo']:.2f})"
  return f"≤ {results['test_nll_elbo']:.2f}"


def table_2_1(runs: dict, evaluations: dict | None = None, figure: str = "") -> str:
  """Markdown of Table 2.1 with our column; `runs` maps a model key to its run directory,
  `evaluations` (optional) a model key to a `launch/evaluate.py` result of that run
  (RUN/eval/STEP.json, e.g. the full test set with a larger k) whose test numbers replace the
  run's own results.json; `figure`: a PNG (path relative to the markdown) linked below."""
  evaluations = evaluations or {}
  stray = set(evaluations) - set(runs)
  if stray:
    raise ValueError(f"evaluations for model(s) without a run: {sorted(stray)}")
  unknown = set(runs) - {key for _, key, _ in TABLE_2_1}
  if unknown:
    raise ValueError(f"unknown Table 2.1 model(s) {sorted(unknown)}; known: "
                     f"{[key for _, key, _ in TABLE_2_1]}")
  rows, provenance = [], []
  for label, key, thesis in TABLE_2_1:
    if key not in runs:
      rows.append((label, thesis, "not run", "", ""))
      continue
    workdir = pathlib.Path(runs[key])
    results, prov = _read(workdir, "results.json"), _read(workdir, "provenance.json")
    evaluation_note = []
    if key in evaluations:
      path = pathlib.Path(evaluations[key])
      evaluated = _read(path.parent, path.name)
      if evaluated.get("step") != results["step"]:
        raise ValueError(f"{path} evaluated step {evaluated.get('step')}, but {workdir} "
                         f"finished at step {results['step']}")
      results = {**results, **evaluated}
      evaluation_note = [f"- evaluation: `{path}` (`python launch/evaluate.py "
                         f"--workdir={workdir} {' '.join(evaluated.get('overrides', []))}`)"]
    devices = prov["devices"]
    train_s = rundir.logged_train_elapsed(workdir)
    budget = (f"{results['step']} steps, {devices['count']} x {devices['platform']}, "
              + (f"{train_s / 60:.1f} min training, " if train_s else "")
              + f"{prov['wall_time_s'] / 60:.1f} min")
    k = results.get("iwae_samples")
    n = results["num_test_examples"]
    evaluation = (f"all {n} test images" if n == 10_000 else f"first {n} test images") + (
        f", IWAE k = {k}" if k else "")
    rows.append((label, thesis, nll_cell(results), budget, evaluation))
    provenance += [f"### {label}", "", f"- run directory: `{workdir}`",
                   tables.provenance_lines(workdir), *evaluation_note, ""]
  head = ("model", "thesis", "ours", "budget (steps, device, [training,] wall time)",
          "evaluation")
  plot = [f"![test NLL against training wall-clock]({figure})", ""] if figure else []
  return "\n".join(["# Table 2.1: binarized MNIST test NLL (nats)", "",
                    tables.markdown_table(head, rows), *plot, "## Provenance", "", *provenance])


# Tables 4.1 (MNIST digits) and 4.2 (CIFAR-10 classes): AUPR (%) per held-out class, the skew
# column as printed, and the mean / median rows. `models` maps our experiment variant
# (experiments/ood_<dataset>.py:<variant>) to (the thesis' column name, its ten values, mean,
# median).
TABLE_4_1 = dict(
    title="Table 4.1: leave-one-digit-out OOD detection on MNIST, AUPR (%)",
    experiment="experiments/ood_mnist.py",
    classes=tuple(str(d) for d in range(10)),
    skew=(9.8, 11.35, 10.32, 10.1, 9.82, 8.92, 9.58, 10.28, 9.74, 10.09),
    models={
        "vae": ("VAE", (40.20, 5.98, 65.37, 36.86, 34.49, 38.56, 38.13, 10.13, 57.64, 11.09),
                33.85, 37.50),
        "pixelcnn": ("PixCNN", (31.31, 5.98, 42.60, 36.31, 19.74, 26.29, 23.76, 8.33, 50.57,
                                12.49), 25.74, 25.03),
        "pixelvae": ("PixelVAE", (40.89, 6.08, 56.12, 38.33, 19.09, 28.12, 33.16, 11.75, 54.85,
                                  11.50), 29.99, 30.64),
        "dcgan": ("DC-GAN", (44.16, 6.00, 14.40, 12.92, 7.38, 9.75, 9.68, 7.17, 12.87, 8.23),
                  13.25, 9.71),
    })
TABLE_4_2 = dict(
    title="Table 4.2: leave-one-class-out OOD detection on CIFAR-10, AUPR (%)",
    experiment="experiments/ood_cifar10.py",
    classes=("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
             "truck"),
    skew=(10,) * 10,
    models={
        "iaf_vae": ("IAF", (5.19, 28.83, 7.48, 8.57, 24.60, 9.71, 60.30, 18.78, 5.36, 21.96),
                    19.08, 14.24),
        "pixelcnnpp": ("PixelCNN++", (30.39, 8.40, 11.46, 9.79, 7.41, 9.00, 6.74, 7.88, 15.63,
                                      8.36), 11.51, 8.70),
        "pixelvae": ("PixelVAE", (6.95, 14.11, 9.83, 9.23, 11.48, 8.63, 17.21, 10.64, 6.88,
                                  11.45), 10.64, 10.24),
        "dcgan": ("DC-GAN", (10.46, 12.00, 11.38, 10.47, 8.37, 11.32, 12.73, 10.57, 13.14,
                             12.50), 11.29, 11.35),
    })
OOD_TABLES = {"4.1": TABLE_4_1, "4.2": TABLE_4_2}
# The score that stands for the thesis' column, in order of preference: the tightest
# log-likelihood estimate the run has, else the discriminator output.
PRIMARY_SCORES = ("exact", "iwae", "elbo", "discriminator")


def reported_scores(score_names) -> list[str]:
  """The scores a table reports: the primary one (the thesis' column), then its beyond-thesis
  variants `<primary>_complexity_corrected`, `<primary>_likelihood_ratio`."""
  primary = next((name for name in PRIMARY_SCORES if name in score_names), None)
  if primary is None:
    raise ValueError(f"none of the scores {list(score_names)} is one of {PRIMARY_SCORES}")
  return [primary] + [name for name in score_names if name.startswith(primary + "_")]


def _aupr_cells(results: dict, score: str, classes) -> list[str]:
  """Our AUPR (%) of `score` per class, then mean and median; 'n/a' where it was not scored."""
  splits = [results["per_class"][c] for c in classes] + [results["mean"], results["median"]]
  return [tables.percent(split["scores"].get(score, {}).get("aupr")) for split in splits]


# The sub-run result that measures how well a likelihood model is trained, per primary score.
_NLL_KEYS = {"exact": "test_nll_exact", "iwae": "test_nll_iwae", "elbo": "test_nll_elbo"}


def _held_out_and_seen_nll(subrun: pathlib.Path, score: str, c: int):
  """Mean NLL (nats) of the held-out class c and of the classes the model trained on, from the
  sub-run's scores.npz (`score` is a log-likelihood per test image); None without the file."""
  path = subrun / "scores.npz"
  if not path.exists():
    return None
  with np.load(path) as scores:
    if score not in scores:
      return None
    nll, held_out = -scores[score].astype(np.float64), scores["labels"] == c
  return float(nll[held_out].mean()), float(nll[~held_out].mean())


def _subrun_nll_cells(workdir: pathlib.Path, score: str, num_classes: int) -> list[str]:
  """Each held-out class's sub-run test NLL in nats, the estimate behind `score` over the full
  test set, then '(held-out / seen)': its mean over the held-out class and over the others;
  then mean and median rows. [] for a non-likelihood score."""
  key = _NLL_KEYS.get(score)
  if key is None:
    return []
  rows = []
  for c in range(num_classes):
    results = _read(workdir / f"heldout_{c}", "results.json")
    if key not in results:
      raise ValueError(f"{workdir}/heldout_{c}/results.json has no {key}")
    split = _held_out_and_seen_nll(workdir / f"heldout_{c}", score, c)
    rows.append((float(results[key]), *(split or (np.nan, np.nan))))
  table = np.array(rows)

  def cell(all_, held_out, seen):
    return f"{all_:.2f}" + ("" if np.isnan(held_out) else f" ({held_out:.1f} / {seen:.1f})")

  return [cell(*row) for row in table] + [cell(*table.mean(0)), cell(*np.median(table, 0))]


def split_run_key(key: str) -> tuple[str, str]:
  """'vae' -> ('vae', ''); 'vae@2-D latent' -> ('vae', '2-D latent'): a second run of a thesis
  model that differs by its overrides, shown as a column (and mean row) of its own."""
  variant, _, note = key.partition("@")
  return variant, note


def _runs_of(variant: str, thesis_column: str, runs: dict) -> list[tuple[str, str]]:
  """The runs of one thesis model in `runs` (key -> directory), in the order given, as
  (key, our column label): 'VAE' for 'vae', 'VAE, 2-D latent' for 'vae@2-D latent'."""
  labelled = []
  for key in runs:
    key_variant, note = split_run_key(key)
    if key_variant == variant:
      labelled.append((key, f"{thesis_column}, {note}" if note else thesis_column))
  return labelled


def _budget(workdir: pathlib.Path) -> str:
  """Steps, devices and wall time of a protocol run, and the mean test NLL of its sub-runs (how
  well trained the likelihood models are; the test set includes the held-out class)."""
  config, prov = _read(workdir, "config.json"), _read(workdir, "provenance.json")
  devices = prov["devices"]
  segment = (prov.get("segments") or [{}])[-1]
  jobs = segment.get("jobs") or 1  # absent before parallel sub-runs existed: serial
  at_a_time = f" each, {jobs} sub-runs at a time ({segment['launcher']} launcher)" if jobs > 1 else ""
  text = (f"{config['train']['num_steps']} steps per held-out class, {devices['count']} x "
          f"{devices['platform']}{at_a_time}, {prov['wall_time_s'] / 60:.1f} min for all ten")
  subruns = [json.loads(p.read_text()) for p in sorted(workdir.glob("heldout_*/results.json"))]
  for key in ("test_nll_exact", "test_nll_iwae", "test_nll_elbo"):
    values = [r[key] for r in subruns if key in r]
    if values:
      bpd = [r[key.replace("nll", "bpd")] for r in subruns if key in r]
      return (text + f"; test {key[len('test_nll_'):]} NLL {sum(values) / len(values):.2f} nats"
              f" ({sum(bpd) / len(bpd):.3f} bits/dim), mean of {len(values)} sub-runs")
  return text


def ood_table(table: str, runs: dict, figure: str = "") -> str:
  """Markdown of thesis Table `table` ('4.1' or '4.2') with our AUPR next to the thesis' for
  every model in `runs` (variant, or 'variant@note' for a further run of it -> protocol run
  directory) and, for likelihood models, each sub-run's test NLL beside it; a second table with
  the scores beyond the thesis (complexity-corrected, likelihood ratio), budgets and provenance;
  `figure` (a path relative to the markdown file, e.g. from ood_table_figure) is shown under the
  title."""
  if table not in OOD_TABLES:
    raise ValueError(f"unknown OOD table {table!r}; known: {sorted(OOD_TABLES)}")
  spec = OOD_TABLES[table]
  unknown = {split_run_key(key)[0] for key in runs} - set(spec["models"])
  if unknown:
    raise ValueError(f"unknown Table {table} model(s) {sorted(unknown)}; known: "
                     f"{sorted(spec['models'])}")
  row_labels = list(spec["classes"]) + ["mean", "median"]
  skew = [f"{s:g}" for s in spec["skew"]] + ["", ""]
  main_head, main_cols = ["held-out class", "skew (thesis)"], [skew]
  extra_head, extra_cols, budgets, provenance = ["held-out class"], [], [], []
  summary_rows = []
  for variant, (thesis_column, values, mean, median) in spec["models"].items():
    main_head.append(f"{thesis_column} thesis")
    main_cols.append([f"{v:.2f}" for v in (*values, mean, median)])
    labelled = _runs_of(variant, thesis_column, runs)
    if not labelled:
      main_head.append(f"{thesis_column} ours")
      main_cols.append(["not run"] * len(row_labels))
      continue
    for key, column in labelled:
      workdir = pathlib.Path(runs[key])
      results = _read(workdir, "results.json")
      missing = set(spec["classes"]) - set(results.get("per_class", {}))
      if missing:
        raise ValueError(f"{workdir}/results.json has no held-out class {sorted(missing)}: is it "
                         f"a finished {spec['experiment']} protocol run?")
      score, *variants = reported_scores(results["score_names"])
      main_head.append(f"{column} ours ({score})")
      main_cols.append(_aupr_cells(results, score, spec["classes"]))
      nll = _subrun_nll_cells(workdir, score, len(spec["classes"]))
      if nll:
        main_head.append(f"{column} test NLL, nats (held-out / seen)")
        main_cols.append(nll)
      for name in variants:
        extra_head.append(f"{column}: {name}")
        extra_cols.append(_aupr_cells(results, name, spec["classes"]))
      for name in (score, *variants):
        summary_rows.append((column, name, *(tables.percent(results["mean"]["scores"][name][m])
                                             for m in ("aupr", "auroc", "fpr95"))))
      budgets.append(f"- **{column}** (`{spec['experiment']}:{variant}`): {_budget(workdir)}")
      provenance += [f"### {column}", "", f"- run directory: `{workdir}`",
                     tables.provenance_lines(workdir)]
  main = tables.markdown_table(main_head, list(zip(row_labels, *main_cols)))
  parts = [f"# {spec['title']}", ""]
  if figure:
    parts += [f"![AUPR per held-out class]({figure})", ""]
  parts += ["OOD = the held-out class, scored as the positive class by the negated normality "
           "score; AUPR is average precision (BUILD_NOTES.md).", "", main]
  if extra_cols:
    parts += ["## Scores beyond the thesis (AUPR, %)", "",
              "`_complexity_corrected`: log2-likelihood plus the PNG code length in bits "
              "(Serra et al. 2020); `_likelihood_ratio`: log-likelihood minus that of a local "
              "background model fitted to the same training images "
              "(gen_models/evaluation/background.py).", "",
              tables.markdown_table(extra_head, list(zip(row_labels, *extra_cols)))]
  if summary_rows:
    parts += ["## Means over held-out classes, every metric (%)", "",
              "Per-class AUROC and FPR at 95% TPR: each run directory's table.md.", "",
              tables.markdown_table(("model", "score", "AUPR", "AUROC", "FPR95"), summary_rows)]
  parts += ["## Budgets", "", *budgets, "", "## Provenance", "", *provenance]
  return "\n".join(parts)


def ood_table_figure(table: str, runs: dict, path) -> pathlib.Path:
  """One panel per model run: AUPR per held-out class of the thesis, of our primary score and of
  its beyond-thesis variants, with the skew marked; saved as the PNG `path`."""
  from gen_models.plotting import ood as ood_plots  # late: matplotlib only when plotting
  from gen_models.plotting.toy import save
  spec = OOD_TABLES[table]
  panels = [(values, thesis_column, key, column)
            for variant, (thesis_column, values, _, _) in spec["models"].items()
            for key, column in _runs_of(variant, thesis_column, runs)]
  if not panels:
    raise ValueError(f"no Table {table} runs to plot")
  fig, axes = ood_plots.plt.subplots(len(panels), 1, squeeze=False,
                                     figsize=(9, 2.8 * len(panels)))
  for ax, (values, thesis_column, key, column) in zip(axes[:, 0], panels):
    results = _read(pathlib.Path(runs[key]), "results.json")
    bars = {f"thesis ({thesis_column})": [v / 100 for v in values]}
    for name in reported_scores(results["score_names"]):
      bars[f"ours: {name}"] = [results["per_class"][c]["scores"][name]["aupr"]
                               for c in spec["classes"]]
    ood_plots.aupr_per_class(ax, spec["classes"], bars,
                             [results["per_class"][c]["skew"] for c in spec["classes"]])
    ax.set_title(column, fontsize=9)
  return save(fig, path)
