"""`Function`: the graph of operations between some KerasTensors and others, callable on new inputs (what
`keras.Function` is: a functional model without weights tracking, training or the Layer API)."""

from __future__ import annotations

from kerasx.backend import _tree
from kerasx.models._graph import Graph
from kerasx.ops import KerasTensor
from kerasx.ops._operation import Operation
from kerasx.tree import map_shape_structure

NO_TENSORS = "`{argument}` of a Function cannot be empty. Received: inputs={inputs}, outputs={outputs}."
NOT_KERAS_TENSORS = (
    "A Function is built from KerasTensors (e.g. `kerasx.KerasTensor((None, 3))` or `kerasx.Input((3,))`). "
    "Received: {argument}={value!r}."
)
INPUT_COUNT = (
    "Function '{name}' takes {expected} input(s) structured like its `inputs`. Received {received} input(s): "
    "{inputs!r}."
)


class Function(Operation):
    """The computation from `inputs` to `outputs`, captured once and applied to new inputs.

    Building KerasTensors through ops and layers records a graph; `Function(inputs, outputs)` keeps the part
    between them. Calling it with arrays or tensors (in the structure of `inputs`) runs those operations again and
    returns `outputs`' structure; calling it with KerasTensors returns new KerasTensors.

    Args:
        inputs: a KerasTensor, or a list/dict/nested structure of them.
        outputs: a KerasTensor, or a structure of them, computable from `inputs` alone.
        name: the function's name.

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> a, b = kerasx.KerasTensor((None, 2)), kerasx.KerasTensor((None, 2))
    >>> total = kerasx.Function([a, b], kerasx.ops.add(a, b) * 2.0)
    >>> kerasx.ops.convert_to_numpy(total([np.ones((1, 2)), np.ones((1, 2))])).tolist()
    [[4.0, 4.0]]
    """

    def __init__(self, inputs, outputs, name: str | None = None):
        super().__init__(name=name)
        for argument, value in (("inputs", inputs), ("outputs", outputs)):
            flat = _tree.flatten(value)
            if not flat:
                raise ValueError(NO_TENSORS.format(argument=argument, inputs=inputs, outputs=outputs))
            if not all(isinstance(x, KerasTensor) for x in flat):
                raise TypeError(NOT_KERAS_TENSORS.format(argument=argument, value=value))
        self._inputs_struct = _tree.map_structure(lambda x: x, inputs)
        self._outputs_struct = _tree.map_structure(lambda x: x, outputs)
        self._inputs = _tree.flatten(inputs)
        self._outputs = _tree.flatten(outputs)
        self._graph = Graph(self._inputs, self._outputs)

    @property
    def inputs(self) -> list:
        """The input KerasTensors, flat."""
        return list(self._inputs)

    @property
    def outputs(self) -> list:
        """The output KerasTensors, flat."""
        return list(self._outputs)

    @property
    def operations(self) -> list:
        """The operations of the graph once each, in the order they run."""
        seen, operations = set(), []
        for node in self._graph.nodes:
            if id(node.operation) not in seen and node.input_tensors:
                seen.add(id(node.operation))
                operations.append(node.operation)
        return operations

    def call(self, inputs):
        flat = _tree.flatten(inputs)
        if len(flat) != len(self._inputs):
            raise ValueError(
                INPUT_COUNT.format(name=self.name, expected=len(self._inputs), received=len(flat), inputs=inputs)
            )
        values = self._graph.run(self._inputs, flat, _run_node)
        return _tree.pack_sequence_as(self._outputs_struct, [values[id(t)] for t in self._outputs])

    def compute_output_spec(self, inputs):
        return self.call(inputs)

    def compute_output_shape(self, input_shape):
        """The output shapes (in the structure of `outputs`) for inputs of `input_shape` (in the structure of
        `inputs`), found by running the graph on KerasTensors of the inputs' dtypes.

        Example:
            >>> import kerasx
            >>> x = kerasx.KerasTensor((None, 3))
            >>> double = kerasx.Function(x, kerasx.ops.concatenate([x, x], axis=-1))
            >>> double.compute_output_shape((5, 3))
            (5, 6)
        """
        # Shapes are tuples, which `flatten` would open: each becomes a placeholder first, then gets its input's dtype.
        placeholders = _tree.flatten(map_shape_structure(KerasTensor, input_shape))
        tensors = [KerasTensor(t.shape, reference.dtype) for t, reference in zip(placeholders, self._inputs)]
        outputs = self.compute_output_spec(_tree.pack_sequence_as(self._inputs_struct, tensors))
        return _tree.map_structure(lambda tensor: tensor.shape, outputs)

    def get_config(self) -> dict:
        # The graph itself is not a plain value; like Keras 3, a Function is rebuilt from code, not from a config.
        return {"name": self.name}


def _run_node(node, args, kwargs):
    return node.operation(*args, **kwargs)
