"""One report for a tree of run records: every thesis artefact, ours beside the thesis', each
with its budget, provenance and a verdict on the thesis' claim.

    build(root, out=None, extra_runs=(), notes_dir=None) -> path of the markdown written

`root` is a thesis run (`experiments/thesis.py`: its config lists every run), a protocol or
single run, or any folder of run directories (each matched to the artefacts whose experiments
it ran, by the `--config=` of its launch command). The output depends only on the records (no
clock, no absolute path), so the same records give the same bytes.
"""

import dataclasses
import importlib
import os
import pathlib
import sys
import traceback

from gen_models.reports import other_runs, records, section as section_lib
from gen_models.training import rundir

# The artefacts in report order; each is the module gen_models/reports/<key>.py.
ARTEFACTS = (
    "table_2_1", "figure_2_4", "figure_2_5", "hierarchical_pixelvae", "table_2_2",
    "figure_3_1", "figure_3_2", "figure_3_3", "cifar10_scores", "figure_3_7b", "language_gan",
    "table_4_1", "table_4_2", "fashion_to_mnist", "sampling_speed",
)
REPORT_NAME = "REPORT.md"
FIGURE_DIR = "report_figures"
CHAPTERS = {2: "Chapter 2: PixelVAE", 3: "Chapter 3: WGAN-GP",
            4: "Chapter 4: generative models as models of normality"}


def module(key: str):
  if key not in ARTEFACTS:
    raise ValueError(f"unknown report artefact {key!r}; known: {', '.join(ARTEFACTS)}")
  return importlib.import_module(f"gen_models.reports.{key}")


@dataclasses.dataclass(frozen=True)
class ExtraRun:
  """A run given by hand (`launch/report.py --run=ARTEFACT:EXPERIMENT@NOTE=DIR`): a further
  column of an artefact, e.g. the PixelVAE with one PixelCNN layer in Table 4.1."""
  artefact: str
  experiment: str
  note: str
  path: pathlib.Path


def thesis_runs(root: pathlib.Path) -> dict:
  """{artefact: [records.Run]} of a thesis run directory (its config.json lists them)."""
  config = records.read_config(root)
  command = (rundir.read_json(root / "provenance.json", default={}) or {}).get("command", "")
  budget = config["protocol"]["budget"]
  runs = {}
  for path in config["protocol"]["order"]:
    artefact, name = path.split("/")
    if artefact not in config["protocol"]["artefacts"]:
      continue
    spec = config["protocol"]["runs"][artefact][name]
    runs.setdefault(artefact, []).append(records.Run(
        name=name, experiment=spec["experiment"], note=spec["note"],
        path=root / artefact / name, overrides=tuple((k, v) for k, v in spec["overrides"]),
        thesis_command=command or "experiments/thesis.py", smoke=budget == "smoke"))
  return runs


def is_thesis_run(root: pathlib.Path) -> bool:
  if not (root / "config.json").is_file():
    return False
  config = records.read_config(root)
  return "protocol" in config and config["protocol"]["name"] == "thesis"


def discovered_runs(root: pathlib.Path) -> tuple[dict, list]:
  """({artefact: [records.Run]}, [records.Run matching no artefact]) of every top-level run
  directory below `root` (a protocol's sub-runs belong to it), matched to artefacts by the
  experiment of its launch command."""
  by_experiment = {}
  for key in ARTEFACTS:
    for experiment in module(key).EXPERIMENTS:
      by_experiment.setdefault(experiment.rstrip(":"), []).append(key)
  runs, others = {}, []

  def visit(path: pathlib.Path):
    if records.is_run_dir(path):
      prov = rundir.read_json(path / "provenance.json", default={}) or {}
      experiment = records.experiment_of_command(prov.get("command", "")) or ""
      run = records.Run(name=path.relative_to(root).as_posix() if path != root else path.name,
                        experiment=experiment, path=path)
      for artefact in by_experiment.get(experiment.rstrip(":"), ()):
        runs.setdefault(artefact, []).append(run)
      if experiment.rstrip(":") not in by_experiment:
        others.append(run)
      return
    for child in sorted(p for p in path.iterdir() if p.is_dir()):
      visit(child)

  visit(root)
  return runs, others


