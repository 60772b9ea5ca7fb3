"""Utilities: `set_random_seed` for reproducible training on every engine, `PyDataset` for batch-indexed data, and
`unpack_x_y_sample_weight` for custom steps."""

from kerasx.random import set_random_seed
from kerasx.trainers.data import PyDataset, unpack_x_y_sample_weight

__all__ = ["PyDataset", "set_random_seed", "unpack_x_y_sample_weight"]
