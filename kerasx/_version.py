"""kerasx's version: the one place it is written (`pyproject.toml` reads it as its dynamic version)."""

__version__ = "0.1.0"
