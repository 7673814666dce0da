"""gen_models: JAX/Flax reimplementation of 'Generative Models for Natural Images' (Ahmed, 2017)."""

__version__ = "0.1.0"
