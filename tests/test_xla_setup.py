"""The CPU fast path (gen_models/xla_setup.py): when it adds its flag, that it never clobbers the
user's XLA_FLAGS, that XLA takes it, and that a conv train step compiles to the Eigen path with
the same numbers."""

import json
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from gen_models import xla_setup

REPO = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def env(monkeypatch, tmp_path):
  """A clean environment for apply_cpu_fast_path(): no XLA_FLAGS, CPU, a private cache."""
  for name in ("XLA_FLAGS", "JAX_PLATFORMS", xla_setup.OPT_OUT_ENV):
    monkeypatch.delenv(name, raising=False)
  monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
  monkeypatch.setattr(xla_setup, "flag_supported", lambda use_cache=True: (True, "test"))
  return monkeypatch


def test_adds_the_flag_on_cpu(env):
  assert xla_setup.apply_cpu_fast_path() is True
  assert os.environ["XLA_FLAGS"] == xla_setup.FAST_PATH_FLAG
  assert xla_setup.apply_cpu_fast_path() is True  # idempotent: the user-set branch now
  assert os.environ["XLA_FLAGS"] == xla_setup.FAST_PATH_FLAG


def test_keeps_the_users_flags(env):
  env.setenv("XLA_FLAGS", "--xla_force_host_platform_device_count=2")
  assert xla_setup.apply_cpu_fast_path()
  assert os.environ["XLA_FLAGS"] == (
      f"--xla_force_host_platform_device_count=2 {xla_setup.FAST_PATH_FLAG}")


def test_a_user_setting_of_the_flag_wins(env):
  theirs = f"--{xla_setup.FLAG_NAME}=-individual_dot --xla_cpu_use_xnnpack=true"
  env.setenv("XLA_FLAGS", theirs)
  assert xla_setup.apply_cpu_fast_path() is False
  assert os.environ["XLA_FLAGS"] == theirs
  assert "set by the user" in xla_setup.provenance()["cpu_fast_path_reason"]


def test_opt_out(env):
  env.setenv(xla_setup.OPT_OUT_ENV, "0")
  assert xla_setup.apply_cpu_fast_path() is False
  assert "XLA_FLAGS" not in os.environ
  assert xla_setup.provenance()["cpu_fast_path"] is False


@pytest.mark.parametrize("platforms", ["cuda", "tpu", "gpu,cpu"])
def test_not_for_other_backends(env, platforms):
  env.setenv("JAX_PLATFORMS", platforms)
  assert xla_setup.apply_cpu_fast_path() is False
  assert "XLA_FLAGS" not in os.environ


def test_explicit_cpu_wins_over_installed_plugins(env):
  env.setattr(xla_setup.pkgutil, "iter_modules", lambda: [type("M", (), {"name": "jax_cuda12_plugin"})])
  assert xla_setup.backend_is_cpu()[0] is False
  assert xla_setup.apply_cpu_fast_path() is False
  env.setenv("JAX_PLATFORMS", "cpu")
  assert xla_setup.apply_cpu_fast_path() is True


def test_unsupported_jaxlib_leaves_flags_alone(env):
  env.setattr(xla_setup, "flag_supported", lambda use_cache=True: (False, "old jaxlib"))
  env.setenv("XLA_FLAGS", "--xla_dump_to=/tmp/x")
  assert xla_setup.apply_cpu_fast_path() is False
  assert os.environ["XLA_FLAGS"] == "--xla_dump_to=/tmp/x"


def test_with_flag_replaces_an_earlier_value():
  flags = f"--xla_force_host_platform_device_count=8 {xla_setup.FAST_PATH_FLAG}"
  assert xla_setup.with_flag(flags, "--xla_force_host_platform_device_count=2") == (
      f"{xla_setup.FAST_PATH_FLAG} --xla_force_host_platform_device_count=2")


def test_launch_env_keeps_the_fast_path_flag(monkeypatch):
  """tests/conftest.launch() sets the device count next to (not instead of) the fast path."""
  import conftest
  seen = {}
  monkeypatch.setattr(conftest.subprocess, "run",
                      lambda *a, env=None, **k: seen.update(env) or subprocess.CompletedProcess(a, 0))
  monkeypatch.setenv("XLA_FLAGS", xla_setup.FAST_PATH_FLAG)
  conftest.launch("--list", devices=2)
  assert xla_setup.FAST_PATH_FLAG in seen["XLA_FLAGS"].split()
  assert "--xla_force_host_platform_device_count=2" in seen["XLA_FLAGS"].split()


def test_support_detection_is_cached(monkeypatch, tmp_path):
  """The installed jaxlib (0.10.x) knows the flag; the answer is cached per jaxlib build."""
  monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
  supported, how = xla_setup.flag_supported()
  cache = json.loads((tmp_path / "gen_models" / "xla_fast_path.json").read_text())
  (key, entry), = cache.items()
  assert key.startswith("jaxlib-") and entry["supported"] is supported
  calls = []
  monkeypatch.setattr(xla_setup, "_probe_runs", lambda: calls.append(1))
  assert xla_setup.flag_supported() == (supported, f"cached for {key}")
  assert not calls
  import jaxlib
  if jaxlib.__version__.startswith("0.10."):
    assert supported, how


def test_provenance_records_the_flags(tmp_path):
  from gen_models.training import rundir
  rundir.Provenance(tmp_path).update()
  segment = json.loads((tmp_path / "provenance.json").read_text())["segments"][-1]
  assert segment["xla_flags"] == os.environ.get("XLA_FLAGS", "")
  assert segment["cpu_fast_path"] == xla_setup.fast_path_active()
  assert segment["cpu_fast_path_reason"]
  assert segment["devices"]["cpu"] == xla_setup.host_cpu()


