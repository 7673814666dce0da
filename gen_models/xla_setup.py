"""The CPU fast path: XLA flags chosen before JAX initializes its backend.

jaxlib 0.10.x sends every convolution on XLA:CPU to YNNPACK, whose backward convolutions are
slow; `--xla_cpu_experimental_ynn_fusion_type=-individual_convolution` puts convolutions back on
XLA's Eigen kernels (dots stay on YNNPACK). Measured on the appendix B.3 critic step:
results/throughput.md. The flag is experimental and XLA kills the process on an unknown flag
("Unknown flag in XLA_FLAGS"), so `apply_cpu_fast_path()` adds it only when

- GEN_MODELS_CPU_FAST_PATH is not "0" (the opt-out),
- the user's XLA_FLAGS does not already set that flag (theirs wins, either way),
- the backend will be the CPU: JAX_PLATFORMS unset with no GPU/TPU plugin installed, or
  JAX_PLATFORMS naming "cpu" first,
- the installed jaxlib knows the flag and its value: both names must appear in jaxlib's shared
  libraries, and a one-off `python -c "import jax; ..."` with the flag must run; the answer is
  cached per jaxlib build in ~/.cache/gen_models/xla_fast_path.json (XDG_CACHE_HOME honoured).

XLA reads XLA_FLAGS once, when the backend starts (the first computation or jax.devices()), so
call it first thing: launch/main.py, launch/cli.py (sample.py, evaluate.py), benchmarks/*.py and
tests/conftest.py do. This module never imports jax.
"""

import hashlib
import importlib.metadata
import importlib.util
import json
import mmap
import os
import pathlib
import pkgutil
import re
import shlex
import subprocess
import sys

FLAG_NAME = "xla_cpu_experimental_ynn_fusion_type"
FAST_PATH_FLAG = f"--{FLAG_NAME}=-individual_convolution"
OPT_OUT_ENV = "GEN_MODELS_CPU_FAST_PATH"
# Names the flag and its value have inside jaxlib's shared libraries (flag table, enum).
_LIBRARY_TOKENS = (FLAG_NAME.encode(), b"LIBRARY_FUSION_TYPE_INDIVIDUAL_CONVOLUTION")
# Top-level modules of accelerator PJRT plugins (jax-cuda12-plugin, jax-rocm*, libtpu, the
# jax_plugins namespace package they register under).
_ACCELERATOR_MODULES = re.compile(r"^(jax_(cuda|rocm)\w*|libtpu\w*|jax_plugins)$")
_CACHE_NAME = "xla_fast_path.json"
_PROBE = "import jax, jax.numpy as jnp; jnp.zeros(1).block_until_ready()"

# What the last apply_cpu_fast_path() call decided (provenance reads it).
_DECISION = {"cpu_fast_path_reason": "apply_cpu_fast_path() not called"}


def flag_names(xla_flags: str) -> list[str]:
  """The flag names (without -- and value) in an XLA_FLAGS string."""
  names = []
  for token in shlex.split(xla_flags or ""):
    if token.startswith("-"):
      names.append(token.lstrip("-").split("=", 1)[0])
  return names


def with_flag(xla_flags: str, flag: str) -> str:
  """xla_flags with `flag` (`--name=value`) appended, any earlier value of that name removed."""
  name = flag.lstrip("-").split("=", 1)[0]
  kept = [t for t in shlex.split(xla_flags or "")
          if not (t.startswith("-") and t.lstrip("-").split("=", 1)[0] == name)]
  return " ".join(kept + [flag])


def fast_path_active(xla_flags: str | None = None) -> bool:
  """Whether XLA_FLAGS (default: the environment's) carries the fast-path flag as we set it."""
  flags = os.environ.get("XLA_FLAGS", "") if xla_flags is None else xla_flags
  return FAST_PATH_FLAG in shlex.split(flags)


def backend_is_cpu() -> tuple[bool, str]:
  """(will JAX's default backend be the CPU?, why), decided without importing jax."""
  platforms = [p.strip().lower() for p in os.environ.get("JAX_PLATFORMS", "").split(",")
               if p.strip()]
  if platforms:
    if platforms[0] == "cpu":
      return True, "JAX_PLATFORMS starts with cpu"
    return False, f"JAX_PLATFORMS={os.environ['JAX_PLATFORMS']}"
  plugins = sorted({m.name for m in pkgutil.iter_modules() if _ACCELERATOR_MODULES.match(m.name)})
  if plugins:
    return False, f"accelerator plugin installed ({', '.join(plugins)})"
  return True, "no accelerator plugin installed"


def _jaxlib_dir() -> pathlib.Path | None:
  spec = importlib.util.find_spec("jaxlib")  # a top-level package: found, not imported
  if spec is None or not spec.submodule_search_locations:
    return None
  return pathlib.Path(list(spec.submodule_search_locations)[0])


def _libraries(jaxlib_dir: pathlib.Path) -> list[pathlib.Path]:
  libs = [p for pattern in ("*.so", "*.so.*", "*.pyd", "*.dylib")
          for p in jaxlib_dir.glob(pattern) if p.is_file()]
  return sorted(set(libs), key=lambda p: (-p.stat().st_size, p.name))  # XLA: the big one


def _build_key(jaxlib_dir: pathlib.Path, libs) -> str:
  try:
    version = importlib.metadata.version("jaxlib")
  except importlib.metadata.PackageNotFoundError:
    version = "unknown"
  ids = [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in libs]
  digest = hashlib.sha256("|".join([str(jaxlib_dir), *ids]).encode()).hexdigest()[:16]
  return f"jaxlib-{version}-{digest}"


