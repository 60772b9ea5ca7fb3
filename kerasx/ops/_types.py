"""Type aliases of the public op signatures, defined once.

The engines' tensor classes cannot be named here (`kerasx.ops` imports no engine), so a tensor is `Any` to a type
checker; the alias names still say, in every signature, which arguments are tensors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

TensorLike = Any
"""An op input: a native tensor of the selected engine, a Variable, a KerasTensor, a NumPy array, a (nested) list
of numbers or a Python number."""

Tensor = Any
"""An op result: a native tensor of the selected engine, or a KerasTensor when an input is symbolic."""

Shape = tuple[int | None, ...]
"""A static shape; None marks a size known only at run time (symbolic tensors)."""

ShapeLike = int | Sequence[int | Tensor | None]
"""A shape argument: one size, or a tuple or list of sizes, such as `ops.shape` returns: a size known only at run
time is None (symbolic tensors) or a scalar tensor (inside a traced function)."""

PadWidth = int | Sequence[int] | Sequence[Sequence[int]]
"""The same width everywhere, a `(before, after)` pair for every axis, or one pair per axis."""

Axis = int | tuple[int, ...] | None
"""None (every axis), one axis, or several; negative axes count from the end."""

Padding = Literal["valid", "same"]
DataFormat = Literal["channels_last", "channels_first"] | None
