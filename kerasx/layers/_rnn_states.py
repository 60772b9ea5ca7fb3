"""The states of an `RNN`: their nesting (a cell's `state_size` may be an int, a list, or a list of lists for
`StackedRNNCells`), zero states, the variables of a `stateful=True` layer, and the dropout masks a cell holds for
one sequence.

The layer runs on a flat list of state tensors; `pack_states` gives them back the cell's nesting where the cell or
the user sees them (the cell's `call`, `return_state`).
"""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import Variable


def flat_state_sizes(state_size) -> list:
    """The sizes of every state tensor, in order: `[[3, 3], 2]` gives `[3, 3, 2]`."""
    if isinstance(state_size, (list, tuple)):
        return [size for item in state_size for size in flat_state_sizes(item)]
    return [state_size]


def flatten_states(states) -> list:
    if isinstance(states, (list, tuple)):
        return [leaf for item in states for leaf in flatten_states(item)]
    return [states]


def pack_states(state_size, flat) -> list:
    """`flat` nested as `state_size` is, always as a top-level list (a single state is `[state]`): an int entry
    takes one tensor, a list entry a list of as many tensors as it has sizes."""
    sizes = state_size if isinstance(state_size, (list, tuple)) else [state_size]
    packed, index = [], 0
    for item in sizes:
        count = len(flat_state_sizes(item))
        if isinstance(item, (list, tuple)):
            packed.append(pack_states(item, flat[index : index + count]))
        else:
            packed.append(flat[index])
        index += count
    return packed


def zero_states(sequences, shape: tuple, dtype):
    """`(batch, *shape)` zeros for a `(batch, time, ...)` input. With a batch size known only at run time (a traced
    TensorFlow function) `ops.zeros` cannot take it, so the zeros are shaped from the input instead."""
    batch_size = ops.shape(sequences)[0]
    if isinstance(batch_size, int):
        return ops.zeros((batch_size,) + tuple(shape), dtype=dtype)
    first = ops.reshape(ops.cast(sequences[:, 0], dtype), (-1, 1, _size(ops.shape(sequences)[2:])))[:, :, 0]
    column = ops.reshape(ops.zeros_like(first), (-1,) + (1,) * len(shape))
    return ops.add(column, ops.zeros(tuple(shape), dtype=dtype))


def _size(shape) -> int:
    total = 1
    for dim in shape:
        total *= dim
    return total


class StateSlot:
    """Holds one state Variable of a stateful RNN. Layers track helpers that have a Variable `state` as state (in
    `variables` and `non_trainable_variables`, carried through compiled steps) and not as weights, which is what
    Keras 3 does with these variables: `get_weights()` and saved files leave them out."""

    def __init__(self, value, dtype):
        self.state = Variable(value, dtype=dtype, trainable=False, name="rnn_state")


def hold_dropout_masks(cell, step_input, states: list, training, next_input) -> None:
    """Draws the dropout masks of `cell` (and of every cell of a `StackedRNNCells`) for one sequence and has the
    cells use them at every step, as Keras does, instead of drawing new ones per step. `next_input(size)` makes a
    `(batch, size)` tensor standing for the input of a cell after the first."""
    cells = getattr(cell, "cells", None)
    if cells is None:
        if hasattr(cell, "draw_dropout_masks"):
            object.__setattr__(cell, "_sequence_masks", cell.draw_dropout_masks(step_input, states[0], training))
        return
    index = 0
    for inner in cells:
        count = len(flat_state_sizes(inner.state_size))
        hold_dropout_masks(inner, step_input, states[index : index + count], training, next_input)
        index += count
        size = getattr(inner, "output_size", None)
        step_input = next_input(flat_state_sizes(inner.state_size)[0] if size is None else size)


def release_dropout_masks(cell) -> None:
    for inner in getattr(cell, "cells", None) or [cell]:
        if inner is not cell:
            release_dropout_masks(inner)
        elif "_sequence_masks" in cell.__dict__:
            object.__delattr__(cell, "_sequence_masks")
