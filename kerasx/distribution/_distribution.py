"""`DataParallel` and `ModelParallel`, and the distribution in effect (global or scoped)."""

from __future__ import annotations

import contextlib

from kerasx.backend import _distribution_state, _tree, active
from kerasx.distribution._mesh import DeviceMesh, LayoutMap, TensorLayout

LAYOUT_DOES_NOT_DIVIDE = (
    "Cannot shard variable '{path}' of shape {shape}: dimension {dim} (size {size}) is split along mesh axis "
    "{axis!r} of size {axis_size}, which does not divide it (mesh: shape={mesh_shape}, axis_names={names}). "
    "Change the LayoutMap entry {pattern!r}, the layer's size, or the mesh."
)
LAYOUT_RANK = (
    "The layout {axes} for variable '{path}' has {count} axes but the variable has rank {rank} (shape {shape}). "
    "Give one mesh axis name or None per dimension in LayoutMap entry {pattern!r}."
)
MESH_AND_DEVICES = (
    "DataParallel takes `device_mesh` or `devices`, not both. Received: device_mesh={device_mesh}, "
    "devices={devices}."
)
NO_DEVICES = "No devices to distribute over. Received: device_mesh={device_mesh}, devices={devices}."
NO_LAYOUT_MAP = (
    "ModelParallel needs a `layout_map` (a LayoutMap over the mesh to use). Received: layout_map=None, "
    "device_mesh=None. Pass e.g. `ModelParallel(layout_map=LayoutMap(DeviceMesh((2,), ('model',))))`."
)
OTHER_MESH = (
    "ModelParallel: `device_mesh` differs from the mesh of `layout_map`. Received: device_mesh={device_mesh}, "
    "layout_map.device_mesh={layout_mesh}. Pass only `layout_map` (its mesh is used)."
)
BAD_BATCH_DIM = (
    "ModelParallel: batch_dim_name {name!r} is not an axis of the mesh (axis_names={names}). "
    "Pass one of the mesh's axis names."
)


