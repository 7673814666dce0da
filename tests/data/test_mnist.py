"""IDX reading on the real files and on generated ones; clear errors for missing/corrupt data."""

import gzip
import os
import pathlib

import numpy as np
import pytest

from gen_models.data import mnist

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data"))


def _write_idx(path, array):
  header = bytes([0, 0, 0x08, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
  with gzip.open(path, "wb") as f:
    f.write(header + array.astype(np.uint8).tobytes())


def test_generated_idx_round_trip(tmp_path):
  array = np.random.default_rng(0).integers(0, 256, size=(5, 3, 4), dtype=np.uint8)
  _write_idx(tmp_path / "x.gz", array)
  np.testing.assert_array_equal(mnist.read_idx(tmp_path / "x.gz"), array)


def test_corrupt_file_is_named(tmp_path):
  array = np.zeros((5, 3, 4), np.uint8)
  header = bytes([0, 0, 0x08, 3]) + b"".join(d.to_bytes(4, "big") for d in (6, 3, 4))
  with gzip.open(tmp_path / "bad.gz", "wb") as f:
    f.write(header + array.tobytes())
  with pytest.raises(mnist.DataFileError, match="bad.gz is truncated or corrupt"):
    mnist.read_idx(tmp_path / "bad.gz")
  (tmp_path / "junk.gz").write_bytes(b"not gzip at all")
  with pytest.raises(mnist.DataFileError, match="junk.gz"):
    mnist.read_idx(tmp_path / "junk.gz")


def test_missing_files_error_names_files_and_folder(tmp_path):
  with pytest.raises(mnist.DataFileError) as err:
    mnist.load("mnist", tmp_path, "train")
  message = str(err.value)
  assert str(tmp_path / "mnist") in message
  for filename in mnist.FILES.values():
    assert filename in message


@pytest.mark.skipif(not (DATA / "mnist").is_dir(), reason="needs GEN_MODELS_DATA_DIR with MNIST")
def test_real_mnist_splits_and_filter():
  train = mnist.load("mnist", DATA, "train")
  valid = mnist.load("mnist", DATA, "validation")
  test = mnist.load("mnist", DATA, "test")
  assert train.images.shape == (50_000, 28, 28, 1) and train.images.dtype == np.uint8
  assert valid.images.shape[0] == 10_000 and test.images.shape[0] == 10_000
  assert set(np.unique(test.labels)) == set(range(10))
  no_seven = mnist.filter_classes(test, drop=[7])
  assert 7 not in no_seven.labels and len(no_seven.labels) == 10_000 - np.sum(test.labels == 7)
  only = mnist.filter_classes(test, keep=[0, 1])
  assert set(np.unique(only.labels)) == {0, 1}


@pytest.mark.skipif(not (DATA / "fashion_mnist").is_dir(), reason="needs Fashion-MNIST")
def test_real_fashion_mnist():
  test = mnist.load("fashion_mnist", DATA, "test")
  assert test.images.shape == (10_000, 28, 28, 1)
