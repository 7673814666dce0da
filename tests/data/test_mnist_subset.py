"""MNIST training subsets (section 3.5.5): exactly N distinct training images, a function of
subset_seed alone, disjoint from the validation digits, and what eval_set('train') returns."""

import os
import pathlib

import numpy as np
import pytest

from gen_models.data import mnist

DATA = pathlib.Path(os.environ.get("GEN_MODELS_DATA_DIR", "../shared/data"))
pytestmark = pytest.mark.skipif(bool(mnist.missing_files("mnist", DATA)),
                                reason=f"needs MNIST in {DATA / 'mnist'}")


def _source(seed=0, subset_seed=0, size=100, **kw):
  return mnist.MNISTSource("mnist", DATA, batch_size=10, seed=seed, binarize=False,
                           train_subset=size, subset_seed=subset_seed, **kw)


def test_subset_is_n_distinct_seeded_training_images():
  a, b = _source(seed=0), _source(seed=1)  # the run seed does not move the subset
  c = _source(subset_seed=1)
  assert len(a.subset_rows) == 100 and len(np.unique(a.subset_rows)) == 100
  np.testing.assert_array_equal(a.subset_rows, b.subset_rows)
  assert len(np.intersect1d(a.subset_rows, c.subset_rows)) < 10  # another draw of 100 / 50k
  full = mnist.load("mnist", DATA, "train")
  np.testing.assert_array_equal(a.train.images, full.images[a.subset_rows])
  np.testing.assert_array_equal(a.train.labels, full.labels[a.subset_rows])
  # Batches only ever show subset images: 30 batches of 10 = three epochs of the 100.
  seen = np.concatenate([a.indices(i) for i in range(30)])
  assert np.array_equal(np.bincount(seen, minlength=100), np.full(100, 3))
  x, labels = a.eval_set("train")
  np.testing.assert_allclose(x, a.train.images / 255.0, atol=1e-7)
  np.testing.assert_array_equal(labels, a.train.labels)


def test_subset_is_disjoint_from_the_validation_digits_and_respects_class_filters():
  source = _source(size=50, keep_classes=(3,))
  assert set(source.train.labels) == {3}
  raw = mnist.read_idx(DATA / "mnist" / mnist.FILES["train_images"])
  validation_rows = np.arange(len(raw) - mnist.NUM_VALIDATION, len(raw))
  train_rows = np.flatnonzero(mnist.read_idx(
      DATA / "mnist" / mnist.FILES["train_labels"])[:-mnist.NUM_VALIDATION] == 3)[
          source.subset_rows]  # rows in the raw file
  assert not np.intersect1d(train_rows, validation_rows).size
  np.testing.assert_array_equal(raw[train_rows][..., None], source.train.images)


def test_bad_subset_size_is_a_one_line_error():
  with pytest.raises(ValueError, match=r"data.train_subset must be in 1\.\.50000"):
    _source(size=60_000)