def list_devices(device_type=None) -> list:
    """Devices of the selected engine as strings ("cpu:0", "gpu:1", ...), all processes included.

    Args:
        device_type: "cpu", "gpu" or "tpu" to list only those; None for the engine's default kind.

    Returns:
        A list of device strings, the form `DeviceMesh` and `DataParallel` take.

    Example:
        >>> import kerasx
        >>> devices = kerasx.distribution.list_devices("cpu")
        >>> len(devices) >= 1, devices[0].startswith("cpu:")
        (True, True)
    """
    return active.distribution.list_devices(device_type)


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Joins a multi-process run (jax.distributed / torch.distributed / TF cluster). Call it first in each process.

    Args:
        job_addresses: "host:port" of the coordinator first, as a comma-separated string or a list.
        num_processes: the number of processes.
        process_id: this process's index (0 is the coordinator, which writes checkpoints).

    Example:
        >>> import kerasx
        >>> kerasx.distribution.num_processes()
        1

    With two machines, each process runs (with its own `process_id`) before building its model:
    `kerasx.distribution.initialize("10.0.0.1:1234", num_processes=2, process_id=0)`.
    """
    active.distribution.initialize(job_addresses, num_processes, process_id)


def num_processes() -> int:
    """How many processes take part in the run (1 without `initialize`).

    Returns:
        An int.

    Example:
        >>> import kerasx
        >>> kerasx.distribution.num_processes()
        1
    """
    return active.distribution.num_processes()


def process_id() -> int:
    """This process's index; 0 is the coordinator (the one that writes checkpoints).

    Returns:
        An int in `[0, num_processes())`.

    Example:
        >>> import kerasx
        >>> kerasx.distribution.process_id()
        0
    """
    return active.distribution.process_id()


class Distribution:
    """Base of the distributions: a mesh, the batch axis, and where each variable and batch goes.

    Use its subclasses `DataParallel` and `ModelParallel`: pass one to `set_distribution`, or enter its `scope()`,
    before the training steps are built (`fit`, `evaluate`, `predict`).

    Example:
        >>> import kerasx
        >>> distribution = kerasx.distribution.DataParallel(devices=kerasx.distribution.list_devices()[:1])
        >>> isinstance(distribution, kerasx.distribution.Distribution)
        True
        >>> distribution.batch_dim_name, distribution.get_data_layout((32, 10)).axes
        ('batch', ('batch', None))
    """

    def __init__(self, device_mesh, batch_dim_name, auto_shard_dataset=True):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset

    @property
    def auto_shard_dataset(self) -> bool:
        """Whether, in a multi-process run, each process takes its own part of the batches it reads (True), or
        reads batches that are already its own part (False: the dataset was sharded across hosts beforehand).
        One process reads whole batches either way."""
        return self._auto_shard_dataset

    @auto_shard_dataset.setter
    def auto_shard_dataset(self, value):
        self._auto_shard_dataset = value

    @property
    def device_mesh(self):
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @contextlib.contextmanager
    def scope(self):
        """Inside the block, training steps built by `fit`/`evaluate`/`predict` use this distribution."""
        _distribution_state.push(self)
        try:
            yield self
        finally:
            _distribution_state.pop()

    def get_data_layout(self, data_shape) -> TensorLayout:
        """Batch split along the batch axis; replicated when the batch does not divide (e.g. a last partial
        batch), which gives the same numbers without the speed-up."""
        axes = [None] * len(data_shape)
        if data_shape and data_shape[0] % self._device_mesh.axis_size(self._batch_dim_name) == 0:
            axes[0] = self._batch_dim_name
        return TensorLayout(axes, self._device_mesh)

    def get_variable_layout(self, variable) -> TensorLayout:
        if getattr(variable, "_layout", None) is not None:
            return variable._layout  # the layout given to the Variable itself wins, as in Keras 3
        return TensorLayout([None] * len(variable.shape), self._device_mesh)

    def distribute_variables(self, variables):
        """Places every variable's value as its layout says (called when a step is compiled)."""
        for variable in variables:
            layout = self.get_variable_layout(variable)
            variable.assign(active.distribution.distribute_variable(variable.value, layout))

    def distribute_data(self, data):
        def place(value):
            if value is None or not active.core.is_tensor(value):
                return value
            return active.distribution.distribute_data(value, self.get_data_layout(tuple(value.shape)))

        return _tree.map_structure(place, data)


