"""Device meshes, tensor layouts and the map from variable paths to layouts."""

from __future__ import annotations

import math
import re

from kerasx.backend import active

BAD_MESH = (
    "DeviceMesh: shape {shape} holds {size} devices but {count} were given. Received: shape={shape}, "
    "axis_names={axis_names}, devices={devices}. Pass as many devices as the product of `shape`."
)
DUPLICATE_DEVICES = "DeviceMesh: each device may appear once. Received: devices={devices}."
BAD_AXIS_NAMES = (
    "DeviceMesh: one axis name per mesh dimension is required. Received: shape={shape}, axis_names={axis_names}."
)
UNKNOWN_MESH_AXIS = (
    "TensorLayout: axis {axis!r} is not an axis of the mesh. Received: axes={axes}, mesh axis_names={names}. "
    "Use the mesh's axis names, or None for a replicated dimension."
)
NOT_A_LAYOUT = (
    "LayoutMap values are TensorLayouts or tuples of mesh axis names (None for replicated). Received: {key!r} -> "
    "{value!r}."
)

SEVERAL_LAYOUT_KEYS = (
    "LayoutMap: path {path!r} matches several layout keys: {keys}. Each variable path may match at most one key "
    "(keys are regular expressions matched against the whole path); make the keys more specific."
)


class DeviceMesh:
    """A grid of devices with named axes, e.g. shape (2, 4) with axis_names ("batch", "model").

    Args:
        shape: the grid's shape; its product is the number of devices.
        axis_names: one name per dimension of `shape`.
        devices: device strings as `list_devices()` returns them; defaults to all devices of the engine.

    Example:
        >>> import kerasx
        >>> gpus = [f"gpu:{i}" for i in range(8)]
        >>> mesh = kerasx.distribution.DeviceMesh(shape=(2, 4), axis_names=("batch", "model"), devices=gpus)
        >>> mesh.shape, mesh.axis_names, mesh.axis_size("model")
        ((2, 4), ('batch', 'model'), 4)
        >>> local = kerasx.distribution.DeviceMesh((1,), ["batch"], devices=kerasx.distribution.list_devices()[:1])
        >>> local.shape
        (1,)
    """

    def __init__(self, shape, axis_names, devices=None):
        self._shape = tuple(int(d) for d in shape)
        self._axis_names = tuple(axis_names)
        if len(self._axis_names) != len(self._shape):
            raise ValueError(BAD_AXIS_NAMES.format(shape=self._shape, axis_names=self._axis_names))
        devices = list(active.distribution.list_devices()) if devices is None else [str(d) for d in devices]
        size = math.prod(self._shape)
        if len(devices) != size:
            raise ValueError(
                BAD_MESH.format(shape=self._shape, size=size, count=len(devices), axis_names=self._axis_names,
                                devices=devices)
            )
        if len(set(devices)) != len(devices):
            raise ValueError(DUPLICATE_DEVICES.format(devices=devices))
        self._devices = tuple(devices)

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def axis_names(self) -> tuple:
        return self._axis_names

    @property
    def devices(self) -> tuple:
        return self._devices

    def axis_size(self, name) -> int:
        return self._shape[self._axis_names.index(name)]

    def __repr__(self):
        return f"<DeviceMesh shape={self._shape}, axis_names={self._axis_names}, devices={list(self._devices)}>"


class TensorLayout:
    """How a tensor lies on a mesh: for each tensor dimension, the mesh axis it is split along, or None.

    Args:
        axes: one mesh axis name (or None, replicated) per tensor dimension.
        device_mesh: the mesh; a `LayoutMap` fills it in for the layouts stored in it.

    Example:
        >>> import kerasx
        >>> gpus = [f"gpu:{i}" for i in range(8)]
        >>> mesh = kerasx.distribution.DeviceMesh((2, 4), ("batch", "model"), devices=gpus)
        >>> layout = kerasx.distribution.TensorLayout((None, "model"), device_mesh=mesh)
        >>> layout.axes
        (None, 'model')
    """

    def __init__(self, axes, device_mesh=None):
        self._axes = tuple(axes)
        self._device_mesh = None
        if device_mesh is not None:
            self.device_mesh = device_mesh

    @property
    def axes(self) -> tuple:
        return self._axes

    @property
    def device_mesh(self):
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh):
        for axis in self._axes:
            if axis is not None and axis not in device_mesh.axis_names:
                raise ValueError(UNKNOWN_MESH_AXIS.format(axis=axis, axes=self._axes, names=device_mesh.axis_names))
        self._device_mesh = device_mesh

    def __repr__(self):
        return f"<TensorLayout axes={self._axes}, device_mesh={self._device_mesh}>"


class LayoutMap(dict):
    """Variable paths -> `TensorLayout`: an exact path first, else the one key that matches the whole path as a regex.

    Looking a path up (`layout_map[path]`, or `match(path)`) returns the layout stored under that exact path, else
    the layout of the one key whose regular expression matches the whole path (`re.fullmatch`, as Keras 3), else
    None. A path that two or more keys match is an error, so that no layout is chosen by the order keys were added.
    Variables built inside a `Sequential` have paths like `"sequential/dense/kernel"`: write `".*dense/kernel"` or
    the full path.

    Args:
        device_mesh: the mesh every stored layout lies on.

    Values may be given as tuples of axis names; they are stored as `TensorLayout`s on the map's mesh.

    Example:
        >>> import kerasx
        >>> gpus = [f"gpu:{i}" for i in range(8)]
        >>> mesh = kerasx.distribution.DeviceMesh((2, 4), ("batch", "model"), devices=gpus)
        >>> layout_map = kerasx.distribution.LayoutMap(mesh)
        >>> layout_map[".*dense.*kernel"] = (None, "model")
        >>> layout_map[".*dense.*bias"] = ("model",)
        >>> layout_map["sequential/dense_1/kernel"].axes
        (None, 'model')
        >>> layout_map["conv/kernel"] is None
        True
    """

    def __init__(self, device_mesh):
        super().__init__()
        self._device_mesh = device_mesh

    @property
    def device_mesh(self):
        return self._device_mesh

    def __setitem__(self, key, layout):
        if isinstance(layout, (tuple, list)):
            layout = TensorLayout(layout)
        if not isinstance(layout, TensorLayout):
            raise ValueError(NOT_A_LAYOUT.format(key=key, value=layout))
        layout.device_mesh = self._device_mesh
        super().__setitem__(key, layout)

    def __getitem__(self, path):
        return self.match(path)

    def get(self, path, default=None):
        layout = self.match(path)
        return default if layout is None else layout

    def matching_key(self, path) -> str | None:
        """The key whose layout `path` gets (the path itself, or the one pattern matching all of it), or None."""
        if dict.__contains__(self, path):
            return path
        keys = [key for key in dict.keys(self) if re.fullmatch(key, path)]
        if len(keys) > 1:
            raise ValueError(SEVERAL_LAYOUT_KEYS.format(path=path, keys=keys))
        return keys[0] if keys else None

    def match(self, path):
        """The layout for the variable path `path` (see the class description), or None."""
        key = self.matching_key(path)
        return None if key is None else dict.__getitem__(self, key)
