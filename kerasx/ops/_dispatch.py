"""How a public op is made: one eager function plus a shape/dtype rule for symbolic inputs.

    @op(_specs.broadcast_binary)
    def add(x1: TensorLike, x2: TensorLike) -> Tensor:
        # docstring: summary line, details, Args:, Returns:, Example: (a doctest)
        x1, x2 = promote_pair(x1, x2)
        return _np.add(x1, x2)

On symbolic inputs (any KerasTensor, also inside a list argument) `add` returns `spec(x1, x2)` without running an
engine and records a `Node`, so functional models can contain plain ops. Otherwise the eager function runs.

Every public op is written this way: a `def` of its own name with its shape rule beside it, a typed signature and
a docstring whose example runs on every backend (`tests/test_ops_surface.py` and `nox -s doctests` check).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np

from kerasx.backend import _dtypes, _traceback, active
from kerasx.backend._variable import Variable
from kerasx.ops._keras_tensor import KerasTensor, any_symbolic
from kerasx.ops._node import Node

_Fn = TypeVar("_Fn", bound=Callable[..., Any])

_core = active.core
convert = _core.convert_to_tensor


def op(spec: Callable[..., Any]) -> Callable[[_Fn], _Fn]:
    """Decorator making `fn` a public op whose symbolic output is `spec(*args, **kwargs)`."""

    def decorate(fn: _Fn) -> _Fn:
        def call(*args, **kwargs):
            try:
                if any_symbolic(args, kwargs):
                    outputs = spec(*args, **kwargs)
                    Node(call, args, kwargs, outputs)
                    return outputs
                return fn(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 - re-raised below
                # kerasx's frames leave the traceback (`kerasx.config.disable_traceback_filtering()` keeps them); the
                # `try` costs nothing when no exception is raised.
                raise _traceback.filtered(error)  # noqa: B904 - the same exception, with fewer frames

        functools.update_wrapper(call, fn)
        call.compute_output_spec = spec
        call.eager = fn
        # Typed as `fn`, so that a type checker reads the op's own signature.
        return cast(_Fn, call)

    return decorate


def dtype_of(x) -> str:
    """kerasx dtype name of a tensor, Variable, KerasTensor or array-like (Python scalars give their default)."""
    if isinstance(x, (KerasTensor, Variable)):
        return x.dtype
    if _core.is_tensor(x):
        return _core.dtype_name(x)
    return _dtypes.infer_dtype(x)


def shape_of(x) -> tuple:
    """Shape tuple of a tensor, Variable, KerasTensor, array or Python scalar."""
    if isinstance(x, (KerasTensor, Variable)):
        return x.shape
    shape = getattr(x, "shape", None)
    if shape is not None:
        return tuple(shape)
    if isinstance(x, (int, float, bool)):
        return ()
    return np.shape(x)


def _dtypes_of(values) -> tuple:
    """Python numbers stay themselves (weak in promotion); everything else, lists included, gives its dtype name."""
    return tuple(v if isinstance(v, (bool, int, float)) else dtype_of(v) for v in values)


def promote(*values):
    """Native tensors of `values`, all cast to their common dtype under kerasx's promotion table."""
    try:
        dtype = _dtypes.result_type(*values)
    except TypeError:
        # Lists have no `dtype`; looked up only then, so tensors keep the one-call path.
        dtype = _dtypes.result_type(*_dtypes_of(values))
    return tuple(convert(v, dtype) for v in values)


def promote_float(*values):
    """Like `promote`, but integers and bools go to floatx (for sqrt, mean, divide, ...)."""
    try:
        dtype = _dtypes.float_result(*values)
    except TypeError:
        dtype = _dtypes.float_result(*_dtypes_of(values))
    return tuple(convert(v, dtype) for v in values)


def tensor(x, dtype=None):
    """Native tensor of `x` (keeping its dtype unless `dtype` is given)."""
    return convert(x, dtype)
