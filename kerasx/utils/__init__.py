"""Utilities: `set_random_seed` for reproducible training on every engine, `PyDataset` for batch-indexed data, and
`unpack_x_y_sample_weight` / `pack_x_y_sample_weight` for custom steps."""

from kerasx.backend import clear_session
from kerasx.random import set_random_seed
from kerasx.trainers.data import PyDataset, pack_x_y_sample_weight, unpack_x_y_sample_weight

__all__ = ["PyDataset", "clear_session", "pack_x_y_sample_weight", "set_random_seed", "unpack_x_y_sample_weight"]
