"""Plots for the 2-D toy experiments: samples, critic value surfaces, gradient norms, weights."""

import pathlib

import matplotlib.pyplot as plt
import numpy as np

import gen_models.plotting  # noqa: F401  (selects the Agg backend)


def save(fig, path) -> pathlib.Path:
  path = pathlib.Path(path)
  path.parent.mkdir(parents=True, exist_ok=True)
  fig.tight_layout()  # keeps neighbouring panels' axis labels from overlapping
  fig.savefig(path, dpi=110, bbox_inches="tight")
  plt.close(fig)
  return path


def value_surface(ax, grid_x, grid_y, values, data=None, fake=None, title=""):
  """Contours of critic values [Ny, Nx] on the grid, with data (orange) and fake (green)."""
  ax.contourf(grid_x, grid_y, values, levels=30, cmap="viridis")
  ax.contour(grid_x, grid_y, values, levels=12, colors="k", linewidths=0.3)
  if data is not None:
    ax.scatter(data[:, 0], data[:, 1], s=2, c="orange", alpha=0.6, label="data")
  if fake is not None:
    ax.scatter(fake[:, 0], fake[:, 1], s=2, c="lime", alpha=0.6, label="samples")
  ax.set_title(title, fontsize=9)
  ax.set_xticks([])
  ax.set_yticks([])
  ax.set_aspect("equal")


def layer_gradient_norms(ax, norms_by_setting: dict):
  """norms_by_setting: label -> per-layer norms (first hidden layer first); log-scale y."""
  for label, norms in norms_by_setting.items():
    ax.plot(np.arange(1, len(norms) + 1), norms, marker="o", label=label)
  ax.set_yscale("log")
  ax.set_xlabel("critic layer")
  ax.set_ylabel("gradient norm (log scale)")
  ax.legend(fontsize=8)


def weight_histograms(ax, histograms: dict):
  """histograms: label -> (counts, edges); drawn as normalized step histograms."""
  for label, (counts, edges) in histograms.items():
    counts = np.asarray(counts, float)
    ax.stairs(counts / counts.sum(), edges, label=label)
  ax.set_xlabel("weight value")
  ax.set_ylabel("fraction of weights")
  ax.legend(fontsize=8)
