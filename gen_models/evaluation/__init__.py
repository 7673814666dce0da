"""Evaluation metrics, computed from samples and model outputs (never from training state)."""
