"""The builders' results in the engine's own dataset type: a `tf.data.Dataset` on TensorFlow (as Keras 3 returns),
the engine-free PyDataset itself on JAX, PyTorch and NumPy (Keras 3 needs TensorFlow there; kerasx does not)."""

from __future__ import annotations

from kerasx.backend import active


def native_dataset(dataset):
    return active.trainer.native_dataset(dataset)