def _render(key: str, ctx: section_lib.Context):
  """-> (Section, error text or ''): a module that fails renders its error, never a number."""
  try:
    return module(key).render(ctx), ""
  except Exception as e:  # noqa: BLE001  (one broken record must not hide the other sections)
    error = f"{type(e).__name__}: {' '.join(str(e).split())}"
    if not isinstance(e, (records.RecordError, rundir.RunDirError, FileNotFoundError,
                          ValueError, KeyError)):
      traceback.print_exc(file=sys.stderr)
    body = f"This section could not be rendered from its records: `{error}`\n"
    return section_lib.Section(body, [section_lib.not_run("every claim of this artefact",
                                                         "its records could not be read")]), error


def _provenance_block(runs) -> list[str]:
  lines = []
  for run in runs:
    label = run.name + (f" ({run.note})" if run.note else "")
    state = [run.budget().cell()] if run.exists else []
    if not run.finished:
      state.append(run.status_line())
    lines.append(f"- **{label}** (`{run.experiment}`): " + "; ".join(state))
    if run.exists:
      lines += ["  " + line for line in run.provenance_lines()]
  return lines


def _fingerprint(runs) -> tuple:
  """What a section's rendering depends on: the record files of its runs (path, mtime, size)."""
  found = []
  for run in runs:
    for folder, dirs, files in os.walk(run.path):
      dirs[:] = sorted(d for d in dirs if d not in records.EXCLUDED_DIRS)
      found += [(os.path.join(folder, f), *(lambda st: (st.st_mtime_ns, st.st_size))(
          os.stat(os.path.join(folder, f)))) for f in sorted(files) if f.endswith(".json")]
  return tuple(found)


def build(root, out=None, extra_runs=(), notes_dir=None,
          cache=None) -> tuple[pathlib.Path, list]:
  """Writes the report of the records under `root` to `out` (default root/REPORT.md) and its
  figures; see `render`. -> (path written, [(artefact, error)] of sections that could not be
  rendered)."""
  root = pathlib.Path(root)
  out = pathlib.Path(out) if out else root / REPORT_NAME
  text, errors = render(root, out, extra_runs, notes_dir, cache)
  out.parent.mkdir(parents=True, exist_ok=True)
  tmp = out.with_suffix(".tmp")
  tmp.write_text(text)
  tmp.replace(out)
  return out, errors