def _libraries_know_flag(libs) -> bool:
  """Both tokens somewhere in jaxlib's libraries (an mmap scan: ~0.1 s for 350 MB cached)."""
  missing = set(_LIBRARY_TOKENS)
  for path in libs:
    try:
      with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        missing = {t for t in missing if m.find(t) < 0}
    except (OSError, ValueError):
      continue
    if not missing:
      return True
  return False


def _probe_runs() -> bool | None:
  """Runs JAX once with the flag in a child process: True (ran), False (XLA rejected the
  flag), None (the child failed for another reason, e.g. no jax importable there)."""
  env = {**os.environ, "XLA_FLAGS": FAST_PATH_FLAG, "JAX_PLATFORMS": "cpu", OPT_OUT_ENV: "0",
         "TF_CPP_MIN_LOG_LEVEL": "2"}
  try:
    proc = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                          text=True, timeout=180)
  except (OSError, subprocess.SubprocessError):
    return None
  if proc.returncode == 0:
    return True
  if re.search(r"Unknown flag|Illegal value|Flag parsing failed", proc.stderr):
    return False
  return None


def _cache_path() -> pathlib.Path:
  base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
  return pathlib.Path(base) / "gen_models" / _CACHE_NAME


def _read_cache(path) -> dict:
  try:
    data = json.loads(path.read_text())
    return data if isinstance(data, dict) else {}
  except (OSError, ValueError):
    return {}


def _write_cache(path, key: str, entry: dict) -> None:
  try:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _read_cache(path)
    data[key] = entry
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    tmp.replace(path)  # atomic: concurrent launches never see half a file
  except OSError:
    pass  # an unwritable cache costs a rescan next time, nothing else


def flag_supported(use_cache: bool = True) -> tuple[bool, str]:
  """(does the installed jaxlib accept FAST_PATH_FLAG?, how that was decided)."""
  jaxlib_dir = _jaxlib_dir()
  if jaxlib_dir is None:
    return False, "jaxlib not installed"
  libs = _libraries(jaxlib_dir)
  key = _build_key(jaxlib_dir, libs)
  cache = _cache_path()
  if use_cache:
    entry = _read_cache(cache).get(key)
    if isinstance(entry, dict) and isinstance(entry.get("supported"), bool):
      return entry["supported"], f"cached for {key}"
  if not _libraries_know_flag(libs):
    _write_cache(cache, key, {"supported": False, "how": "flag or value not in jaxlib's libraries"})
    return False, f"{key} does not know the flag"
  ran = _probe_runs()
  if ran is None:  # inconclusive: trust the scan, do not cache
    return True, f"{key} libraries know the flag (probe inconclusive)"
  _write_cache(cache, key, {"supported": ran, "how": "library scan + probe run"})
  return ran, f"{key} {'accepts' if ran else 'rejects'} the flag (probe run)"


def apply_cpu_fast_path() -> bool:
  """Appends FAST_PATH_FLAG to XLA_FLAGS when it is safe and useful (see the module docstring).
  Returns whether the fast path is on afterwards. Idempotent; call before JAX starts."""
  flags = os.environ.get("XLA_FLAGS", "")
  if os.environ.get(OPT_OUT_ENV, "").strip() == "0":
    return _decide(fast_path_active(flags), f"opted out ({OPT_OUT_ENV}=0)")
  if FLAG_NAME in flag_names(flags):
    return _decide(fast_path_active(flags), f"--{FLAG_NAME} set by the user")
  cpu, why = backend_is_cpu()
  if not cpu:
    return _decide(False, f"not a CPU backend: {why}")
  supported, how = flag_supported()
  if not supported:
    return _decide(False, f"unsupported: {how}")
  os.environ["XLA_FLAGS"] = f"{flags} {FAST_PATH_FLAG}".strip()
  return _decide(True, f"applied ({why}; {how})")


def _decide(on: bool, reason: str) -> bool:
  _DECISION.update(cpu_fast_path_reason=reason)
  return on


def host_cpu(cpuinfo_path="/proc/cpuinfo") -> str:
  """The host CPU, e.g. 'AMD EPYC (family 25, model 1; AVX-512: no)'; platform.processor()
  where /proc/cpuinfo is missing.

  The vector ISA is named because it decides how much the fast path buys: on the same jaxlib the
  B.3 critic step ran 3x faster with the flag on an AVX2-only EPYC, 1.3-1.4x on one with AVX-512
  (results/throughput.md), so a step time means little without it.
  """
  fields = {}
  try:
    for line in pathlib.Path(cpuinfo_path).read_text().splitlines():
      key, sep, value = line.partition(":")
      if sep:  # the first processor's block is enough
        fields.setdefault(key.strip(), value.strip())
  except OSError:
    pass
  if "model name" not in fields:
    import platform
    return platform.processor() or "unknown"
  avx512 = "yes" if "avx512f" in fields.get("flags", "").split() else "no"
  return (f"{fields['model name']} (family {fields.get('cpu family', '?')}, model "
          f"{fields.get('model', '?')}; AVX-512: {avx512})")


def provenance() -> dict:
  """The effective XLA flags and the fast-path state, for provenance.json."""
  flags = os.environ.get("XLA_FLAGS", "")
  return {"xla_flags": flags, "cpu_fast_path": fast_path_active(flags), **_DECISION}
