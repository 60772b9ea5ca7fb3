"""torch backend: data parallel over a `torch.distributed` process group (gloo on CPU, NCCL on GPU).

One process per device: device `i` of a mesh is the process of rank `i`. Data parallel: each rank takes its slice of
the global batch and gradients are averaged with one all-reduce per step. Model parallel: a layout that splits a
variable makes the state DTensors (`_dtensor.py`, loaded on first use), and torch's sharding propagation does the
communication.
"""

from __future__ import annotations

import importlib
import os
import random
import sys

import numpy as np
import torch
import torch.distributed as torch_distributed

_DTENSOR_MODULE = "kerasx.backend.torch._dtensor"


def _dtensor():
    return importlib.import_module(_DTENSOR_MODULE)


def _loaded_dtensor():
    """The DTensor helpers once something was sharded, else None (then no DTensor exists)."""
    return sys.modules.get(_DTENSOR_MODULE)


def _world() -> int:
    return torch_distributed.get_world_size() if torch_distributed.is_initialized() else 1


def _rank() -> int:
    return torch_distributed.get_rank() if torch_distributed.is_initialized() else 0


def list_devices(device_type=None):
    kind = (device_type or ("gpu" if torch.cuda.is_available() else "cpu")).lower()
    if kind in ("gpu", "cuda"):
        if not torch.cuda.is_available():
            return []
        if torch_distributed.is_initialized():
            return [f"gpu:{rank}" for rank in range(_world())]
        return [f"gpu:{i}" for i in range(torch.cuda.device_count())]
    if kind != "cpu":
        return []
    return [f"cpu:{rank}" for rank in range(_world())]


def _sharded_axes(layout) -> list:
    mesh = layout.device_mesh
    return [a for a in layout.axes if a is not None and mesh.shape[list(mesh.axis_names).index(a)] > 1]


def _dtensor_mesh(layout) -> bool:
    dtensor = _loaded_dtensor()
    return dtensor is not None and dtensor.holds_mesh(layout.device_mesh)


def distribute_variable(value, layout):
    if _sharded_axes(layout) or _dtensor_mesh(layout):
        return _dtensor().distribute_variable(value, layout, _world())
    if _world() > 1:
        # Every rank starts from rank 0's values, whatever each one initialized.
        value = value.detach().clone()
        torch_distributed.broadcast(value, src=0)
    return value


def distribute_data(value, layout):
    if _dtensor_mesh(layout):
        return _dtensor().distribute_data(value, layout, _world())
    mesh = layout.device_mesh
    if _world() == 1 or layout.axes[0] is None:
        return value
    # Device i of the mesh is rank i: this rank's coordinate along the batch axis picks its slice.
    axis = list(mesh.axis_names).index(layout.axes[0])
    num_shards = mesh.shape[axis]
    index = int(np.unravel_index(_rank(), mesh.shape)[axis])
    size = value.shape[0] // num_shards
    return value[index * size:(index + 1) * size]


def all_reduce_mean(tensors) -> list:
    """Averages a list of tensors over the process group with one all-reduce (not part of the contract)."""
    world = _world()
    if world == 1 or not tensors:
        return list(tensors)
    flat = torch.cat([t.reshape(-1) for t in tensors])
    torch_distributed.all_reduce(flat)
    flat = flat / world
    out, start = [], 0
    for tensor in tensors:
        out.append(flat[start:start + tensor.numel()].reshape(tensor.shape))
        start += tensor.numel()
    return out


def initialize(job_addresses=None, num_processes=None, process_id=None):
    if isinstance(job_addresses, str):
        job_addresses = job_addresses.split(",")
    if job_addresses:
        host, _, port = job_addresses[0].rpartition(":")
        os.environ.setdefault("MASTER_ADDR", host)
        os.environ.setdefault("MASTER_PORT", port)
    world = num_processes if num_processes is not None else int(os.environ.get("WORLD_SIZE", "1"))
    rank = process_id if process_id is not None else int(os.environ.get("RANK", "0"))
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    torch_distributed.init_process_group(backend, world_size=world, rank=rank)
    # Shuffling draws from Python's `random`: every rank must batch the data in the same order (rank 0's seed).
    seed = torch.tensor([random.randint(1, 2**31 - 1)], dtype=torch.int64)
    torch_distributed.broadcast(seed, src=0)
    random.seed(int(seed))


def num_processes():
    return _world()


def process_id():
    return _rank()


def average_updates(variables, before) -> None:
    """Makes each variable `before + mean over ranks of (value - before)` (not part of the contract).

    For replica-local state (metric sums and counts, moving statistics) this gives every rank the statistics of
    the global batch up to a common factor, which cancels in every ratio a metric reports; for state already equal
    on every rank it changes nothing.
    """
    deltas = all_reduce_mean([v.value.detach() - b for v, b in zip(variables, before)])
    for variable, start, delta in zip(variables, before, deltas):
        variable.assign(start + delta)


def sharded(tensors) -> bool:
    """Whether `tensors` (a variable's values) are DTensors, i.e. model-parallel state (not part of the contract)."""
    dtensor = _loaded_dtensor()
    return dtensor is not None and bool(tensors) and dtensor.is_dtensor(tensors[0])


def synchronize_gradients(grads, params) -> list:
    """Gradients of the global batch (not part of the contract): DTensor gradients in their parameter's layout,
    data-parallel ones averaged over the ranks."""
    if sharded(params):
        return _loaded_dtensor().match_placements(grads, params)  # pyright: ignore[reportOptionalMemberAccess]
    return all_reduce_mean(grads)


def sharded_step(fn, state_variables, distribution):
    """`fn` as a step over DTensor state when some state variable is sharded, else None (not part of the
    contract). Every other state variable is made a replicated DTensor on the same mesh."""
    dtensor = _loaded_dtensor()
    if dtensor is None or not any(dtensor.is_dtensor(v.value) for v in state_variables):
        return None
    dtensor.replicate_on_mesh_of(state_variables)
    return dtensor.make_step(fn, distribution)
