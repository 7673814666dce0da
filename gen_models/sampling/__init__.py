"""Samplers: naive and cached autoregressive sampling of binary images."""
