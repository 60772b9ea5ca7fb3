"""JAX backend: meshes and `NamedSharding`s from `jax.sharding`; several processes through `jax.distributed`."""

from __future__ import annotations

import random

import jax
import numpy as np
from jax.experimental import multihost_utils
from jax.sharding import Mesh, NamedSharding, PartitionSpec

UNKNOWN_DEVICE = (
    "Device {device!r} of the mesh is not a JAX device of this run. Received: devices={devices}. "
    "Use names from `kerasx.distribution.list_devices()`: {known}."
)


def _name(device) -> str:
    return f"{device.platform}:{device.id}"


def list_devices(device_type=None):
    devices = jax.devices(device_type.lower()) if device_type else jax.devices()
    return [_name(d) for d in devices]


def _mesh(device_mesh) -> Mesh:
    known = {_name(d): d for d in jax.devices()}
    devices = list(device_mesh.devices)
    for device in devices:
        if device not in known:
            raise ValueError(UNKNOWN_DEVICE.format(device=device, devices=devices, known=sorted(known)))
    grid = np.array([known[d] for d in devices], dtype=object).reshape(device_mesh.shape)
    return Mesh(grid, tuple(device_mesh.axis_names))


def sharding_of(layout) -> NamedSharding:
    return NamedSharding(_mesh(layout.device_mesh), PartitionSpec(*layout.axes))


def distribute_variable(value, layout):
    return jax.device_put(value, sharding_of(layout))


def distribute_data(value, layout):
    sharding = sharding_of(layout)
    if jax.process_count() > 1:
        # Every process holds the same global batch (same order: `initialize` synchronizes the shuffling seed);
        # each one supplies the shards of its own devices.
        array = np.asarray(value)
        return jax.make_array_from_callback(array.shape, sharding, lambda index: array[index])
    return jax.device_put(value, sharding)


def initialize(job_addresses=None, num_processes=None, process_id=None):
    if isinstance(job_addresses, str):
        job_addresses = job_addresses.split(",")
    coordinator = job_addresses[0] if job_addresses else None
    jax.distributed.initialize(coordinator_address=coordinator, num_processes=num_processes, process_id=process_id)
    # Shuffling draws from Python's `random`: every process must batch the data in the same order.
    random.seed(int(multihost_utils.broadcast_one_to_all(np.int64(random.randint(1, 2**31 - 1)))))


def num_processes():
    return jax.process_count()


def process_id():
    return jax.process_index()
