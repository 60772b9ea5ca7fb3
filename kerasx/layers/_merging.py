"""Elementwise merging layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`, their function forms
(`add([x, y])`, ...), and the base class that checks the input shapes.

Inputs of lower rank get size-1 axes inserted after the batch axis (as in Keras), then all inputs broadcast.
"""

from __future__ import annotations

from kerasx import ops
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry

NOT_A_LIST = (
    "Layer '{name}' ({cls}) must be called on a list of at least {minimum} tensors, e.g. `{cls}()([x, y])`. "
    "Received: input_shape={shapes}."
)
WRONG_COUNT = (
    "Layer '{name}' ({cls}) must be called on exactly {expected} tensors. Received {received} inputs with "
    "shapes {shapes}."
)
BATCH_MISMATCH = (
    "Layer '{name}' ({cls}) cannot merge tensors with different batch sizes. Received: input shapes {shapes}. "
    "Give every input the same batch size."
)
INCOMPATIBLE_SHAPES = (
    "Layer '{name}' ({cls}) cannot merge inputs of shapes {shape_a} and {shape_b}: along axis {axis} the sizes "
    "{size_a} and {size_b} neither match nor is one of them 1, so they do not broadcast. Received: input shapes "
    "{shapes}."
)


def as_shape_list(layer, input_shape, minimum=2, exactly=None) -> list:
    """The input shapes as a list of tuples; raises when `input_shape` is not a list of `minimum`+ shapes."""
    cls = type(layer).__name__
    is_list = isinstance(input_shape, (list, tuple)) and all(isinstance(s, (list, tuple)) for s in input_shape)
    if not is_list or len(input_shape) < minimum:
        raise ValueError(NOT_A_LIST.format(name=layer.name, cls=cls, minimum=minimum, shapes=input_shape))
    shapes = [tuple(s) for s in input_shape]
    if exactly is not None and len(shapes) != exactly:
        raise ValueError(
            WRONG_COUNT.format(name=layer.name, cls=cls, expected=exactly, received=len(shapes), shapes=shapes)
        )
    batches = {s[0] for s in shapes if s} - {None}
    if len(batches) > 1:
        raise ValueError(BATCH_MISMATCH.format(name=layer.name, cls=cls, shapes=shapes))
    return shapes


def _align(shape, rank) -> tuple:
    return (shape[0], *(1,) * (rank - len(shape)), *shape[1:]) if shape else (1,) * rank


def _broadcast_pair(layer, shape_a, shape_b, shapes) -> tuple:
    result = []
    for axis, (a, b) in enumerate(zip(shape_a, shape_b)):
        if a == 1:
            result.append(b)
        elif b == 1 or a == b:
            result.append(a)
        elif a is None or b is None:
            result.append(a if b is None else b)
        else:
            raise ValueError(
                INCOMPATIBLE_SHAPES.format(
                    name=layer.name, cls=type(layer).__name__, shape_a=shape_a, shape_b=shape_b, axis=axis,
                    size_a=a, size_b=b, shapes=shapes,
                )
            )
    return tuple(result)


class Merge(Layer):
    """Base of the elementwise merging layers: subclasses define `_merge(tensors)` on same-rank tensors.

    Args:
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: list of tensors whose shapes broadcast (after inserting size-1 axes after the batch axis of
            lower-rank inputs).
    """

    supports_masking = True
    _num_inputs = None

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape):
        shapes = as_shape_list(self, input_shape, exactly=self._num_inputs)
        rank = max(len(s) for s in shapes)
        output = _align(shapes[0], rank)
        for shape in shapes[1:]:
            output = _broadcast_pair(self, output, _align(shape, rank), shapes)
        return output

    def compute_output_spec(self, inputs, **kwargs):
        self.compute_output_shape([tuple(x.shape) for x in inputs])
        return self.call(inputs, **kwargs)

    def call(self, inputs):
        rank = max(len(ops.shape(x)) for x in inputs)
        aligned = []
        for x in inputs:
            while len(ops.shape(x)) < rank:
                x = ops.expand_dims(x, 1)
            aligned.append(x)
        return self._merge(aligned)

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask):
            return None
        masks = [m for m in mask if m is not None]
        result = masks[0]
        for m in masks[1:]:
            result = ops.logical_and(result, m)
        return result


def _reduce(fn, tensors):
    result = tensors[0]
    for x in tensors[1:]:
        result = fn(result, x)
    return result


@_registry.builtin
class Add(Merge):
    """Sum of the inputs: `Add()([x1, x2, ...])`.

    Args:
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: list of tensors whose shapes broadcast; a lower-rank input gets size-1 axes after its batch axis.

    Output shape: the broadcast shape of the inputs.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 2.0]]), np.array([[10.0, 20.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Add()([x1, x2])))
        [[11. 22.]]
    """

    def _merge(self, tensors):
        return _reduce(ops.add, tensors)


@_registry.builtin
class Subtract(Merge):
    """Difference of exactly two inputs: `Subtract()([x1, x2]) = x1 - x2`.

    Args:
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: list of two tensors whose shapes broadcast.

    Output shape: the broadcast shape of the inputs.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[5.0, 7.0]]), np.array([[1.0, 2.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Subtract()([x1, x2])))
        [[4. 5.]]
    """

    _num_inputs = 2

    def _merge(self, tensors):
        return ops.subtract(tensors[0], tensors[1])


