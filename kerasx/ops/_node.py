"""`Node`: one call of an operation (a layer or an op) on symbolic tensors; the edges of a functional graph."""

from __future__ import annotations

from kerasx.backend import _tree
from kerasx.ops._keras_tensor import KerasTensor


class Node:
    """Records `outputs = operation(*args, **kwargs)` where some args are KerasTensors.

    Every output KerasTensor gets `_history = (node, index)`, so a graph can be walked back from outputs to inputs
    and replayed with real tensors: `operation(*args_with_values, **kwargs_with_values)`.

    Example:
        >>> import kerasx
        >>> x = kerasx.Input(shape=(3,))
        >>> y = kerasx.layers.Dense(2)(x)
        >>> node, index = y._history
        >>> type(node.operation).__name__, index
        ('Dense', 0)
        >>> node.input_tensors[0] is x, node.output_tensors[0] is y
        (True, True)
    """

    __slots__ = ("operation", "args", "kwargs", "outputs", "input_tensors", "output_tensors")

    def __init__(self, operation, args, kwargs, outputs):
        self.operation = operation
        self.args = tuple(args)
        self.kwargs = dict(kwargs)
        self.outputs = outputs
        self.input_tensors = [t for t in _tree.flatten((self.args, self.kwargs)) if isinstance(t, KerasTensor)]
        self.output_tensors = [t for t in _tree.flatten(outputs) if isinstance(t, KerasTensor)]
        if not all(t.record_history for t in self.input_tensors):
            return  # an input made with `record_history=False` keeps its results out of any graph, as in Keras 3
        for index, tensor in enumerate(self.output_tensors):
            tensor._history = (self, index)

    @property
    def parent_nodes(self) -> list:
        return [t._history[0] for t in self.input_tensors if t._history is not None]

    def __repr__(self):
        name = getattr(self.operation, "name", None) or getattr(self.operation, "__name__", "operation")
        return f"<Node {name}: {len(self.input_tensors)} inputs -> {len(self.output_tensors)} outputs>"
