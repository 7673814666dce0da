"""Markdown tables and the provenance lines that must accompany every reported number."""

import json
import pathlib

from gen_models.training import rundir


def markdown_table(headers, rows) -> str:
  lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
  lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
  return "\n".join(lines) + "\n"


def percent(value) -> str:
  """A fraction as a percentage with two decimals; 'n/a' for None (not computed)."""
  return "n/a" if value is None else f"{100 * value:.2f}"


def provenance_lines(workdir) -> str:
  """A short markdown block naming the commit, command, devices and wall time of a run."""
  prov = json.loads((pathlib.Path(workdir) / "provenance.json").read_text())
  devices = prov["devices"]
  commit = (prov.get("commit") or "unknown")[:12] + (" (dirty tree)" if prov.get("dirty") else "")
  segment_commits = list(dict.fromkeys((seg.get("commit") or "unknown")[:12]
                                       for seg in prov.get("segments", [])))
  if len(segment_commits) > 1:  # e.g. trained at one commit, re-reduced at a later one
    commit += f" (launch segments at {', '.join(segment_commits)})"
  return (f"- command: `{prov['command']}`\n"
          f"- commit: {commit}\n"
          f"- devices: {devices['count']} x {', '.join(devices['kinds'])} ({devices['platform']})\n"
          f"- versions: jax {prov['versions']['jax']}, flax {prov['versions']['flax']}\n"
          f"- wall time: {prov['wall_time_s'] / 60:.1f} min (all launch segments)\n"
          + _cpu_time_line(prov, pathlib.Path(workdir)) + _xla_flags_line(prov))


def _cpu_time_line(prov: dict, workdir: pathlib.Path) -> str:
  """Process CPU time of the run, including its sub-runs' processes (a protocol or sweep run
  trains in child processes, so the launcher's own CPU time is nearly zero)."""
  segments = prov.get("segments", [])
  timed = [s["cpu_time_s"] for s in segments if "cpu_time_s" in s]
  sub_runs = [rundir.read_json(p) for p in sorted(workdir.glob("*/provenance.json"))]
  sub_timed = [sub["cpu_time_s"] for sub in sub_runs if "cpu_time_s" in sub]
  if not timed and not sub_timed:
    return ""
  which = "" if len(timed) == len(segments) else f" ({len(timed)} of {len(segments)} launch " \
      "segments recorded it)"
  if sub_runs:
    which += f"; launcher + {len(sub_timed)} sub-runs"
    if len(sub_timed) < len(sub_runs):
      which += f" ({len(sub_runs) - len(sub_timed)} more did not record it)"
  total = sum(timed) + sum(sub_timed)
  return f"- CPU time: {total / 3600:.2f} core-hours (process CPU time{which})\n"


def _xla_flags_line(prov: dict) -> str:
  flags = list(dict.fromkeys(s.get("xla_flags") or "" for s in prov.get("segments", [])))
  flags = [f for f in flags if f]
  return f"- XLA_FLAGS: `{' | '.join(flags)}`\n" if flags else ""
