"""CIFAR-10 tarball reading on a tiny generated tarball in the official layout and on the real
file; deterministic batches; cache; clear errors for missing or corrupt tarballs."""

import io
import os
import pathlib
import pickle
import tarfile
import warnings

import ml_collections
import numpy as np
import pytest

from gen_models import data as data_lib
from gen_models.data import cifar10

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data"))
REAL = cifar10.tarball_path(DATA)
PER_MEMBER = {"data_batch_1": 6, "data_batch_2": 6, "data_batch_3": 6, "data_batch_4": 6,
              "data_batch_5": 6, "test_batch": 5}


def _official_row(image):
  """[32, 32, 3] uint8 -> the official [3072] row: the R plane, then G, then B (row-major)."""
  return np.concatenate([image[:, :, c].reshape(-1) for c in range(3)])


def _write_tarball(folder, images, labels, drop_member=None):
  """Writes `folder/cifar10/cifar-10-python.tar.gz` with Python-2-style pickles (bytes keys)."""
  path = cifar10.tarball_path(folder)
  path.parent.mkdir(parents=True, exist_ok=True)
  start = 0
  with tarfile.open(path, "w:gz") as tar:
    for member, n in PER_MEMBER.items():
      rows = np.stack([_official_row(im) for im in images[start:start + n]])
      batch = {b"batch_label": member.encode(), b"data": rows,
               b"labels": [int(l) for l in labels[start:start + n]],
               b"filenames": [f"{i}.png".encode() for i in range(n)]}
      start += n
      if member == drop_member:
        continue
      raw = pickle.dumps(batch, protocol=2)
      info = tarfile.TarInfo(f"cifar-10-batches-py/{member}")
      info.size = len(raw)
      tar.addfile(info, io.BytesIO(raw))
  return path


@pytest.fixture
def tiny(tmp_path):
  n = sum(PER_MEMBER.values())
  rng = np.random.default_rng(0)
  images = rng.integers(0, 256, size=(n, 32, 32, 3), dtype=np.uint8)
  labels = rng.integers(0, 10, size=n)
  _write_tarball(tmp_path / "data", images, labels)
  return tmp_path / "data", images, labels


def test_tiny_tarball_decodes_to_the_written_pixels(tiny):
  data_dir, images, labels = tiny
  with pytest.warns(UserWarning, match="not the official"):
    arrays = cifar10.load_arrays(data_dir, use_cache=False)
  np.testing.assert_array_equal(arrays["train_images"], images[:30])
  np.testing.assert_array_equal(arrays["test_images"], images[30:])
  np.testing.assert_array_equal(arrays["train_labels"], labels[:30])
  assert arrays["train_labels"].dtype == np.int32 and arrays["test_labels"].shape == (5,)


def test_cache_round_trip_and_invalidation(tiny, tmp_path):
  data_dir, images, labels = tiny
  cache = tmp_path / "cache"
  with pytest.warns(UserWarning):
    cifar10.load_arrays(data_dir, cache_dir=cache)
  assert (cache / cifar10.CACHE_NAME).is_file()
  with warnings.catch_warnings():
    warnings.simplefilter("error")  # a cache hit neither decodes nor re-checks the md5
    cached = cifar10.load_arrays(data_dir, cache_dir=cache)
  np.testing.assert_array_equal(cached["train_images"], images[:30])
  # A replaced tarball (different size) invalidates the cache.
  _write_tarball(data_dir, images[::-1].copy(), labels[::-1].copy())
  with pytest.warns(UserWarning):
    rebuilt = cifar10.load_arrays(data_dir, cache_dir=cache)
  np.testing.assert_array_equal(rebuilt["test_images"], images[::-1][30:])


def test_source_batches_are_deterministic_and_scaled(tiny, tmp_path):
  data_dir, images, labels = tiny
  with pytest.warns(UserWarning):
    source = cifar10.Cifar10Source(data_dir, batch_size=4, seed=3, cache_dir=tmp_path / "c")
  assert source.data_shape == (32, 32, 3) and source.batches_per_epoch == 7
  batch = source.batches(5, 4)  # crosses the epoch boundary at batch 7
  assert batch["x"].shape == (4, 4, 32, 32, 3) and batch["x"].dtype == np.float32
  assert batch["label"].shape == (4, 4) and batch["label"].dtype == np.int32
  assert batch["x"].min() >= -1.0 and batch["x"].max() <= 1.0
  # Batch i depends only on (seed, i): asking for it alone, later, gives the same arrays.
  np.testing.assert_array_equal(source.batches(7, 1)["x"][0], batch["x"][2])
  # Pixels and labels stay paired: each image maps back to a training image with its label.
  idx = source.batch_indices(6)
  np.testing.assert_allclose(batch["x"][1], images[:30][idx] / 127.5 - 1.0, atol=1e-6)
  np.testing.assert_array_equal(batch["label"][1], labels[:30][idx])
  # One epoch visits each image at most once; another seed shuffles differently.
  epoch = np.concatenate([source.batch_indices(i) for i in range(7)])
  assert len(np.unique(epoch)) == 28
  other = cifar10.Cifar10Source(data_dir, batch_size=4, seed=4, cache_dir=tmp_path / "c")
  assert not np.array_equal(other.batch_indices(0), source.batch_indices(0))