def test_host_cpu_names_the_vector_isa(tmp_path):
  block = ("processor\t: {n}\nmodel name\t: AMD EPYC\ncpu family\t: 25\nmodel\t\t: 1\n"
           "flags\t\t: fpu sse2 avx2{extra}\n\n")
  info = tmp_path / "cpuinfo"
  info.write_text(block.format(n=0, extra="") + block.format(n=1, extra=""))
  assert xla_setup.host_cpu(info) == "AMD EPYC (family 25, model 1; AVX-512: no)"
  info.write_text(block.format(n=0, extra=" avx512f avx512bw"))
  assert xla_setup.host_cpu(info).endswith("AVX-512: yes)")
  assert xla_setup.host_cpu(tmp_path / "missing")  # platform.processor() or "unknown"


# A conv train step (conv forward + backward, an SGD update) compiled and run in a fresh process,
# since XLA reads XLA_FLAGS once. It reports the optimized HLO's YNN fusions, whether the compile
# options the executable was built with still route individual convolutions to YNNPACK (jaxlib
# makes that choice when it emits the convolution, so the HLO alone cannot show it), and the
# numbers.
_CHILD = r"""
import json, pathlib, re, sys
import jax, jax.numpy as jnp, numpy as np

def step(params, x):
  def loss(params):
    h = jax.nn.relu(jax.lax.conv_general_dilated(x, params["w1"], (1, 1), "SAME",
                                                 dimension_numbers=("NHWC", "HWIO", "NHWC")))
    h = jax.lax.conv_general_dilated(h, params["w2"], (2, 2), "SAME",
                                     dimension_numbers=("NHWC", "HWIO", "NHWC"))
    return jnp.mean(jnp.square(h - 0.1))
  value, grads = jax.value_and_grad(loss)(params)
  return value, jax.tree_util.tree_map(lambda p, g: p - 0.5 * g, params, grads)

rng = np.random.default_rng(0)
params = {"w1": jnp.asarray(rng.normal(0, 0.2, (3, 3, 4, 8)), jnp.float32),
          "w2": jnp.asarray(rng.normal(0, 0.2, (3, 3, 8, 8)), jnp.float32)}
x = jnp.asarray(rng.normal(size=(4, 16, 16, 4)), jnp.float32)
compiled = jax.jit(step).lower(params, x).compile()
text = compiled.as_text()
# the computations that YNN fusions call, and whether any of them holds a convolution
ynn_called = set(re.findall(r"kind=kCustom, calls=%?([\w.-]+)[^\n]*__ynn_fusion", text))
bodies = re.split(r"\n(?=\S)", text)
conv_in_ynn = any(b.split(" ", 1)[0].lstrip("%") in ynn_called and " convolution(" in b
                  for b in bodies)
value, new = compiled(params, x)
options = "".join(p.read_text() for p in pathlib.Path(sys.argv[1]).glob("**/compile_options*"))
print("@@" + json.dumps({
    "convolutions": text.count(" convolution("), "ynn_fusions": len(ynn_called),
    "conv_in_ynn_fusion": conv_in_ynn,
    "ynn_individual_convolution": "LIBRARY_FUSION_TYPE_INDIVIDUAL_CONVOLUTION" in options,
    "value": float(value), "params": {k: np.asarray(v).ravel().tolist() for k, v in new.items()}}))
"""


def _run_child(tmp_path, name, fast_path: bool):
  dump = tmp_path / name
  flags = f"--xla_dump_to={dump}" + (f" {xla_setup.FAST_PATH_FLAG}" if fast_path else "")
  env = {**os.environ, "XLA_FLAGS": flags, "JAX_PLATFORMS": "cpu", xla_setup.OPT_OUT_ENV: "0",
         "PYTHONPATH": str(REPO), "TF_CPP_MIN_LOG_LEVEL": "2"}
  proc = subprocess.run([sys.executable, "-c", _CHILD, str(dump)], env=env, cwd=REPO,
                        capture_output=True, text=True, timeout=300)
  assert proc.returncode == 0, proc.stderr[-3000:]
  line = [ln for ln in proc.stdout.splitlines() if ln.startswith("@@")][-1]
  return json.loads(line[2:])


def test_conv_step_on_the_fast_path(tmp_path):
  if not xla_setup.flag_supported()[0]:
    pytest.skip("this jaxlib does not know the fast-path flag")
  fast = _run_child(tmp_path, "fast", fast_path=True)
  default = _run_child(tmp_path, "default", fast_path=False)
  # Forward + backward: the step keeps its convolutions as convolutions, none inside a YNN
  # fusion; with the flag the executable no longer routes individual convolutions to YNNPACK.
  assert fast["convolutions"] >= 3
  assert not fast["conv_in_ynn_fusion"]
  assert not fast["ynn_individual_convolution"]
  # Control: by default jaxlib 0.10 does route them to YNNPACK (observable in compile options).
  import jaxlib
  if jaxlib.__version__.startswith("0.10."):
    assert default["ynn_individual_convolution"]
  np.testing.assert_allclose(fast["value"], default["value"], rtol=1e-4)
  for name in fast["params"]:
    np.testing.assert_allclose(fast["params"][name], default["params"][name], rtol=1e-4,
                               atol=1e-6)
