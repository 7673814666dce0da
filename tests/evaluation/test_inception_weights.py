"""Weight-file format and loader (on files written here), clear errors for missing/mismatched
files, the network wrapper; the real converted weights against stored TorchScript outputs
(skipped when the converted file is absent: it is ~90 MB and never committed)."""

import os
import pathlib

import flax
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from gen_models.evaluation import inception, weights
from gen_models.models import inception as inception_model

HERE = pathlib.Path(__file__).resolve().parent
DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data"))
REAL_WEIGHTS = pathlib.Path(os.environ.get(
    "GEN_MODELS_INCEPTION_WEIGHTS", weights.default_weights_path(DATA, with_logits=False)))


@pytest.fixture(scope="module")
def full_arrays():
  """Random arrays in the documented format, including the 1008-way logits."""
  rng = np.random.default_rng(0)
  return {k: rng.uniform(0.5, 1.5, shape).astype(np.float32) * 0.01
          for k, shape in weights.expected_shapes(with_logits=True).items()}


@pytest.fixture(scope="module")
def full_file(tmp_path_factory, full_arrays):
  """(path, digest) of `full_arrays` written once (90 MB) for all tests of this module."""
  path = tmp_path_factory.mktemp("weights") / weights.FULL_WEIGHTS_NAME
  return path, weights.save_weights(path, full_arrays)


def test_loader_round_trip_on_a_file_in_the_documented_format(full_file, full_arrays):
  path, digest = full_file
  variables = weights.load_weights(path, with_logits=True, expected_digest=digest)
  # The loaded tree is exactly the module's parameter tree, array for array.
  reference = jax.eval_shape(inception_model.InceptionV3().init, jax.random.key(0),
                             jax.ShapeDtypeStruct((1, 299, 299, 3), jnp.float32))
  assert (jax.tree_util.tree_structure(variables)
          == jax.tree_util.tree_structure(jax.tree.map(lambda _: 0, reference)))
  flat = flax.traverse_util.flatten_dict(variables["params"], sep="/")
  for key, value in full_arrays.items():
    np.testing.assert_array_equal(flat[key], value)
  # A full file also serves FID: the logits are ignored, the digest covers the arrays used.
  features_only = weights.load_weights(path, with_logits=False)
  assert "logits" not in features_only["params"]
  assert len(weights.expected_shapes(True)) == len(weights.expected_shapes(False)) + 2


def test_digest_ignores_container_but_not_content(tmp_path, full_arrays):
  small = {"a/kernel": np.ones((2, 3), np.float32), "b/beta": np.zeros(3, np.float32)}
  assert weights.weights_digest(small) == weights.weights_digest(dict(reversed(small.items())))
  changed = dict(small, **{"b/beta": np.full(3, 1e-7, np.float32)})
  assert weights.weights_digest(changed) != weights.weights_digest(small)


def test_missing_file_names_file_folder_and_how_to_get_it(tmp_path):
  with pytest.raises(weights.WeightFileError) as err:
    weights.load_weights(tmp_path / "nothing.npz")
  message = str(err.value)
  assert "nothing.npz" in message and str(tmp_path) in message
  assert "convert_fid_inception.py" in message


def test_mismatched_files_name_the_arrays_and_shapes(tmp_path, full_arrays):
  bad = dict(full_arrays)
  bad["mixed_4/tower/conv_1/kernel"] = np.zeros((7, 1, 128, 128), np.float32)  # transposed
  del bad["logits/kernel"]
  weights.save_weights(tmp_path / "bad.npz", bad)
  with pytest.raises(weights.WeightFileError) as err:
    weights.load_weights(tmp_path / "bad.npz", with_logits=True)
  message = str(err.value)
  assert "logits/kernel (2048, 1008)" in message
  assert "mixed_4/tower/conv_1/kernel is (7, 1, 128, 128), expected (1, 7, 128, 128)" in message
  (tmp_path / "junk.npz").write_bytes(b"not a zip file")
  with pytest.raises(weights.WeightFileError, match="junk.npz"):
    weights.load_weights(tmp_path / "junk.npz")


def test_digest_mismatch_is_an_error(full_file):
  with pytest.raises(weights.WeightFileError, match="expected 0000"):
    weights.load_weights(full_file[0], with_logits=False, expected_digest="0000")


def test_feature_only_weights_refuse_the_inception_score(full_arrays, full_file):
  net = inception.InceptionNetwork(weights.load_weights(full_file[0], with_logits=False))
  with pytest.raises(ValueError, match="no 1008-way logits"):
    inception.inception_score(net, np.zeros((10, 32, 32, 3), np.uint8))
  # The default drops the logits bias, as the original Inception-score code did.
  variables = weights.load_weights(full_file[0], with_logits=True)
  assert not np.any(inception.InceptionNetwork(variables).variables["params"]["logits"]["bias"])
  kept = inception.InceptionNetwork(variables, logits_bias=True).variables["params"]["logits"]
  np.testing.assert_array_equal(kept["bias"], full_arrays["logits/bias"])


@pytest.mark.skipif(not REAL_WEIGHTS.is_file(),
                    reason=f"converted FID weights absent at {REAL_WEIGHTS} (create them with "
                           "tools/convert_fid_inception.py, or set GEN_MODELS_INCEPTION_WEIGHTS)")
def test_real_weights_match_stored_torchscript_features():
  variables = weights.load_weights(REAL_WEIGHTS, expected_digest=weights.FID_FEATURES_DIGEST)
  with np.load(HERE / "data" / "fid_torchscript_reference.npz") as f:
    images, expected, row0 = f["images"], f["features"], f["inputs_row0"]
  np.testing.assert_allclose(inception_model.preprocess(images, (0, 255))[:, 0], row0, atol=1e-5)
  net = inception.InceptionNetwork(variables, input_range=(0, 255))
  got = net.features(images)
  rel = np.linalg.norm(got - expected, axis=1) / np.linalg.norm(expected, axis=1)
  assert np.all(rel < 1e-4), rel
