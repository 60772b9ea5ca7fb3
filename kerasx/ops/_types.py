"""Type aliases of the public op signatures, defined once.

The engines' tensor classes cannot be named here (`kerasx.ops` imports no engine), so a tensor is `Any` to a type
checker; the alias names still say, in every signature, which arguments are tensors.
"""

from __future__ import annotations

from typing import Any, Literal

TensorLike = Any
"""An op input: a native tensor of the selected engine, a Variable, a KerasTensor, a NumPy array, a (nested) list
of numbers or a Python number."""

Tensor = Any
"""An op result: a native tensor of the selected engine, or a KerasTensor when an input is symbolic."""

Shape = tuple[int | None, ...]
"""A static shape; None marks a size known only at run time (symbolic tensors)."""

Axis = int | tuple[int, ...] | None
"""None (every axis), one axis, or several; negative axes count from the end."""

Padding = Literal["valid", "same"]
DataFormat = Literal["channels_last", "channels_first"] | None