@_registry.builtin
class Multiply(Merge):
    """Elementwise product of the inputs.

    Args:
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: list of tensors whose shapes broadcast; a lower-rank input gets size-1 axes after its batch axis.

    Output shape: the broadcast shape of the inputs.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Multiply()([x1, x2])))
        [[3. 8.]]
    """

    def _merge(self, tensors):
        return _reduce(ops.multiply, tensors)


@_registry.builtin
class Average(Merge):
    """Elementwise mean of the inputs (integer inputs give floatx).

    Args:
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: list of tensors whose shapes broadcast; a lower-rank input gets size-1 axes after its batch axis.

    Output shape: the broadcast shape of the inputs.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 2.0]]), np.array([[3.0, 6.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Average()([x1, x2])))
        [[2. 4.]]
    """

    def _merge(self, tensors):
        return ops.divide(_reduce(ops.add, tensors), len(tensors))


@_registry.builtin
class Maximum(Merge):
    """Elementwise maximum of the inputs.

    Args:
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: list of tensors whose shapes broadcast; a lower-rank input gets size-1 axes after its batch axis.

    Output shape: the broadcast shape of the inputs.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 5.0]]), np.array([[3.0, 4.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Maximum()([x1, x2])))
        [[3. 5.]]
    """

    def _merge(self, tensors):
        return _reduce(ops.maximum, tensors)


@_registry.builtin
class Minimum(Merge):
    """Elementwise minimum of the inputs.

    Args:
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: list of tensors whose shapes broadcast; a lower-rank input gets size-1 axes after its batch axis.

    Output shape: the broadcast shape of the inputs.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 5.0]]), np.array([[3.0, 4.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.Minimum()([x1, x2])))
        [[1. 4.]]
    """

    def _merge(self, tensors):
        return _reduce(ops.minimum, tensors)


def add(inputs, **kwargs):
    """`Add(**kwargs)(inputs)`: sum of a list of tensors.

    Args:
        inputs: list of tensors whose shapes broadcast.
        **kwargs: arguments of the `Add` layer (e.g. `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 5.0]]), np.array([[3.0, 4.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.add([x1, x2])))
        [[4. 9.]]
        >>> a, b = kerasx.Input(shape=(8,)), kerasx.Input(shape=(8,))
        >>> kerasx.layers.add([a, b]).shape
        (None, 8)
    """
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """`Subtract(**kwargs)(inputs)`: difference of two tensors.

    Args:
        inputs: list of two tensors whose shapes broadcast.
        **kwargs: arguments of the `Subtract` layer (e.g. `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 5.0]]), np.array([[3.0, 4.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.subtract([x1, x2])))
        [[-2.  1.]]
        >>> a, b = kerasx.Input(shape=(8,)), kerasx.Input(shape=(8,))
        >>> kerasx.layers.subtract([a, b]).shape
        (None, 8)
    """
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """`Multiply(**kwargs)(inputs)`: elementwise product of a list of tensors.

    Args:
        inputs: list of tensors whose shapes broadcast.
        **kwargs: arguments of the `Multiply` layer (e.g. `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 5.0]]), np.array([[3.0, 4.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.multiply([x1, x2])))
        [[ 3. 20.]]
        >>> a, b = kerasx.Input(shape=(8,)), kerasx.Input(shape=(8,))
        >>> kerasx.layers.multiply([a, b]).shape
        (None, 8)
    """
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """`Average(**kwargs)(inputs)`: elementwise mean of a list of tensors.

    Args:
        inputs: list of tensors whose shapes broadcast.
        **kwargs: arguments of the `Average` layer (e.g. `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 5.0]]), np.array([[3.0, 4.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.average([x1, x2])))
        [[2.  4.5]]
        >>> a, b = kerasx.Input(shape=(8,)), kerasx.Input(shape=(8,))
        >>> kerasx.layers.average([a, b]).shape
        (None, 8)
    """
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """`Maximum(**kwargs)(inputs)`: elementwise maximum of a list of tensors.

    Args:
        inputs: list of tensors whose shapes broadcast.
        **kwargs: arguments of the `Maximum` layer (e.g. `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 5.0]]), np.array([[3.0, 4.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.maximum([x1, x2])))
        [[3. 5.]]
        >>> a, b = kerasx.Input(shape=(8,)), kerasx.Input(shape=(8,))
        >>> kerasx.layers.maximum([a, b]).shape
        (None, 8)
    """
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """`Minimum(**kwargs)(inputs)`: elementwise minimum of a list of tensors.

    Args:
        inputs: list of tensors whose shapes broadcast.
        **kwargs: arguments of the `Minimum` layer (e.g. `name`).

    Returns:
        The merged tensor (a KerasTensor for symbolic inputs).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> x1, x2 = np.array([[1.0, 5.0]]), np.array([[3.0, 4.0]])
        >>> print(kerasx.ops.convert_to_numpy(kerasx.layers.minimum([x1, x2])))
        [[1. 4.]]
        >>> a, b = kerasx.Input(shape=(8,)), kerasx.Input(shape=(8,))
        >>> kerasx.layers.minimum([a, b]).shape
        (None, 8)
    """
    return Minimum(**kwargs)(inputs)
