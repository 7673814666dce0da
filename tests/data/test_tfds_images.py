"""The generic TFDS image source on TFDS's mock data (no files, no network), and its one-line
error offline. Skipped where tensorflow-datasets (and TensorFlow, which reading needs) is not
installed: `pip install -e .[tfds]`."""

import numpy as np
import pytest

from gen_models.data import tfds_images

tfds = pytest.importorskip(
    "tensorflow_datasets", reason="tensorflow-datasets not installed (pip install -e .[tfds]; "
    "reading also needs TensorFlow)")
pytest.importorskip("tensorflow", reason="TFDS datasets are read through TensorFlow")


@pytest.mark.parametrize("name", ["downsampled_imagenet/64x64", "lsun/bedroom"])
def test_mock_tfds_images_at_64(name, tmp_path):
  with tfds.testing.mock_data(num_examples=6):
    source = tfds_images.TfdsImageSource(name, "train", str(tmp_path), 64, batch_size=4, seed=0)
    batch = source.batches(0, 2)["x"]
    assert batch.shape == (2, 4, 64, 64, 3) and batch.min() >= -1 and batch.max() <= 1
    x, labels = source.eval_set("validation", 3)
    assert x.shape == (3, 64, 64, 3) and labels is None
    np.testing.assert_array_equal(source.batches(1, 1)["x"], source.batches(1, 1)["x"])


def test_offline_missing_data_set_is_one_line(tmp_path):
  with pytest.raises(tfds_images.TfdsDataError) as error:
    tfds_images.TfdsImageSource("downsampled_imagenet/64x64", "train", str(tmp_path), 64, 4, 0)
  message = str(error.value)
  assert "\n" not in message and str(tmp_path / "tensorflow_datasets") in message
  assert "tfds build downsampled_imagenet/64x64" in message
