"""`vectorize`: a function of single elements (or of core slices, with a gufunc signature) made to run over whole
tensors, as `numpy.vectorize`, through the engine's vectorized map."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any

from kerasx.backend import _tree, active
from kerasx.ops import _specs
from kerasx.ops._dispatch import shape_of, tensor

_np = active.numpy
_core = active.core

BAD_SIGNATURE = (
    "`signature` must look like \"(m,n),(n)->(m)\": comma-separated core-dimension groups in parentheses, before "
    "and after `->`. Received: signature={signature!r}."
)
WRONG_ARGUMENT_COUNT = (
    "The vectorized function's signature {signature!r} names {expected} tensor arguments, but it was called with "
    "{received}."
)
CORE_RANK = (
    "Argument {index} has shape {shape}, fewer dimensions than its core dimensions {core} in signature {signature!r}."
)

_GROUP = re.compile(r"\(([^()]*)\)")


def _parse_signature(signature: str) -> tuple:
    """Core-dimension names per input and per output of a gufunc signature."""
    inputs, arrow, outputs = signature.replace(" ", "").partition("->")
    groups_in, groups_out = _GROUP.findall(inputs), _GROUP.findall(outputs)
    rebuilt = ",".join(f"({g})" for g in groups_in) + "->" + ",".join(f"({g})" for g in groups_out)
    if not arrow or rebuilt != signature.replace(" ", ""):
        raise ValueError(BAD_SIGNATURE.format(signature=signature))
    split = [tuple(name for name in g.split(",") if name) for g in groups_in]
    return split, [tuple(name for name in g.split(",") if name) for g in groups_out]


def _run(pyfunc, args, kwargs, excluded, core_in, signature):
    positions = [i for i in range(len(args)) if i not in excluded]
    names = [k for k in kwargs if k not in excluded]
    tensors = [tensor(args[i]) for i in positions] + [tensor(kwargs[k]) for k in names]
    cores = core_in if core_in is not None else [()] * len(tensors)
    if len(cores) != len(tensors):
        raise TypeError(WRONG_ARGUMENT_COUNT.format(signature=signature, expected=len(cores), received=len(tensors)))
    loop_shapes, core_shapes = [], []
    for index, (t, core) in enumerate(zip(tensors, cores)):
        shape = tuple(shape_of(t))
        if len(shape) < len(core):
            raise ValueError(CORE_RANK.format(index=index, shape=shape, core=core, signature=signature))
        cut = len(shape) - len(core)
        loop_shapes.append(shape[:cut])
        core_shapes.append(shape[cut:])
    batch = _specs.broadcast_shapes(*loop_shapes)

    def rebuild(slices):
        call_args, call_kwargs = list(args), dict(kwargs)
        for value, position in zip(slices, positions + names):
            if isinstance(position, int):
                call_args[position] = value
            else:
                call_kwargs[position] = value
        return pyfunc(*call_args, **call_kwargs)

    if not batch:
        return rebuild(tensors)
    flat = [
        _np.reshape(_np.broadcast_to(t, batch + core), (math.prod(batch),) + core)
        for t, core in zip(tensors, core_shapes)
    ]
    outputs = _core.vectorized_map(lambda slices: rebuild(list(slices)), tuple(flat))
    return _tree.map_structure(lambda leaf: _np.reshape(leaf, batch + tuple(shape_of(leaf))[1:]), outputs)


def vectorize(pyfunc: Callable, *, excluded: set | None = None, signature: str | None = None) -> Callable:
    """`pyfunc` turned into a function that maps over whole tensors, as `numpy.vectorize` (through the engine's
    vectorized map, so the result stays differentiable and compiles).

    Without `signature`, `pyfunc` sees scalars: its tensor arguments are broadcast together and it runs on every
    element. With a gufunc `signature` such as `"(n),(n)->()"`, it sees core slices with the named trailing
    dimensions and maps over the broadcast leading ones.

    Args:
        pyfunc: the function to vectorize; it takes tensors and returns a tensor or a tuple of them.
        excluded: positions (ints) or names (strs) of arguments passed through unchanged, not mapped over.
        signature: a gufunc signature naming the core dimensions of the inputs and outputs.

    Returns:
        The vectorized function.

    Example:
        >>> from kerasx import ops
        >>> add_or_not = ops.vectorize(lambda a, b: ops.where(a > 0, a + b, a))
        >>> ops.convert_to_numpy(add_or_not([-1.0, 2.0], [10.0, 10.0]))
        array([-1., 12.], dtype=float32)
        >>> dot = ops.vectorize(lambda a, b: ops.sum(a * b), signature="(n),(n)->()")
        >>> ops.convert_to_numpy(dot([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]))
        array([3., 7.], dtype=float32)
    """
    excluded_arguments = frozenset(excluded or ())
    core_in = _parse_signature(signature)[0] if signature is not None else None

    @functools.wraps(pyfunc)
    def vectorized(*args: Any, **kwargs: Any) -> Any:
        return _run(pyfunc, args, kwargs, excluded_arguments, core_in, signature)

    return vectorized


__all__ = ["vectorize"]
