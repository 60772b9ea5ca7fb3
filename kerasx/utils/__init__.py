"""Utilities: `set_random_seed` for reproducible training on every engine, and `PyDataset` for batch-indexed data."""

from kerasx.random import set_random_seed
from kerasx.trainers.data import PyDataset

__all__ = ["PyDataset", "set_random_seed"]
