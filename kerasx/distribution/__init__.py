"""Distributed training on the engines' own runtimes: meshes, layouts, data and model parallelism.

Adding `kerasx.distribution.set_distribution(kerasx.distribution.DataParallel())` before `fit` trains on every
device: JAX through `jax.sharding`, TensorFlow through `tf.distribute`, torch through `torch.distributed`.
"""

from kerasx.distribution._distribution import (
    DataParallel,
    Distribution,
    ModelParallel,
    distribution,
    initialize,
    list_devices,
    num_processes,
    process_id,
    set_distribution,
)
from kerasx.distribution._mesh import DeviceMesh, LayoutMap, TensorLayout

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "Distribution",
    "LayoutMap",
    "ModelParallel",
    "TensorLayout",
    "distribution",
    "initialize",
    "list_devices",
    "num_processes",
    "process_id",
    "set_distribution",
]
