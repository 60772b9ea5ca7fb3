"""Forward-mode differentiation: the Jacobian-vector product of a function at a point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerasx.backend import _tree, active
from kerasx.ops._dispatch import dtype_of, op, tensor
from kerasx.ops._keras_tensor import KerasTensor

_linalg = active.linalg

BAD_PRIMALS = (
    "`primals` and `tangents` must be tuples (or lists) of the same structure, one entry per argument of `fun`. "
    "Received: primals={primals!r:.200}, tangents={tangents!r:.200}."
)


def _check(primals, tangents):
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise ValueError(BAD_PRIMALS.format(primals=primals, tangents=tangents))
    if len(_tree.flatten(list(primals))) != len(_tree.flatten(list(tangents))):
        raise ValueError(BAD_PRIMALS.format(primals=primals, tangents=tangents))


def _jvp_spec(fun, primals, tangents, has_aux=False):
    _check(primals, tangents)
    outputs = fun(*primals)
    if has_aux:
        outputs, aux = outputs
    tangents_out = _tree.map_structure(lambda t: KerasTensor(t.shape, t.dtype), outputs)
    return (outputs, tangents_out, aux) if has_aux else (outputs, tangents_out)


@op(_jvp_spec)
def jvp(fun: Callable, primals: tuple | list, tangents: tuple | list, has_aux: bool = False) -> tuple[Any, ...]:
    """Jacobian-vector product: `fun(*primals)` and its directional derivative along `tangents`, computed in
    forward mode (one pass, without a gradient tape or backward pass).

    Args:
        fun: a function of the tensors in `primals`, returning a tensor or a nested structure of tensors (with
            `has_aux`, a pair `(output, aux)`).
        primals: a tuple of the arguments of `fun`.
        tangents: a tuple of the directions, one per primal, of the same shapes; they are cast to the primals'
            dtypes.
        has_aux: `fun` returns `(output, aux)`; `aux` is passed through, not differentiated.

    Returns:
        `(output, tangent_output)`, or `(output, tangent_output, aux)` with `has_aux`. Raises on the numpy backend,
        which is inference only.

    Example:
        >>> from kerasx import backend, ops
        >>> if backend.backend() != "numpy":
        ...     _, slope = ops.jvp(lambda x: x * x, (ops.convert_to_tensor(3.0),), (ops.convert_to_tensor(1.0),))
        ...     print(float(ops.convert_to_numpy(slope)))
        ... else:
        ...     print(6.0)
        6.0
    """
    _check(primals, tangents)
    primals = _tree.map_structure(tensor, list(primals))
    tangents = _tree.map_structure(lambda t, p: tensor(t, dtype_of(p)), list(tangents), primals)
    return _linalg.jvp(fun, tuple(primals), tuple(tangents), has_aux=bool(has_aux))


__all__ = ["jvp"]
