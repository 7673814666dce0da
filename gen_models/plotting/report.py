"""Run directory -> a markdown report under results/: the run's table (or its scalar results),
its figures, and the provenance lines every reported number must carry."""

import json
import pathlib
import shutil

from gen_models.plotting import curves, tables


def scalar_rows(results: dict, prefix: str = "") -> list[tuple]:
  """Flattens the numeric leaves of results.json into (name, value) rows; lists are skipped."""
  rows = []
  for key, value in sorted(results.items()):
    name = f"{prefix}{key}"
    if isinstance(value, dict):
      rows += scalar_rows(value, name + ".")
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
      continue
    else:
      rows.append((name, f"{value:.6g}" if isinstance(value, float) else value))
  return rows


def export(workdir, results_dir, name: str, title: str = "") -> pathlib.Path:
  """Writes `results_dir/<name>.md` and copies the run's figures to `results_dir/<name>/`.

  The report holds the run's `table.md` when it wrote one (protocols), otherwise a table of the
  scalar entries of `results.json`; then every figure, then the provenance block. A run that
  logged sample scores at evaluation first gets their curves (figures/sample_scores.png).
  """
  workdir, results_dir = pathlib.Path(workdir), pathlib.Path(results_dir)
  results_path = workdir / "results.json"
  if not results_path.exists():
    raise FileNotFoundError(f"{results_path} does not exist: the run has not finished")
  results = json.loads(results_path.read_text())
  config = json.loads((workdir / "config.json").read_text())
  curves.write_sample_score_curves(workdir)
  figure_dir = results_dir / name
  if figure_dir.exists():
    shutil.rmtree(figure_dir)
  figures = sorted((workdir / "figures").glob("*.png")) if (workdir / "figures").is_dir() else []
  lines = [f"# {title or name}", ""]
  table = workdir / "table.md"
  if table.exists():
    lines += [table.read_text().rstrip(), ""]
  else:
    lines += [tables.markdown_table(("result", "value"), scalar_rows(results)).rstrip(), ""]
  if figures:
    figure_dir.mkdir(parents=True)
    for fig in figures:
      shutil.copy2(fig, figure_dir / fig.name)
      lines += [f"![{fig.stem}]({name}/{fig.name})", ""]
  train = config["train"] if "train" in config else {}  # a protocol's config may have none
  budget = ""
  if "time_budget_s" in train and train["time_budget_s"]:  # configs before it lack the key
    budget = (f"- train.time_budget_s: {train['time_budget_s']:g} s of training wall-clock "
              f"(per run), at most {train['num_steps']} steps")
  elif "num_steps" in train:
    budget = f"- train.num_steps: {train['num_steps']} (per run)"
  lines += ["## Provenance", "", f"- run directory: `{workdir}`", budget,
            tables.provenance_lines(workdir).rstrip(), ""]
  path = results_dir / f"{name}.md"
  results_dir.mkdir(parents=True, exist_ok=True)
  path.write_text("\n".join(line for line in lines if line is not None) + "\n")
  return path