class DataParallel(Distribution):
    """Replicates every variable and splits each batch across the devices (along mesh axis "batch").

    Args:
        device_mesh: a 1-D mesh; defaults to one over `devices`.
        devices: device strings; defaults to all devices of the engine.
        auto_shard_dataset: in a multi-process run, whether each process takes its part of the batches it reads
            (True, the default) or reads only its own part already (False, a dataset sharded across hosts).

    Example:
        >>> import kerasx
        >>> distribution = kerasx.distribution.DataParallel(devices=kerasx.distribution.list_devices()[:1])
        >>> distribution.device_mesh.axis_names, distribution.device_mesh.shape
        (('batch',), (1,))
        >>> with distribution.scope():
        ...     print(kerasx.distribution.distribution() is distribution)
        True
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        if device_mesh is not None and devices is not None:
            raise ValueError(MESH_AND_DEVICES.format(device_mesh=device_mesh, devices=devices))
        if device_mesh is None:
            devices = list_devices() if devices is None else list(devices)
            if not devices:
                raise ValueError(NO_DEVICES.format(device_mesh=device_mesh, devices=devices))
            device_mesh = DeviceMesh((len(devices),), ("batch",), devices)
        super().__init__(device_mesh, device_mesh.axis_names[0], auto_shard_dataset)


class ModelParallel(Distribution):
    """Shards variables as a `LayoutMap` says (others replicated) and splits batches along `batch_dim_name`.

    Args:
        layout_map: variable-path patterns -> layouts, over the mesh to use.
        batch_dim_name: the mesh axis batches are split along; defaults to the mesh's first axis.
        auto_shard_dataset: as for `DataParallel`.
        device_mesh: accepted for Keras 3.0 code; must be the layout map's mesh.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> gpus = [f"gpu:{i}" for i in range(8)]
        >>> mesh = kerasx.distribution.DeviceMesh((2, 4), ("batch", "model"), devices=gpus)
        >>> layout_map = kerasx.distribution.LayoutMap(mesh)
        >>> layout_map["dense.*kernel"] = (None, "model")
        >>> distribution = kerasx.distribution.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
        >>> dense = kerasx.layers.Dense(16, name="dense_big")
        >>> dense.build((None, 8))
        >>> distribution.get_variable_layout(dense.kernel).axes
        (None, 'model')
        >>> distribution.get_variable_layout(dense.bias).axes
        (None,)
        >>> distribution.get_data_layout((64, 8)).axes
        ('batch', None)
    """

    def __init__(self, *, layout_map=None, batch_dim_name=None, auto_shard_dataset=True, device_mesh=None):
        if layout_map is None:
            if device_mesh is None:
                raise ValueError(NO_LAYOUT_MAP)
            layout_map = LayoutMap(device_mesh)
        if device_mesh is not None and device_mesh is not layout_map.device_mesh:
            raise ValueError(OTHER_MESH.format(device_mesh=device_mesh, layout_mesh=layout_map.device_mesh))
        device_mesh = layout_map.device_mesh
        batch_dim_name = batch_dim_name or device_mesh.axis_names[0]
        if batch_dim_name not in device_mesh.axis_names:
            raise ValueError(BAD_BATCH_DIM.format(name=batch_dim_name, names=device_mesh.axis_names))
        super().__init__(device_mesh, batch_dim_name, auto_shard_dataset)
        self._layout_map = layout_map
        self._slot_layouts = {}

    @property
    def layout_map(self) -> LayoutMap:
        return self._layout_map

    def _check(self, variable, layout, pattern):
        shape = tuple(variable.shape)
        if len(layout.axes) != len(shape):
            raise ValueError(LAYOUT_RANK.format(axes=layout.axes, path=variable.path, count=len(layout.axes),
                                                rank=len(shape), shape=shape, pattern=pattern))
        mesh = self._device_mesh
        for dim, (size, axis) in enumerate(zip(shape, layout.axes)):
            if axis is not None and size % mesh.axis_size(axis):
                raise ValueError(LAYOUT_DOES_NOT_DIVIDE.format(
                    path=variable.path, shape=shape, dim=dim, size=size, axis=axis, axis_size=mesh.axis_size(axis),
                    mesh_shape=mesh.shape, names=mesh.axis_names, pattern=pattern))

    def get_variable_layout(self, variable) -> TensorLayout:
        if getattr(variable, "_layout", None) is not None:
            return variable._layout
        pattern = self._layout_map.matching_key(variable.path)
        if pattern is not None:
            layout = dict.__getitem__(self._layout_map, pattern)
            self._check(variable, layout, pattern)
            # Optimizer slots are named "<optimizer>/<variable path with _>_<slot>": they follow their variable.
            self._slot_layouts[(variable.path.replace("/", "_"), tuple(variable.shape))] = layout
            return layout
        for (prefix, shape), slot_layout in self._slot_layouts.items():
            if tuple(variable.shape) == shape and variable.path.partition("/")[2].startswith(prefix + "_"):
                return slot_layout
        return super().get_variable_layout(variable)


def set_distribution(value):
    """Sets the distribution used by every training step built from now on (None for single-device).

    Args:
        value: a `Distribution` (`DataParallel`, `ModelParallel`) or None.

    Example:
        >>> import kerasx
        >>> distribution = kerasx.distribution.DataParallel(devices=kerasx.distribution.list_devices()[:1])
        >>> kerasx.distribution.set_distribution(distribution)
        >>> kerasx.distribution.distribution() is distribution
        True
        >>> kerasx.distribution.set_distribution(None)
    """
    _distribution_state.set_global(value)


def distribution():
    """The distribution in effect: the innermost `scope()`, else the one set by `set_distribution`, else None.

    Returns:
        A `Distribution`, or None for single-device training.

    Example:
        >>> import kerasx
        >>> kerasx.distribution.distribution() is None
        True
        >>> distribution = kerasx.distribution.DataParallel(devices=kerasx.distribution.list_devices()[:1])
        >>> with distribution.scope():
        ...     print(kerasx.distribution.distribution() is distribution)
        True
    """
    return _distribution_state.current()
