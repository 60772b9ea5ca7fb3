"""TensorFlow backend: data parallel through `tf.distribute` (MirroredStrategy on one host,
MultiWorkerMirroredStrategy across workers once `initialize` has joined the cluster described by `TF_CONFIG`).

Variables stay replicated (MirroredVariables); the mirrored strategies do not shard a variable, so sharded layouts
are refused with a pointer to JAX and torch.
"""

from __future__ import annotations

import json
import os
import random

import tensorflow as tf

NO_MODEL_PARALLEL = (
    "ModelParallel (sharded variables) is not supported on the TensorFlow backend: it distributes through "
    "tf.distribute's mirrored strategies, which keep a whole copy of every variable on each device. Received: "
    "layout axes={axes} on a mesh of shape {shape}, axis_names={names}. Use DataParallel on TensorFlow, or "
    "ModelParallel with KERAS_BACKEND=jax (jax.sharding) or KERAS_BACKEND=torch (DTensor)."
)

_STRATEGIES: dict = {}


def _name(device) -> str:
    kind, _, index = device.name.rpartition("/device:")[2].partition(":")
    return f"{kind.lower()}:{index}"


def list_devices(device_type=None):
    kind = device_type.upper() if device_type else ("GPU" if tf.config.list_logical_devices("GPU") else "CPU")
    devices = tf.config.list_logical_devices(kind)
    workers = _cluster_size()
    if workers == 1:
        return [_name(d) for d in devices]
    # A cluster (once joined, TensorFlow lists every worker's devices): each worker has as many as this one,
    # numbered worker by worker.
    local = [d for d in devices if "/job:" not in d.name or f"/task:{process_id()}/" in d.name]
    return [f"{kind.lower()}:{i}" for i in range(workers * len(local))]


def _multi_worker_strategy():
    # Created once, when the cluster is joined: TensorFlow configures collective ops only before its runtime
    # starts, so the strategy cannot wait for the first step.
    if "multi_worker" not in _STRATEGIES:
        strategy = _STRATEGIES["multi_worker"] = tf.distribute.MultiWorkerMirroredStrategy()
        _share_shuffling_seed(strategy)
    return _STRATEGIES["multi_worker"]


def _share_shuffling_seed(strategy):
    # Shuffling draws from Python's `random`: every worker must batch the data in the same order (worker 0's seed,
    # summed over the replicas with every other replica adding 0).
    seed = tf.constant(random.randint(1, 2**31 - 1) if process_id() == 0 else 0, tf.int64)

    def first_replica_only():
        first = tf.equal(tf.distribute.get_replica_context().replica_id_in_sync_group, 0)
        return tf.where(first, seed, tf.zeros_like(seed))

    random.seed(int(strategy.reduce(tf.distribute.ReduceOp.SUM, strategy.run(first_replica_only), axis=None)))


def strategy_for(devices):
    """The (cached) strategy over mesh device strings: one per set of devices, as tf.distribute expects; in a
    cluster (`TF_CONFIG`) the one MultiWorkerMirroredStrategy over every worker's devices."""
    if "TF_CONFIG" in os.environ:
        return _multi_worker_strategy()
    key = tuple(devices)
    if key not in _STRATEGIES:
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
    if job_addresses:
        os.environ["TF_CONFIG"] = json.dumps(
            {"cluster": {"worker": list(job_addresses)}, "task": {"type": "worker", "index": int(process_id or 0)}}
        )
    # Without addresses, TF_CONFIG set by the launcher describes the cluster.
    if _cluster_size() > 1:
        _multi_worker_strategy()


def _cluster_size() -> int:
    config = json.loads(os.environ.get("TF_CONFIG", "{}"))
    return len(config.get("cluster", {}).get("worker", [])) or 1


def num_processes():
    return _cluster_size()


def process_id():
    config = json.loads(os.environ.get("TF_CONFIG", "{}"))
    return int(config.get("task", {}).get("index", 0))
