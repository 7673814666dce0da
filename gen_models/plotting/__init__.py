"""Figures from numbers computed elsewhere. Uses matplotlib's non-interactive Agg backend."""

import matplotlib

matplotlib.use("Agg")
