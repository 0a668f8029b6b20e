"""Fallback version for frozen builds; build/build.py rewrites it from pyproject.toml."""

VERSION = "0.1.0"
