"""`StackedRNNCells`: several recurrent cells used as one cell, each step feeding one cell's output to the next."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers._layer import Layer
from kerasx.layers._rnn_states import flat_state_sizes, flatten_states, pack_states
from kerasx.serialization import _registry

NOT_A_CELL_LIST = (
    "StackedRNNCells expects a list of cells: layers with a `state_size` attribute and a `call(inputs, states)` "
    "method. Received: cells={cells!r}. Pass e.g. `[kerasx.layers.LSTMCell(8), kerasx.layers.LSTMCell(8)]`."
)


def _is_cell(cell) -> bool:
    return callable(getattr(cell, "call", None)) and hasattr(cell, "state_size")


def serialize_cell(cell) -> dict:
    """A cell's `{"class_name", "config"}`, with Keras 3's `module` for kerasx's own cells: Keras reads the nested
    cell of an RNN config without the layers' lookup table, and finds a class named without a module only among a
    few (StackedRNNCells is not one)."""
    config = _registry.serialize_keras_object(cell)
    if type(cell).__module__.startswith("kerasx.layers."):
        config = {"module": "keras.layers", **config, "registered_name": None}
    return config


def _output_size(cell) -> int:
    size = getattr(cell, "output_size", None)
    return flat_state_sizes(cell.state_size)[0] if size is None else size


@_registry.builtin
class StackedRNNCells(Layer):
    """Stacks recurrent cells into one cell for `RNN`: at each step the first cell reads the step's input, each next
    cell reads the output of the one before, and the output is the last cell's.

    `state_size` is the list of the cells' own `state_size`s, so the states are nested per cell: an `RNN` with
    `return_state=True` returns `[output, cell_0_states, cell_1_states, ...]` (a list for a cell with several
    states, a tensor for one with an int `state_size`), and takes `initial_state` in that form.

    Args:
        cells: list of cells (`LSTMCell`, `GRUCell`, `SimpleRNNCell`, or any layer with `state_size` and
            `call(inputs, states)`).
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, features)` tensor, one time step.
        states: list with the states of each cell.
        training: passed to the cells that take it.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> cells = kerasx.layers.StackedRNNCells([kerasx.layers.LSTMCell(4), kerasx.layers.GRUCell(3)])
        >>> cells.state_size, cells.output_size
        ([[4, 4], 3], 3)
        >>> output, (h, c), gru_state = kerasx.layers.RNN(cells, return_state=True)(np.zeros((2, 5, 6)))
        >>> kerasx.ops.shape(output), kerasx.ops.shape(c), kerasx.ops.shape(gru_state)
        ((2, 3), (2, 4), (2, 3))
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(cells, (list, tuple)) or not cells or not all(_is_cell(cell) for cell in cells):
            raise ValueError(NOT_A_CELL_LIST.format(cells=cells))
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None) -> list:
        """Zero states of every cell, nested as `state_size`."""
        states = []
        for cell in self.cells:
            getter = getattr(cell, "get_initial_state", None)
            if getter is not None:
                flat = flatten_states(getter(batch_size))
            else:
                sizes = flat_state_sizes(cell.state_size)
                flat = [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in sizes]
            nested = isinstance(cell.state_size, (list, tuple))
            states.append(pack_states(cell.state_size, flat) if nested else flat[0])
        return states

    def build(self, input_shape):
        batch_size = input_shape[0]
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(tuple(input_shape))  # in this layer's scope: "rnn/stacked_rnn_cells/lstm_cell/kernel"
            input_shape = (batch_size, _output_size(cell))

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            nested = isinstance(cell_states, (list, tuple))
            cell_states = list(cell_states) if nested else [cell_states]
            if isinstance(cell, Layer) and cell._call_signature().has_training:
                inputs, cell_new_states = cell.call(inputs, cell_states, training=training)
            else:
                inputs, cell_new_states = cell.call(inputs, cell_states)
            cell_new_states = flatten_states(cell_new_states)
            new_states.append(cell_new_states if nested else cell_new_states[0])
        return inputs, new_states

    def get_config(self) -> dict:
        config = super().get_config()
        config["cells"] = [serialize_cell(cell) for cell in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["cells"] = [
            _registry.deserialize_keras_object(cell, custom_objects, kind="layer") for cell in config["cells"]
        ]
        return cls(**config)
