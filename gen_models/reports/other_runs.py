"""Runs of a report's tree that feed no thesis artefact (a sweep, an experiment of one's own):
each gets its table (or its scalar results), its figures and its provenance, so any run
directory can be reported (what `launch/export.py` did for one run)."""

from gen_models.plotting import tables
from gen_models.reports import records, section

TITLE = "Other runs"


def scalar_rows(results: dict, prefix: str = "") -> list[tuple]:
  """The numeric leaves of results.json as (dotted name, value) rows; lists are skipped."""
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


def render_run(ctx: section.Context, run: records.Run) -> str:
  """A run's markdown: its table.md (protocols) or its scalar results, then its figures."""
  lines = [f"#### {run.name}" + (f" (`{run.experiment}`)" if run.experiment else ""), ""]
  if not run.finished:
    return "\n".join(lines + [run.status_line(), ""])
  table = run.path / "table.md"
  if table.is_file():
    lines += [table.read_text().rstrip(), ""]
  else:
    lines += [tables.markdown_table(("result", "value"), scalar_rows(run.results)).rstrip(), ""]
  figures = run.path / "figures"
  for figure in sorted(figures.glob("*.png")) if figures.is_dir() else ():
    lines += [f"![{figure.stem}]({ctx.link(figure)})", ""]
  return "\n".join(lines)
