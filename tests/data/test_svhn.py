"""SVHN .mat reading on generated files in the official layout; clear errors; TFDS fallback."""

import sys
import types

import numpy as np
import pytest
import scipy.io

from gen_models.data import svhn
from gen_models.data.mnist import DataFileError


def _write_mat(path, num=7, seed=0, labels=None):
  rng = np.random.default_rng(seed)
  x = rng.integers(0, 256, size=(32, 32, 3, num), dtype=np.uint8)
  y = (rng.integers(1, 11, size=(num, 1)) if labels is None else np.asarray(labels)[:, None])
  y[0, 0] = 10  # the official files label the digit 0 as 10
  path.parent.mkdir(parents=True, exist_ok=True)
  scipy.io.savemat(path, {"X": x, "y": y.astype(np.uint8)})
  return x, y


def test_official_layout_round_trip(tmp_path):
  x, y = _write_mat(tmp_path / "svhn" / "test_32x32.mat")
  split = svhn.load(tmp_path, "test", use_tfds=False)
  assert split.images.shape == (7, 32, 32, 3) and split.images.dtype == np.uint8
  for n in range(7):
    np.testing.assert_array_equal(split.images[n], x[:, :, :, n])
  assert split.labels[0] == 0
  np.testing.assert_array_equal(split.labels, np.where(y[:, 0] == 10, 0, y[:, 0]))
  assert split.labels.min() >= 0 and split.labels.max() <= 9


def test_missing_file_names_files_folder_and_source(tmp_path, monkeypatch):
  monkeypatch.setattr(svhn, "tfds_available", lambda: False)
  with pytest.raises(DataFileError) as err:
    svhn.load(tmp_path, "train")
  message = str(err.value)
  for needle in ("train_32x32.mat", "test_32x32.mat", str(tmp_path / "svhn"),
                 "ufldl.stanford.edu/housenumbers", "svhn_cropped"):
    assert needle in message
  with pytest.raises(ValueError, match="unknown SVHN split 'valid'"):
    svhn.load(tmp_path, "valid")


def test_corrupt_files_are_named(tmp_path):
  (tmp_path / "junk.mat").write_bytes(b"this is not a MATLAB file at all" * 8)
  with pytest.raises(DataFileError, match="junk.mat"):
    svhn.read_mat(tmp_path / "junk.mat")
  _write_mat(tmp_path / "full.mat")
  raw = (tmp_path / "full.mat").read_bytes()
  (tmp_path / "cut.mat").write_bytes(raw[: len(raw) // 2])
  with pytest.raises(DataFileError, match="cut.mat"):
    svhn.read_mat(tmp_path / "cut.mat")
  scipy.io.savemat(tmp_path / "other.mat", {"images": np.zeros((2, 2), np.uint8)})
  with pytest.raises(DataFileError, match="lacks the SVHN variables"):
    svhn.read_mat(tmp_path / "other.mat")
  _write_mat(tmp_path / "bad_labels.mat", num=3, labels=[10, 11, 3])
  with pytest.raises(DataFileError, match="1..10"):
    svhn.read_mat(tmp_path / "bad_labels.mat")
  scipy.io.savemat(tmp_path / "mismatch.mat", {"X": np.zeros((32, 32, 3, 4), np.uint8),
                                               "y": np.ones((3, 1), np.uint8)})
  with pytest.raises(DataFileError, match="4 images but 3 labels"):
    svhn.read_mat(tmp_path / "mismatch.mat")


def test_tfds_fallback_only_when_importable(tmp_path, monkeypatch):
  calls = []

  def fake_load(name, split, batch_size, data_dir):
    calls.append((name, split, batch_size))
    return {"image": np.zeros((2, 32, 32, 3), np.uint8), "label": np.array([0, 9])}

  fake = types.SimpleNamespace(load=fake_load, as_numpy=lambda tree: tree)
  monkeypatch.setitem(sys.modules, "tensorflow_datasets", fake)
  monkeypatch.setattr(svhn, "tfds_available", lambda: True)
  split = svhn.load(tmp_path, "extra")
  assert calls == [("svhn_cropped", "extra", -1)]
  assert split.images.shape == (2, 32, 32, 3) and list(split.labels) == [0, 9]
  with pytest.raises(DataFileError):
    svhn.load(tmp_path, "extra", use_tfds=False)
  _write_mat(tmp_path / "svhn" / "extra_32x32.mat", num=3)
  assert svhn.load(tmp_path, "extra").images.shape[0] == 3
  assert len(calls) == 1  # local files win over TFDS
