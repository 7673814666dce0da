"""An image folder as GAN data: centre crop and resize, sorted order, stateless batches, a cache
that a changed folder invalidates, clear errors, and the zoo's `:image_folder` variant wired to
64x64 models (traced shapes only)."""

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import pytest
from PIL import Image

from conftest import experiment_config
from gen_models import data, models, tasks
from gen_models.data import image_folder
from gen_models.evaluation import classifier_scores
from gen_models.protocols import zoo


def _save(path, array):
  path.parent.mkdir(parents=True, exist_ok=True)
  Image.fromarray(np.asarray(array, np.uint8)).save(path)


def _folder(root, count=6, size=8):
  rng = np.random.default_rng(0)
  images = rng.integers(0, 256, (count, size, size, 3))
  for i, img in enumerate(images):  # sub-folders and two formats; sorted path order = i
    _save(root / f"part{i // 3}" / f"img{i}.{'png' if i % 2 else 'bmp'}", img)
  (root / "notes.txt").write_text("not an image")
  return images


def test_images_are_read_in_sorted_order_at_their_own_size(tmp_path):
  images = _folder(tmp_path / "imgs")
  loaded = image_folder.load_folder(tmp_path / "imgs", 8, cache_dir=False)
  np.testing.assert_array_equal(loaded, images)  # lossless formats, no resize at 8x8
  np.testing.assert_array_equal(image_folder.load_folder(tmp_path / "imgs", 8, max_images=2,
                                                         cache_dir=False), images[:2])


def test_a_wide_image_is_centre_cropped_then_resized(tmp_path):
  wide = np.zeros((4, 8, 3), np.uint8)
  wide[:, 2:6] = 200  # the centre 4x4 square
  _save(tmp_path / "wide" / "a.png", wide)
  np.testing.assert_array_equal(image_folder.load_image(tmp_path / "wide" / "a.png", 4),
                                np.full((4, 4, 3), 200, np.uint8))
  small = image_folder.load_image(tmp_path / "wide" / "a.png", 2)
  assert small.shape == (2, 2, 3) and np.all(small == 200)


def test_batches_are_a_pure_function_of_seed_and_index(tmp_path):
  _folder(tmp_path / "imgs", count=10)
  config = dict(name="image_folder", path=str(tmp_path / "imgs"), image_size=8, batch_size=4,
                max_images=0)
  source = data.build_source(ml_collections.ConfigDict(config), seed=3)
  again = data.build_source(ml_collections.ConfigDict(config), seed=3)
  batch = source.batches(5, 2)
  assert set(batch) == {"x"} and batch["x"].shape == (2, 4, 8, 8, 3)
  assert batch["x"].min() >= -1.0 and batch["x"].max() <= 1.0
  np.testing.assert_array_equal(batch["x"], again.batches(5, 2)["x"])
  epoch = np.concatenate([source.batch_indices(i) for i in range(2)])
  assert len(set(epoch.tolist())) == 8  # 10 // 4 = 2 batches per epoch, no repeats within it
  x, labels = source.eval_set("train", 3)
  assert x.shape == (3, 8, 8, 3) and labels is None
  with pytest.raises(ValueError, match="only the 'train' split"):
    source.eval_set("test")
  assert source.num_classes == 0 and data.value_range(ml_collections.ConfigDict(config)) == (-1, 1)


def test_cache_is_reused_and_invalidated_by_a_changed_folder(tmp_path, monkeypatch):
  images = _folder(tmp_path / "imgs")
  cache = tmp_path / "cache"
  image_folder.load_folder(tmp_path / "imgs", 8, cache_dir=cache)
  assert len(list(cache.glob("*.npy"))) == 1

  def no_decoding(*args):
    raise AssertionError("decoded although the cache is valid")

  monkeypatch.setattr(image_folder, "load_image", no_decoding)
  np.testing.assert_array_equal(image_folder.load_folder(tmp_path / "imgs", 8, cache_dir=cache),
                                images)
  _save(tmp_path / "imgs" / "zz.png", images[0])  # a new file: the cache no longer applies
  with pytest.raises(AssertionError, match="decoded although"):
    image_folder.load_folder(tmp_path / "imgs", 8, cache_dir=cache)


def test_missing_empty_and_corrupt_folders_are_named(tmp_path):
  with pytest.raises(image_folder.ImageFolderError, match="data.path is empty"):
    image_folder.load_folder("", 8, cache_dir=False)
  with pytest.raises(image_folder.ImageFolderError, match="nowhere.*does not exist"):
    image_folder.load_folder(tmp_path / "nowhere", 8, cache_dir=False)
  (tmp_path / "empty").mkdir()
  with pytest.raises(image_folder.ImageFolderError, match="holds no image files"):
    image_folder.load_folder(tmp_path / "empty", 8, cache_dir=False)
  _folder(tmp_path / "bad", count=2)
  (tmp_path / "bad" / "part0" / "broken.jpg").write_bytes(b"not a jpeg")
  with pytest.raises(image_folder.ImageFolderError, match="broken.jpg"):
    image_folder.load_folder(tmp_path / "bad", 8, cache_dir=False)


def test_zoo_image_folder_variant_builds_64x64_cells_and_refuses_cifar_scores(tmp_path):
  _folder(tmp_path / "imgs", count=4, size=70)
  config = experiment_config("gan_architecture_zoo", "image_folder")
  config.data.path = str(tmp_path / "imgs")
  config.data.batch_size = 2
  config.protocol.update(width=2, depth=10, mlp_width=8, latent_dim=4)
  assert "classifier_scores" not in config.eval.evaluators
  cells = dict(zoo.ArchitectureZoo.subruns(config))
  source = data.build_source(cells["wgan_gp_dcgan"].data, seed=0)
  assert source.data_shape == (64, 64, 3)
  z = jax.ShapeDtypeStruct((2, 4), jnp.float32)
  for name in ("wgan_gp_dcgan", "dcgan_mlp_generator", "lsgan_resnet_deep"):
    gen = models.build_generator(cells[name].model.generator, data_dim=3)
    images = jax.eval_shape(lambda z: gen.init_with_output(jax.random.key(0), z)[0], z)
    assert images.shape == (2, 64, 64, 3), name
  scored = cells["wgan_gp_dcgan"]
  task = tasks.build_task(scored, source)
  with pytest.raises(ValueError, match="for 32x32x3 CIFAR-10 images.*image_folder"):
    classifier_scores.ClassifierScores(scored, task, source)
