"""K-nearest-neighbour classification error in a latent space (Figure 2.5's comparison)."""

import numpy as np


def knn_predict(train_z, train_labels, test_z, k: int = 5, chunk: int = 1024) -> np.ndarray:
  """Majority label of the k nearest (Euclidean) training points; ties go to the smallest label.

  train_z: [N, D]; train_labels: [N] int >= 0; test_z: [M, D]. -> [M] int. Test points are
  processed in chunks so memory stays at chunk x N distances.
  """
  train_z, test_z = np.asarray(train_z, np.float64), np.asarray(test_z, np.float64)
  train_labels = np.asarray(train_labels)
  if not 1 <= k <= len(train_z):
    raise ValueError(f"k must be in [1, {len(train_z)}], got {k}")
  num_classes = int(train_labels.max()) + 1
  predictions = []
  for start in range(0, len(test_z), chunk):
    part = test_z[start:start + chunk]
    d2 = (np.sum(part ** 2, 1)[:, None] - 2 * part @ train_z.T + np.sum(train_z ** 2, 1)[None])
    nearest = np.argpartition(d2, k - 1, axis=1)[:, :k]
    votes = np.zeros((len(part), num_classes), np.int64)
    np.add.at(votes, (np.arange(len(part))[:, None], train_labels[nearest]), 1)
    predictions.append(np.argmax(votes, axis=1))
  return np.concatenate(predictions)


def knn_error(train_z, train_labels, test_z, test_labels, k: int = 5) -> float:
  """Fraction of test points whose k-NN label differs from their label."""
  return float(np.mean(knn_predict(train_z, train_labels, test_z, k) != np.asarray(test_labels)))
