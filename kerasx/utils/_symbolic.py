"""Symbolic tensors: `is_keras_tensor`, and `get_source_inputs`, the `Input` tensors one was computed from."""

from __future__ import annotations

from kerasx.ops import KerasTensor


def is_keras_tensor(x) -> bool:
    """Whether `x` is a symbolic tensor (a `KerasTensor`, as `keras.Input` and functional-model layers give).

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> kerasx.utils.is_keras_tensor(kerasx.Input((3,))), kerasx.utils.is_keras_tensor(np.ones(3))
    (True, False)
    """
    return isinstance(x, KerasTensor)


def get_source_inputs(tensor) -> list:
    """The input tensors (made by `keras.Input`) that `tensor` depends on, each once, in the order met.

    A tensor without history is its own source; anything that is not a symbolic tensor is returned unchanged.

    Args:
        tensor: a symbolic tensor (a `KerasTensor`).

    Returns:
        A list of input `KerasTensor`s.

    Example:

    >>> import kerasx
    >>> a, b = kerasx.Input((3,), name="a"), kerasx.Input((3,), name="b")
    >>> c = kerasx.layers.Add()([a, kerasx.layers.Dense(3)(b)])
    >>> [x.name for x in kerasx.utils.get_source_inputs(c)]
    ['a', 'b']
    """
    if not isinstance(tensor, KerasTensor):
        return tensor
    if tensor._history is None:
        return [tensor]
    node = tensor._history[0]
    if not node.input_tensors:
        return list(node.output_tensors)
    sources: list = []
    for parent in node.input_tensors:
        for source in get_source_inputs(parent):
            if all(source is not known for known in sources):
                sources.append(source)
    return sources
