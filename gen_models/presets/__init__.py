"""Reusable config builders shared by experiment files and protocols (configs stay data)."""
