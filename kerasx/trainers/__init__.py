"""Training: `Trainer` (compile/fit/evaluate/predict) and the data adapters."""

from kerasx.trainers._trainer import Trainer
from kerasx.trainers.data import PyDataset

__all__ = ["PyDataset", "Trainer"]
