"""Distributed training on the engines' own runtimes: meshes, layouts, data and model parallelism.

Adding `kerasx.distribution.set_distribution(kerasx.distribution.DataParallel())` before `fit` trains on every
device: JAX through `jax.sharding`, TensorFlow through `tf.distribute`, torch through `torch.distributed`.
"""

from kerasx import _missing
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
from kerasx.distribution._tensors import distribute_tensor, get_device_count

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "Distribution",
    "LayoutMap",
    "ModelParallel",
    "TensorLayout",
    "distribute_tensor",
    "distribution",
    "get_device_count",
    "initialize",
    "list_devices",
    "num_processes",
    "process_id",
    "set_distribution",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