def test_build_source_registry(tiny, tmp_path, monkeypatch):
  data_dir, _, _ = tiny
  monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
  config = ml_collections.ConfigDict(dict(name="cifar10", data_dir=str(data_dir), batch_size=2,
                                          keep_classes=(), drop_classes=()))
  with pytest.warns(UserWarning):
    source = data_lib.build_source(config, seed=0)
  assert source.batches(0, 1)["x"].shape == (1, 2, 32, 32, 3)
  # The cache goes to the per-user cache, never into the data folder (shared data stays intact).
  assert not (data_dir / "cifar10" / cifar10.CACHE_NAME).exists()
  assert list((tmp_path / "xdg" / "gen_models" / "data" / "cifar10").glob("*.npz"))


def test_missing_tarball_names_file_folder_and_url(tmp_path):
  with pytest.raises(cifar10.DataFileError) as err:
    cifar10.load_arrays(tmp_path)
  message = str(err.value)
  for part in (cifar10.TARBALL, str(tmp_path / "cifar10"), cifar10.URL, cifar10.MD5):
    assert part in message


def test_corrupt_and_incomplete_tarballs_are_named(tiny, tmp_path):
  data_dir, images, labels = tiny
  path = cifar10.tarball_path(data_dir)
  path.write_bytes(path.read_bytes()[:2000])  # truncated gzip stream
  with pytest.raises(cifar10.DataFileError, match="not a readable CIFAR-10"):
    cifar10.load_arrays(data_dir, use_cache=False)
  path.write_bytes(b"not a tarball")
  with pytest.raises(cifar10.DataFileError, match=str(path)):
    cifar10.load_arrays(data_dir, use_cache=False)
  _write_tarball(data_dir, images, labels, drop_member="test_batch")
  with pytest.raises(cifar10.DataFileError, match="lacks members cifar-10-batches-py/test_batch"):
    cifar10.load_arrays(data_dir, use_cache=False)


def test_download_rejects_a_wrong_checksum(tiny, tmp_path):
  source_dir, _, _ = tiny
  url = cifar10.tarball_path(source_dir).as_uri()  # urlretrieve reads file:// URLs offline
  with pytest.raises(cifar10.DataFileError, match="checksum mismatch"):
    cifar10.download(tmp_path / "dl", url=url)
  assert not cifar10.tarball_path(tmp_path / "dl").exists()
  good = cifar10.md5sum(cifar10.tarball_path(source_dir))
  assert cifar10.download(tmp_path / "dl", url=url, md5=good).is_file()


@pytest.mark.skipif(not REAL.is_file(), reason=f"needs the CIFAR-10 tarball at {REAL}")
def test_real_cifar10():
  with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the shared copy is re-packed: md5 differs by design
    arrays = cifar10.load_arrays(DATA, use_cache=False)
  train, test = arrays["train_images"], arrays["test_images"]
  assert train.shape == (50_000, 32, 32, 3) and train.dtype == np.uint8
  assert test.shape == (10_000, 32, 32, 3)
  assert np.array_equal(np.bincount(arrays["train_labels"], minlength=10), np.full(10, 5000))
  assert np.array_equal(np.unique(arrays["test_labels"]), np.arange(10))
  assert train.min() == 0 and train.max() == 255
  x = cifar10.to_unit_range(test[:100])
  assert x.min() >= -1.0 and x.max() <= 1.0 and x.min() < -0.9 and x.max() > 0.9


def test_class_filter_applies_to_training_only_and_eval_set_keeps_every_class(tiny, tmp_path):
  data_dir, images, labels = tiny
  held_out = int(labels[0])
  with pytest.warns(UserWarning):
    source = cifar10.Cifar10Source(data_dir, batch_size=2, seed=0, cache_dir=tmp_path / "c",
                                   drop_classes=(held_out,))
  assert held_out not in source.labels and len(source.labels) == np.sum(labels[:30] != held_out)
  seen = np.concatenate([source.batches(i, 1)["label"].ravel() for i in range(10)])
  assert held_out not in seen
  x, test_labels = source.eval_set("test")
  np.testing.assert_array_equal(test_labels, labels[30:])
  np.testing.assert_allclose(x, images[30:] / 127.5 - 1.0, atol=1e-6)
  train_x, train_labels = source.eval_set("train")  # the filtered set the source samples from
  np.testing.assert_array_equal(train_labels, source.labels)
  np.testing.assert_allclose(train_x, source.images / 127.5 - 1.0, atol=1e-6)
  x3, labels3 = source.eval_set("test", 3)
  assert x3.shape == (3, 32, 32, 3) and labels3.tolist() == labels[30:33].tolist()
  kept = cifar10.Cifar10Source(data_dir, batch_size=2, seed=0, cache_dir=tmp_path / "c",
                               keep_classes=(held_out,))
  assert set(kept.labels.tolist()) == {held_out}
  with pytest.raises(ValueError, match="outside 0..9"):
    cifar10.Cifar10Source(data_dir, batch_size=2, seed=0, cache_dir=tmp_path / "c",
                          drop_classes=(10,))
