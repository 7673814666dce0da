"""No package of gen_models imports a package above it (the import order of BUILD_NOTES.md)."""

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "gen_models"
# Lowest first: each package may import only packages listed before it (and itself).
LAYERS = ("objectives", "nn", "models", "sampling", "data", "training", "plotting", "tasks",
          "evaluation", "presets", "protocols", "reports", "runs")


def _imported_packages(path: pathlib.Path) -> set:
  """Sub-packages of gen_models that the module at `path` imports (late imports included)."""
  found = set()
  for node in ast.walk(ast.parse(path.read_text())):
    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gen_models"):
      parts = node.module.split(".")
      found.update([parts[1]] if len(parts) > 1 else [a.name for a in node.names])
    elif isinstance(node, ast.Import):
      found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("gen_models."))
  return found


def test_every_package_is_in_a_layer():
  packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
  assert packages == set(LAYERS)


def test_no_package_imports_one_above_it():
  violations = []
  for path in sorted(PACKAGE.rglob("*.py")):
    parts = path.relative_to(PACKAGE).parts
    if len(parts) == 1:
      continue  # gen_models/__init__.py
    level = LAYERS.index(parts[0])
    for imported in _imported_packages(path):
      if imported in LAYERS and LAYERS.index(imported) > level:
        violations.append(f"{path.relative_to(PACKAGE.parent)} imports gen_models.{imported}")
  assert not violations, "\n".join(violations)