def render(root, out=None, extra_runs=(), notes_dir=None, cache=None,
           figures_to=None) -> tuple[str, list]:
  """The report of the records under `root` as it would be written at `out` (default
  root/REPORT.md), its figures written under <out's folder>/report_figures/ (or under
  `figures_to`, when the text is only to be compared with a committed report). `notes_dir`: hand-written notes, one
  <artefact>.md each, included after the artefact's numbers (default: <out's folder>/notes).
  `cache`: a dict kept by a caller that rebuilds the report often (the thesis, after every
  sub-run): a section whose records did not change since the last build is not rendered again.
  -> (markdown, [(artefact, error)] of sections that could not be rendered)."""
  root = pathlib.Path(root)
  if not root.is_dir():
    raise FileNotFoundError(f"{root} is not a directory of run records")
  out = pathlib.Path(out) if out else root / REPORT_NAME
  report_dir = out.parent
  notes_dir = pathlib.Path(notes_dir) if notes_dir else report_dir / "notes"
  thesis = is_thesis_run(root)
  runs, others = (thesis_runs(root), []) if thesis else discovered_runs(root)
  for extra in extra_runs:
    runs.setdefault(extra.artefact, []).append(records.Run(
        name=f"{extra.experiment}@{extra.note}", experiment=extra.experiment, note=extra.note,
        path=pathlib.Path(extra.path)))
  sections, errors, summary = [], [], []
  total_core_hours = 0.0
  for key in ARTEFACTS:
    mod = module(key)
    artefact_runs = runs.get(key, [])  # none: every claim of the artefact is 'not run'
    ctx = section_lib.Context(key, artefact_runs, report_dir / FIGURE_DIR, report_dir,
                              figures_to)
    fingerprint = (str(out), _fingerprint(artefact_runs)) if cache is not None else None
    if cache is not None and key in cache and cache[key][0] == fingerprint:
      section, error = cache[key][1]
    else:
      section, error = _render(key, ctx)
      if cache is not None:
        cache[key] = (fingerprint, (section, error))
    if error:
      errors.append((key, error))
    core_hours = sum(r.budget().core_hours for r in artefact_runs if r.exists)
    total_core_hours += core_hours
    lines = [f"### {mod.TITLE}", "", section.body.rstrip(), "", "**Claims**", ""]
    lines += [c.line() for c in section.claims] or ["- none stated"]
    notes = notes_dir / f"{key}.md"
    if notes.is_file():
      lines += ["", "**Notes** (hand-written readings, `" + _rel(notes, report_dir) + "`)", "",
                notes.read_text().rstrip()]
    lines += ["", "**Budget and provenance**", ""]
    lines += _provenance_block(artefact_runs) or ["- no run of this artefact in these records"]
    sections.append((mod.CHAPTER, "\n".join(lines)))
    for c in section.claims:
      summary.append((f"[{mod.TITLE.split(':')[0]}](#{_anchor(mod.TITLE)})", c.text, c.verdict,
                      f"{core_hours:.2f}"))
  head = [
      "# Generative Models for Natural Images: the reproduction report", "",
      f"Regenerate with `{_regenerate_command(root, out)}` (from the run records alone). Each "
      "artefact gives our numbers beside the thesis', the thesis' claims with a verdict "
      "computed from the numbers, and the budget and provenance of every run behind it.", ""]
  if thesis:
    command, smoke = _thesis_command(root)
    head += [f"The runs: `{command}`" + (" (smoke sizes: gen_models/presets/smoke.py)"
                                        if smoke else "")
             + "; each run's own command (its experiment with the budget's overrides) is under "
             "its artefact.", ""]
  head += [
      f"Total: {total_core_hours:.2f} core-hours over the runs in these records.", "",
      "## Verdicts", "",
      "| artefact | thesis claim | verdict | core-hours |", "|---|---|---|---|",
      *(f"| {a} | {c} | {v} | {h} |" for a, c, v, h in summary), ""]
  body = []
  for chapter in sorted(CHAPTERS):
    body += [f"## {CHAPTERS[chapter]}", ""]
    body += [text + "\n" for ch, text in sections if ch == chapter]
  if others:
    ctx = section_lib.Context("other_runs", others, report_dir / FIGURE_DIR, report_dir,
                              figures_to)
    body += [f"## {other_runs.TITLE}", "",
             "Runs in these records that feed no thesis artefact.", ""]
    for run in others:
      body += [other_runs.render_run(ctx, run), *_provenance_block([run]), ""]
  return "\n".join(head + body).rstrip() + "\n", errors


def _regenerate_command(root: pathlib.Path, out: pathlib.Path) -> str:
  """The launch/report.py command, with paths relative to the repository when the records are
  in it (a committed report), else naming the report's folder W."""
  repo = pathlib.Path(__file__).resolve().parents[2]
  try:
    workdir = root.resolve().relative_to(repo).as_posix()
    target = out.resolve().relative_to(repo).as_posix()
  except ValueError:
    workdir, target = "W", f"W/{REPORT_NAME}"
    if out.resolve() != (root / REPORT_NAME).resolve():
      return "python launch/report.py --workdir=W --out=FILE"
  extra = "" if target == f"{workdir}/{REPORT_NAME}" else f" --out={target}"
  return f"python launch/report.py --workdir={workdir}{extra}"


def _thesis_command(root: pathlib.Path) -> tuple[str, bool]:
  """(the command that launched the thesis run, with W for its folder; whether it is a smoke)."""
  prov = rundir.read_json(root / "provenance.json", default={}) or {}
  config = records.read_config(root)
  budget = config["protocol"]["budget"]
  first = (prov.get("segments") or [{}])[0].get("command") or prov.get("command", "")
  spec = records.experiment_of_command(first) or f"experiments/thesis.py:{budget}"
  return f"python launch/main.py --config={spec} --workdir=W", budget == "smoke"


def _rel(path, base) -> str:
  import os
  return pathlib.Path(os.path.relpath(pathlib.Path(path).resolve(),
                                      pathlib.Path(base).resolve())).as_posix()


def _anchor(title: str) -> str:
  """GitHub's anchor of a markdown heading."""
  keep = "".join(ch for ch in title.lower() if ch.isalnum() or ch in " -_")
  return keep.replace(" ", "-")
