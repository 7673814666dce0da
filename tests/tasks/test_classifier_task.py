"""The CIFAR-10 classifier task: augmentation is a flip/crop of each image, the jitted step
lowers the loss and compiles once, the classifier_accuracy evaluator's accuracy/loss match a
NumPy/SciPy reference."""

import io
import pickle
import tarfile

import jax
import numpy as np
import pytest
from scipy import special

from gen_models import data as data_lib, tasks
from gen_models.data import augment, cifar10
from gen_models.evaluation import classifier_accuracy, offline_score
from gen_models.presets import classifier as preset
from gen_models.runs import classifier_export, single as runner


def tiny_classifier_config(data_dir="", num_steps=3):
  config = preset.cifar10_classifier_config()
  config.data.update(data_dir=str(data_dir), batch_size=8, flip=False, crop_padding=0)
  config.model.widths = [4, 8, 8, 8]
  config.optimizer.learning_rate = 1e-2
  config.optimizer.linear_decay = False
  config.train.update(num_steps=num_steps, log_every=1, eval_every=0, checkpoint_every=2,
                      progress_bar=False)
  config.eval.update(num_test_examples=10, batch_size=4)
  return config


def write_tiny_cifar10(folder, per_member=4, seed=0):
  """A tarball in the official layout: 5 train members + test_batch of `per_member` images."""
  rng = np.random.default_rng(seed)
  path = cifar10.tarball_path(folder)
  path.parent.mkdir(parents=True, exist_ok=True)
  members = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
  with tarfile.open(path, "w:gz") as tar:
    for member in members:
      images = rng.integers(0, 256, (per_member, 32, 32, 3), dtype=np.uint8)
      rows = images.transpose(0, 3, 1, 2).reshape(per_member, -1)  # R, G, B planes
      raw = pickle.dumps({b"data": rows, b"labels": rng.integers(0, 10, per_member).tolist()},
                         protocol=2)
      info = tarfile.TarInfo(f"cifar-10-batches-py/{member}")
      info.size = len(raw)
      tar.addfile(info, io.BytesIO(raw))
  return path


class FixedBatchSource:
  """Every batch is the same fixed batch: the step must fit it."""

  def __init__(self, batch_size=8, seed=0):
    rng = np.random.default_rng(seed)
    self.x = rng.uniform(-1, 1, (1, batch_size, 32, 32, 3)).astype(np.float32)
    self.label = rng.integers(0, 10, (1, batch_size)).astype(np.int32)
    self.data_shape = cifar10.IMAGE_SHAPE

  def batches(self, first_index, count):
    assert count == 1
    return {"x": self.x, "label": self.label}


def test_flip_and_crop_returns_a_flipped_crop_of_each_padded_image():
  images = np.arange(2 * 4 * 4 * 1, dtype=np.float32).reshape(2, 4, 4, 1)
  images = np.repeat(images, 16, axis=0) + 100 * np.arange(32)[:, None, None, None]
  out = np.asarray(augment.random_flip_and_crop(jax.random.key(3), images, padding=1))
  assert out.shape == images.shape
  seen = set()
  for image, result in zip(images, out):
    matches = {(flip, dy, dx) for flip in (0, 1) for dy in range(3) for dx in range(3)
               if np.array_equal(result, np.pad(image[:, ::-1] if flip else image,
                                                ((1, 1), (1, 1), (0, 0)),
                                                mode="reflect")[dy:dy + 4, dx:dx + 4])}
    assert matches, "output is not a (flipped) crop of the padded image"
    seen |= matches
  assert {m[0] for m in seen} == {0, 1}  # both flipped and unflipped images occur
  assert len({m[1:] for m in seen}) > 3  # several offsets occur
  same = augment.random_flip_and_crop(jax.random.key(3), images, padding=0, flip=False)
  np.testing.assert_array_equal(same, images)


def test_train_step_fits_a_fixed_batch_and_compiles_once():
  config = tiny_classifier_config()
  source = FixedBatchSource(config.data.batch_size)
  task = tasks.build_task(config, source)
  traces = [0]

  def counted(state, batch, rng):
    traces[0] += 1
    return task.train_step(state, batch, rng)

  step = jax.jit(counted)
  state = task.init(jax.random.key(0), source.batches(0, 1))
  losses = []
  for i in range(25):
    state, metrics = step(state, source.batches(i, 1), jax.random.key(i))
    losses.append(float(metrics["loss"]))
  assert traces[0] == 1
  assert losses[-1] < 0.5 * losses[0], losses
  assert float(metrics["accuracy"]) == 1.0
  stats = jax.tree_util.tree_leaves(state["batch_stats"])
  assert any(float(np.abs(s).sum()) > 0 for s in stats)


@pytest.mark.filterwarnings("ignore:.*not the official")
def test_accuracy_evaluator_matches_a_scipy_reference(tmp_path):
  write_tiny_cifar10(tmp_path / "data", per_member=12)
  config = tiny_classifier_config(tmp_path / "data")
  source = data_lib.build_source(config.data, config.train.seed)
  task = tasks.build_task(config, source)
  state = task.init(jax.random.key(1), source.batches(0, 1))
  evaluator = classifier_accuracy.ClassifierAccuracy(config, task, source)
  results = evaluator.evaluate(state, jax.random.key(0), tmp_path)
  test = cifar10.load(tmp_path / "data", "test")
  images, labels = cifar10.to_unit_range(test.images[:10]), test.labels[:10]
  logits = np.asarray(task.model.apply(task.variables(state), images, train=False)["logits"],
                      np.float64)
  log_probs = logits - special.logsumexp(logits, axis=1, keepdims=True)
  assert results["num_test_examples"] == 10
  assert results["test_accuracy"] == pytest.approx(np.mean(logits.argmax(1) == labels))
  assert results["test_loss"] == pytest.approx(-np.mean(log_probs[np.arange(10), labels]),
                                               rel=1e-5)


@pytest.mark.filterwarnings("ignore:.*not the official")
def test_accuracy_evaluator_refuses_more_test_images_than_there_are(tmp_path):
  write_tiny_cifar10(tmp_path / "data", per_member=12)
  config = tiny_classifier_config(tmp_path / "data")
  config.eval.num_test_examples = 13
  source = data_lib.build_source(config.data, config.train.seed)
  with pytest.raises(ValueError, match="num_test_examples=13 exceeds the 12 test images"):
    classifier_accuracy.ClassifierAccuracy(config, tasks.build_task(config, source), source)


def test_unknown_objective_is_refused():
  config = tiny_classifier_config()
  config.objective.name = "hinge"
  with pytest.raises(ValueError, match="objective.name 'hinge'"):
    tasks.build_task(config, FixedBatchSource())


@pytest.mark.filterwarnings("ignore:.*not the official")
def test_run_export_and_load_reproduce_the_test_accuracy(tmp_path):
  write_tiny_cifar10(tmp_path / "data", per_member=12)
  config = tiny_classifier_config(tmp_path / "data", num_steps=2)
  results = runner.run(config, tmp_path / "run")
  assert results["train_step_compilations"] == 1
  path = classifier_export.export_classifier(tmp_path / "run", tmp_path / "out" / "c.npz")
  classifier = offline_score.load_classifier(path)
  assert classifier.metadata["test_accuracy"] == results["test_accuracy"]
  assert classifier.metadata["step"] == 2
  test = cifar10.load(tmp_path / "data", "test")
  logits = classifier.logits(cifar10.to_unit_range(test.images[:10]))
  assert np.mean(logits.argmax(1) == test.labels[:10]) == pytest.approx(results["test_accuracy"])
