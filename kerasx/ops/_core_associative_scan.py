"""`associative_scan`: all prefix combinations of a sequence under an associative function, in O(log n) rounds
of elementwise work (the parallel-prefix algorithm of `jax.lax.associative_scan`), on every engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerasx.backend import _tree, active
from kerasx.ops._dispatch import op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor

_np = active.numpy

BAD_SCAN_AXIS = (
    "`associative_scan` needs tensors that agree on the size of `axis` ({axis}). Received: shapes {shapes}."
)


def _slice(x, axis, start, stop=None, step=None):
    key = (slice(None),) * axis + (slice(start, stop, step),)
    return x[key]


def _interleave(evens, odds, axis):
    """[e0, o0, e1, o1, ...] along `axis`; `evens` may have one more element than `odds`."""
    count_even, count_odd = shape_of(evens)[axis], shape_of(odds)[axis]
    if count_even > count_odd:
        # Pad the odds with one copy of the last even, interleave, and drop it again.
        odds = _np.concatenate([odds, _slice(evens, axis, count_even - 1, count_even)], axis=axis)
    pairs = _np.stack([evens, odds], axis=axis + 1)
    shape = tuple(shape_of(evens))
    merged = _np.reshape(pairs, shape[:axis] + (2 * shape[axis],) + shape[axis + 1:])
    return _slice(merged, axis, 0, count_even + count_odd)


def _scan(f, leaves, structure, axis):
    def combine(a, b):
        return _tree.flatten(f(_tree.pack_sequence_as(structure, a), _tree.pack_sequence_as(structure, b)))

    size = shape_of(leaves[0])[axis]
    if size < 2:
        return leaves
    reduced = combine([_slice(x, axis, 0, -1, 2) for x in leaves], [_slice(x, axis, 1, None, 2) for x in leaves])
    odds = _scan(f, reduced, structure, axis)
    if size % 2 == 0:
        evens = combine([_slice(x, axis, 0, -1) for x in odds], [_slice(x, axis, 2, None, 2) for x in leaves])
    else:
        evens = combine(odds, [_slice(x, axis, 2, None, 2) for x in leaves])
    evens = [_np.concatenate([_slice(x, axis, 0, 1), e], axis=axis) for x, e in zip(leaves, evens)]
    return [_interleave(e, o, axis) for e, o in zip(evens, odds)]


def _associative_scan_spec(f, elems, reverse=False, axis=0):
    return _tree.map_structure(lambda t: KerasTensor(t.shape, t.dtype), elems)


@op(_associative_scan_spec)
def associative_scan(f: Callable[[Any, Any], Any], elems: Any, reverse: bool = False, axis: int = 0) -> Any:
    """Inclusive scan of `elems` along `axis` with an associative `f`: result `i` combines elements `0..i`.

    `f` is applied to whole slices at once, about `2 log2(n)` times, so it must be associative and work
    elementwise on batches (like `ops.add` or a function of tuples of tensors).

    Args:
        f: `f(a, b)` -> combined, for `a`, `b` with the structure of `elems`.
        elems: a tensor or a nested structure of tensors sharing the size of `axis`.
        reverse: scan from the end (result `i` combines elements `i..n-1`).
        axis: the axis to scan along.

    Returns:
        The structure of `elems`, each tensor of the same shape.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.associative_scan(ops.add, ops.convert_to_tensor([1, 2, 3, 4, 5])))
        array([ 1,  3,  6, 10, 15], dtype=int32)
    """
    structure = elems
    leaves = [tensor(x) for x in _tree.flatten(elems)]
    axis = axis % len(shape_of(leaves[0]))
    sizes = {shape_of(x)[axis] for x in leaves}
    if len(sizes) != 1:
        raise ValueError(BAD_SCAN_AXIS.format(axis=axis, shapes=[tuple(shape_of(x)) for x in leaves]))
    if reverse:
        leaves = [_np.flip(x, axis=(axis,)) for x in leaves]
    results = _scan(f, leaves, structure, axis)
    if reverse:
        results = [_np.flip(x, axis=(axis,)) for x in results]
    return _tree.pack_sequence_as(structure, results)


__all__ = ["associative_scan"]
