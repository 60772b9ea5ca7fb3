"""`get_device_count` and `distribute_tensor`: device counting and placing one tensor by a layout."""

from __future__ import annotations

from kerasx.backend import active
from kerasx.distribution._mesh import TensorLayout
from kerasx.ops._keras_tensor import KerasTensor

NOT_A_LAYOUT = (
    "distribute_tensor needs a `TensorLayout` (axes over a DeviceMesh). Received: layout={layout!r}. "
    "Pass e.g. `TensorLayout(['batch', None], device_mesh)`."
)
NO_MESH = (
    "distribute_tensor: the layout {axes} has no device mesh. Create it with one "
    "(`TensorLayout(axes, device_mesh)`) or get it from a LayoutMap built on a mesh."
)


def get_device_count(device_type: str | None = None) -> int:
    """The number of devices of the selected engine, all processes included (`len(list_devices(device_type))`).

    Args:
        device_type: "cpu", "gpu" or "tpu"; None for the engine's default kind.

    Example:
        >>> import kerasx
        >>> kerasx.distribution.get_device_count("cpu") >= 1
        True
    """
    return len(active.distribution.list_devices(device_type))


def distribute_tensor(tensor, layout: TensorLayout):
    """`tensor` placed on the devices of `layout`'s mesh, split along the mesh axes the layout names (replicated
    along the others), eagerly or inside a compiled function. A KerasTensor (symbolic) is returned as it is.

    Args:
        tensor: a tensor of the selected engine (or anything `convert_to_tensor` takes).
        layout: a `TensorLayout` with a device mesh.

    Returns:
        The distributed tensor, with the same values.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> mesh = kerasx.distribution.DeviceMesh((1,), ("batch",), kerasx.distribution.list_devices()[:1])
        >>> layout = kerasx.distribution.TensorLayout(("batch", None), mesh)
        >>> value = kerasx.distribution.distribute_tensor(np.ones((2, 3), "float32"), layout)
        >>> kerasx.ops.convert_to_numpy(value).sum()
        np.float32(6.0)
    """
    if isinstance(tensor, KerasTensor):
        return tensor
    if not isinstance(layout, TensorLayout):
        raise TypeError(NOT_A_LAYOUT.format(layout=layout))
    if layout.device_mesh is None:
        raise ValueError(NO_MESH.format(axes=layout.axes))
    return active.distribution.distribute_variable(active.core.convert_to_tensor(tensor), layout)
