"""`kerasx.device`: a scope placing the tensors and variables created inside it on one device."""

from __future__ import annotations

import re
from typing import Any

from kerasx.backend._select import ACTIVE

NOT_A_DEVICE_NAME = (
    "Invalid value for argument `device_name`. Expected a string like 'cpu', 'cpu:0' or 'gpu:1' (a device kind, "
    "optionally ':' and its index). Received: device_name={name!r}"
)

# "cpu", "gpu:1", TensorFlow's "/device:GPU:0"; any case.
_DEVICE_NAME = re.compile(r"(?:/device:)?([a-z_]+)(?::(\d+))?")


def device(device_name: str) -> Any:
    """Context manager placing the tensors and variables created inside it on the device `device_name`.

    The engine's own placement does the work: `jax.default_device` on jax, a torch default-device scope on torch
    (where "gpu" means a CUDA device and torch kinds such as "meta" work too), `tf.device` on TensorFlow (which, as
    always, falls back to a device the machine has). The numpy backend has the CPU only.

    Args:
        device_name: a device kind and optional index, such as "cpu", "cpu:0" or "gpu:1" (case does not matter).

    Raises:
        ValueError: `device_name` is not such a string, or names a device the engine does not have.

    Example:

    >>> import kerasx
    >>> with kerasx.device("cpu:0"):
    ...     x = kerasx.ops.ones((2,))
    ...     v = kerasx.Variable([1.0, 2.0])
    >>> kerasx.ops.convert_to_numpy(x + v).tolist()
    [2.0, 3.0]
    """
    match = _DEVICE_NAME.fullmatch(device_name.strip().lower()) if isinstance(device_name, str) else None
    if match is None:
        raise ValueError(NOT_A_DEVICE_NAME.format(name=device_name))
    kind, index = match.groups()
    return ACTIVE.core.device(kind, None if index is None else int(index))
