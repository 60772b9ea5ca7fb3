"""TensorFlow backend: data parallel through `tf.distribute` (MirroredStrategy on one host,
MultiWorkerMirroredStrategy across hosts once `initialize` has set up the cluster).

Variables stay replicated (MirroredVariables); TensorFlow has no sharded-variable path that trains a kerasx model,
so sharded layouts are refused with a pointer to JAX.
"""

from __future__ import annotations

import json
import os

import tensorflow as tf

NO_MODEL_PARALLEL = (
    "ModelParallel (sharded variables) is not supported on the TensorFlow backend: layout axes={axes} on a mesh of "
    "shape {shape}, axis_names={names}. Use DataParallel on TensorFlow, or ModelParallel with KERAS_BACKEND=jax."
)

_STRATEGIES: dict = {}


def _name(device) -> str:
    kind, _, index = device.name.rpartition("/device:")[2].partition(":")
    return f"{kind.lower()}:{index}"


def list_devices(device_type=None):
    kind = device_type.upper() if device_type else ("GPU" if tf.config.list_logical_devices("GPU") else "CPU")
    return [_name(d) for d in tf.config.list_logical_devices(kind)]


def strategy_for(devices):
    """The (cached) strategy over mesh device strings: one per set of devices, as tf.distribute expects."""
    key = tuple(devices)
    if key not in _STRATEGIES:
        if "TF_CONFIG" in os.environ:
            _STRATEGIES[key] = tf.distribute.MultiWorkerMirroredStrategy()
        else:
            _STRATEGIES[key] = tf.distribute.MirroredStrategy([f"/{d.upper()}" for d in key])
    return _STRATEGIES[key]


def distribute_variable(value, layout):
    mesh = layout.device_mesh
    sharded = [a for a in layout.axes if a is not None and mesh.shape[list(mesh.axis_names).index(a)] > 1]
    if sharded:
        raise ValueError(NO_MODEL_PARALLEL.format(axes=layout.axes, shape=mesh.shape, names=mesh.axis_names))
    # Replication happens when the step is built: the trainer recreates the variables under the strategy.
    return value


def distribute_data(value, layout):
    return value


def initialize(job_addresses=None, num_processes=None, process_id=None):
    if isinstance(job_addresses, str):
        job_addresses = job_addresses.split(",")
    if not job_addresses:
        return  # TF_CONFIG set by the launcher describes the cluster
    os.environ["TF_CONFIG"] = json.dumps(
        {"cluster": {"worker": list(job_addresses)}, "task": {"type": "worker", "index": int(process_id or 0)}}
    )


def num_processes():
    config = json.loads(os.environ.get("TF_CONFIG", "{}"))
    return len(config.get("cluster", {}).get("worker", [])) or 1


def process_id():
    config = json.loads(os.environ.get("TF_CONFIG", "{}"))
    return int(config.get("task", {}).get("index", 0))
