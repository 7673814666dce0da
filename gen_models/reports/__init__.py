"""Reports: one module per thesis artefact, above protocols/ in the layering.

Each module (gen_models/reports/<artefact>.py, listed in order in report.ARTEFACTS) declares the
experiments that feed it and renders a markdown section from their run records, with the
thesis' numbers (thesis_numbers.py) beside ours, each run's budget and provenance, and a
computed verdict on the thesis' claims (section.Claim). `report.build` assembles REPORT.md.
"""
