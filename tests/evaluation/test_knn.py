"""K-NN error against scikit-learn's KNeighborsClassifier."""

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from gen_models.evaluation import knn


@pytest.mark.parametrize("seed,k", [(0, 1), (1, 5), (2, 7)])
def test_knn_matches_sklearn(seed, k):
  rng = np.random.default_rng(seed)
  centers = rng.normal(size=(4, 2)) * 2
  train_y, test_y = rng.integers(0, 4, 500), rng.integers(0, 4, 300)
  train_z = centers[train_y] + rng.normal(size=(500, 2))
  test_z = centers[test_y] + rng.normal(size=(300, 2))
  ours = knn.knn_predict(train_z, train_y, test_z, k, chunk=64)
  ref = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(train_z, train_y)
  np.testing.assert_array_equal(ours, ref.predict(test_z))
  assert knn.knn_error(train_z, train_y, test_z, test_y, k) == pytest.approx(
      np.mean(ref.predict(test_z) != test_y))


def test_separable_clusters_have_zero_error_and_bad_k_is_refused():
  z = np.array([[0.0, 0], [0.1, 0], [10, 10], [10.1, 10]])
  y = np.array([0, 0, 1, 1])
  assert knn.knn_error(z, y, z + 0.01, y, k=1) == 0.0
  with pytest.raises(ValueError, match="k must be"):
    knn.knn_predict(z, y, z, k=5)
