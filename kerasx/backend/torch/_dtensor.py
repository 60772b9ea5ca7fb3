"""torch backend: model parallel through torch's DTensor (`torch.distributed.tensor`).

Loaded on first use by `distribution.py` (importing `torch.distributed.tensor` costs ~1 s, which a run without
sharded variables should not pay). Device `i` of a mesh is the process of rank `i`. Under a sharded layout every
state variable becomes a DTensor (sharded as its layout says, else replicated), batches become DTensors (split
along the mesh's batch axis when it divides, else replicated), and torch's sharding propagation inserts the
collectives: gradients come out global, so no all-reduce of ours is needed.
"""

from __future__ import annotations

import torch
from torch.distributed.device_mesh import DeviceMesh
from torch.distributed.tensor import DTensor, Replicate, Shard, distribute_tensor
from torch.distributed.tensor.experimental import implicit_replication

from kerasx.backend import _tree

MESH_NOT_WORLD = (
    "Cannot shard over a mesh of {count} devices in a run of {world} torch process(es): on torch each mesh device "
    "is one process (device i is rank i). Received: mesh shape={shape}, axis_names={names}, devices={devices}. "
    "Launch one process per device (`torchrun --nproc_per_node={count} script.py`, with "
    "`kerasx.distribution.initialize()` first in the script)."
)

# id(frontend DeviceMesh) -> (that mesh, kept alive so the id stays unique; torch's DeviceMesh over it).
_MESHES: dict = {}


def torch_mesh(device_mesh, world: int) -> DeviceMesh:
    key = id(device_mesh)
    if key not in _MESHES:
        devices = list(device_mesh.devices)
        if len(devices) != world:
            raise ValueError(MESH_NOT_WORLD.format(count=len(devices), world=world, shape=device_mesh.shape,
                                                   names=device_mesh.axis_names, devices=devices))
        ranks = torch.tensor([int(d.rpartition(":")[2]) for d in devices]).reshape(tuple(device_mesh.shape))
        kind = "cuda" if devices[0].startswith("gpu") else "cpu"
        _MESHES[key] = (device_mesh, DeviceMesh(kind, ranks, mesh_dim_names=tuple(device_mesh.axis_names)))
    return _MESHES[key][1]


def holds_mesh(device_mesh) -> bool:
    """Whether variables were sharded over `device_mesh` (its batches then become DTensors too)."""
    return id(device_mesh) in _MESHES


def placements(layout) -> list:
    """One placement per mesh axis: Shard(d) where tensor dimension d is split along it, else Replicate."""
    out = []
    for name in layout.device_mesh.axis_names:
        dims = [d for d, axis in enumerate(layout.axes) if axis == name]
        out.append(Shard(dims[0]) if dims else Replicate())
    return out


def is_dtensor(x) -> bool:
    return isinstance(x, DTensor)


def distribute_variable(value, layout, world):
    mesh = torch_mesh(layout.device_mesh, world)
    if isinstance(value, DTensor):
        return value.redistribute(mesh, placements(layout))
    # Rank 0's values, scattered or broadcast: every rank starts from the same weights.
    return distribute_tensor(value.detach().contiguous(), mesh, placements(layout))


def distribute_data(value, layout, world):
    """A DTensor view of the global batch (which every rank holds whole): each rank keeps its slice along the
    mesh's batch axis without communicating."""
    mesh = torch_mesh(layout.device_mesh, world)
    specs = placements(layout)
    local = value
    for mesh_dim, spec in enumerate(specs):
        if isinstance(spec, Shard):
            local = local.tensor_split(mesh.size(mesh_dim), dim=spec.dim)[mesh.get_local_rank(mesh_dim)]
    return DTensor.from_local(local, mesh, specs, run_check=False, shape=value.shape, stride=value.stride())


def replicate_on_mesh_of(variables) -> None:
    """Makes every plain-tensor variable a replicated DTensor on the mesh of the DTensor ones: torch's operators
    take DTensors together only on one mesh."""
    mesh = next(v.value.device_mesh for v in variables if isinstance(v.value, DTensor))
    for variable in variables:
        if not isinstance(variable.value, DTensor):
            variable.assign(distribute_tensor(variable.value.detach().contiguous(), mesh,
                                              [Replicate()] * mesh.ndim))


def write(target, value):
    """The storage after writing `value` into the Parameter `target`: a DTensor value the variable does not hold
    yet (a distribution placing it) gives a new Parameter with the value's layout; any other value is copied into
    `target` in `target`'s layout."""
    if isinstance(value, DTensor) and (not isinstance(target, DTensor) or target.device_mesh != value.device_mesh):
        return torch.nn.Parameter(value.detach().clone(), requires_grad=target.requires_grad)
    if isinstance(target, DTensor):
        if isinstance(value, DTensor):
            value = value.redistribute(target.device_mesh, target.placements)
        else:  # a whole value, the same on every rank (e.g. `set_weights`): keep this rank's part
            mesh = target.device_mesh
            value = DTensor.from_local(value.detach(), mesh, [Replicate()] * mesh.ndim, run_check=False)
            value = value.redistribute(mesh, target.placements)
    else:
        value = value.full_tensor()
    with torch.no_grad():
        target.copy_(value)
    return target


def gather(x):
    """The whole value of a DTensor on every rank (a collective: every rank must call it); other values as they are."""
    return x.full_tensor() if isinstance(x, DTensor) else x


def match_placements(grads, params) -> list:
    """Gradients in their parameter's layout (a replicated parameter's gradient may come out as a pending sum)."""
    return [g.redistribute(p.device_mesh, p.placements) if isinstance(g, DTensor) and isinstance(p, DTensor) else g
            for g, p in zip(grads, params)]


def make_step(fn, distribution):
    """`fn` over DTensor state: the batch placed per the distribution (replicated without one), plain tensors
    created inside the step taken as replicated, and the outputs gathered so that logs and predictions are plain
    tensors, equal on every rank."""

    def step(data):
        if distribution is not None:
            data = distribution.distribute_data(data)
        with implicit_replication():
            outputs = fn(data)
        return _tree.map_structure(gather, outputs)

    return step
