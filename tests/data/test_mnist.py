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


# ---- the binarized source --------------------------------------------------------------------
def _tiny_idx_set(root, num_train=mnist.NUM_VALIDATION + 40, num_test=30, side=4):
  """A generated MNIST-layout folder: grey levels drawn per image, labels cycling 0..9."""
  rng = np.random.default_rng(0)
  folder = pathlib.Path(root) / "mnist"
  folder.mkdir(parents=True)
  for prefix, n in (("train", num_train), ("test", num_test)):
    _write_idx(folder / mnist.FILES[f"{prefix}_images"],
               rng.integers(0, 256, size=(n, side, side), dtype=np.uint8))
    _write_idx(folder / mnist.FILES[f"{prefix}_labels"], np.arange(n) % 10)
  return pathlib.Path(root)


@pytest.fixture(scope="module")
def tiny_root(tmp_path_factory):
  return _tiny_idx_set(tmp_path_factory.mktemp("idx"))


def test_batches_are_pure_functions_of_seed_and_index(tiny_root):
  a = mnist.MNISTSource("mnist", tiny_root, batch_size=6, seed=1)
  b = mnist.MNISTSource("mnist", tiny_root, batch_size=6, seed=1)
  stacked = a.batches(3, 2)
  assert stacked["x"].shape == (2, 6, 4, 4, 1) and stacked["label"].shape == (2, 6)
  for j in range(2):  # a fresh source, asked for single batches out of order, agrees
    single = b.batch(4 - j)
    np.testing.assert_array_equal(stacked["x"][1 - j], single["x"])
    np.testing.assert_array_equal(stacked["label"][1 - j], single["label"])
  other = mnist.MNISTSource("mnist", tiny_root, batch_size=6, seed=2).batches(3, 2)
  assert not np.array_equal(stacked["x"], other["x"])


def test_epochs_are_permutations_and_binarization_is_fresh(tiny_root):
  source = mnist.MNISTSource("mnist", tiny_root, batch_size=8, seed=0)
  n = len(source.train.labels)
  assert n == 40  # the last 10k training images are the validation split
  rows = np.concatenate([source.indices(i) for i in range(10)])  # 80 = exactly two epochs
  np.testing.assert_array_equal(np.sort(rows[:n]), np.arange(n))
  np.testing.assert_array_equal(np.sort(rows[n:]), np.arange(n))
  assert not np.array_equal(rows[:n], rows[n:])
  x = np.concatenate([source.batch(i)["x"] for i in range(10)])
  assert set(np.unique(x)) <= {0.0, 1.0}
  first, second = x[:n][np.argsort(rows[:n])], x[n:][np.argsort(rows[n:])]
  assert np.mean(first != second) > 0.1  # the same images, binarized again


def test_binarization_probability_is_the_grey_level():
  images = np.repeat(np.array([0, 64, 191, 255], np.uint8)[None], 20_000, axis=0)
  x = mnist.binarize(images, np.random.default_rng(0))
  np.testing.assert_allclose(x.mean(0), [0, 64 / 255, 191 / 255, 1], atol=0.012)


def test_eval_set_is_fixed_and_classes_filter_training_only(tiny_root):
  a = mnist.MNISTSource("mnist", tiny_root, batch_size=4, seed=0, drop_classes=(7,))
  b = mnist.MNISTSource("mnist", tiny_root, batch_size=4, seed=9)
  x_a, y_a = a.eval_set("test")
  x_b, y_b = b.eval_set("test", num_examples=12)
  np.testing.assert_array_equal(x_a[:12], x_b)  # independent of training seed and size
  np.testing.assert_array_equal(y_a[:12], y_b)
  assert 7 in y_a  # the test split keeps the held-out class
  assert 7 not in np.concatenate([a.batch(i)["label"] for i in range(30)])
  assert 7 not in a.eval_set("validation")[1]
  only = mnist.MNISTSource("mnist", tiny_root, batch_size=4, seed=0, keep_classes=(0, 1))
  assert set(np.unique(only.batches(0, 5)["label"])) == {0, 1}


def test_grey_level_mode_and_build_source(tiny_root):
  import ml_collections
  from gen_models import data
  cfg = ml_collections.ConfigDict(dict(name="mnist", data_dir=str(tiny_root), batch_size=5,
                                       binarize=False, keep_classes=(), drop_classes=(),
                                       eval_seed=0, train_subset=0, subset_seed=0))
  source = data.build_source(cfg, seed=3)
  rows = source.indices(2)
  np.testing.assert_allclose(source.batch(2)["x"], source.train.images[rows] / 255.0, rtol=1e-6)
  assert source.data_shape == (4, 4, 1)
  with pytest.raises(mnist.DataFileError, match="fashion_mnist files missing"):
    data.build_source(ml_collections.ConfigDict(dict(cfg, name="fashion_mnist")), seed=0)
  with pytest.raises(ValueError, match="fewer than batch_size"):
    mnist.MNISTSource("mnist", tiny_root, batch_size=8, seed=0, keep_classes=(3,))


@pytest.mark.skipif(not (DATA / "mnist").is_dir(), reason="needs GEN_MODELS_DATA_DIR with MNIST")
def test_real_mnist_source():
  source = mnist.MNISTSource("mnist", DATA, batch_size=64, seed=0)
  batch = source.batches(0, 2)
  assert batch["x"].shape == (2, 64, 28, 28, 1) and batch["x"].dtype == np.float32
  assert set(np.unique(batch["x"])) == {0.0, 1.0}
  x, labels = source.eval_set("test", num_examples=500)
  assert x.shape == (500, 28, 28, 1) and labels.shape == (500,)
  # dynamic binarization preserves the mean grey level (MNIST: about 0.13)
  grey = mnist.load("mnist", DATA, "test").images[:500] / 255.0
  assert abs(x.mean() - grey.mean()) < 0.01
