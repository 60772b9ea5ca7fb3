"""`RNN`: runs a recurrent cell over the time axis of a sequence with `ops.scan`.

The loop is `ops.scan` on every engine (`lax.scan` on JAX, a `tf.while_loop` on TensorFlow, a Python loop on torch
and numpy), so the layer works eagerly and inside compiled steps. The input projection of the built-in cells runs
once for the whole sequence before the loop (see `_rnn_cell`); each step then does the recurrent matmul, the gates,
and, with a mask, two `where`s that keep the previous state and output at masked steps.

LSTM and GRU first offer the whole sequence to the engine's own recurrent kernel (`run_fused`; torch has one, the
compiling engines fuse the scan themselves). It is taken only where its equations are the cell's: no mask, the
built-in cell with tanh/sigmoid, no dropout in this call; otherwise the scan runs.
"""

from __future__ import annotations

from kerasx import activations, ops, regularizers
from kerasx.layers import _rnn_states
from kerasx.layers._layer import Layer
from kerasx.layers._rnn_states import flat_state_sizes, flatten_states, pack_states, zero_states
from kerasx.layers._stacked_rnn_cells import StackedRNNCells, serialize_cell
from kerasx.serialization import _registry

NOT_A_CELL = (
    "RNN expects a cell: a layer with a `state_size` attribute and a `call(inputs, states)` method returning "
    "`(output, new_states)`. Received: cell={cell!r}. Pass e.g. `kerasx.layers.LSTMCell(units)`."
)
STATEFUL_DYNAMIC_BATCH = (
    "Layer '{name}' ({cls}) has `stateful=True`, so it keeps one state per batch row and needs a fixed batch size. "
    "Received: input_shape={shape}. Give the model's input a batch size: `kerasx.Input(batch_shape=(32, ...))`."
)
STATEFUL_BATCH_CHANGED = (
    "Layer '{name}' ({cls}) has `stateful=True` and states for batches of {expected}. Received: a batch of "
    "{received} (input_shape={shape}). Feed batches of {expected} (e.g. `batch_size={expected}` with inputs whose "
    "length is a multiple of it), or make a new layer."
)
UNROLL_UNKNOWN_LENGTH = (
    "Layer '{name}' ({cls}) has `unroll=True`, which needs a known number of time steps. Received: "
    "input_shape={shape}. Give the input its length, e.g. `kerasx.Input(shape=(10, 8))`, or pass `unroll=False`."
)
BAD_RANK = (
    "Layer '{name}' ({cls}) expects inputs of shape (batch, timesteps, features). Received: input_shape={shape}. "
    "Reshape the input to rank 3."
)
WRONG_STATE_COUNT = (
    "Layer '{name}' ({cls}) has {expected} state(s), but `initial_state` has {received}. "
    "Pass a list with one (batch, size) tensor per state: sizes {sizes}."
)
BAD_STATE_SHAPE = (
    "Layer '{name}' ({cls}): initial state {index} should have shape (batch, {size}). Received: shape={shape}."
)

BAD_MASK_SHAPE = (
    "Layer '{name}' ({cls}): the mask should have shape (batch, timesteps) = {expected}. Received: shape={shape}."
)


def _is_cell(cell) -> bool:
    return isinstance(cell, Layer) and hasattr(cell, "state_size")


def state_sizes(cell) -> list:
    """The size of every state tensor of `cell`, flat (a `StackedRNNCells`' nested sizes in order)."""
    return flat_state_sizes(cell.state_size)


def cell_attribute(name: str) -> property:
    """A read-only property forwarding to the cell's attribute (Keras 3 layers expose `lstm.units` etc.)."""
    return property(lambda self: getattr(self.cell, name), doc=f"The cell's `{name}`.")


class CellWeightOptions:
    """The initializers, regularizers and constraints of a SimpleRNN's, LSTM's, GRU's or ConvLSTM's cell, read
    through the layer (`lstm.kernel_initializer`), as Keras 3's layers expose them."""

    kernel_initializer = cell_attribute("kernel_initializer")
    recurrent_initializer = cell_attribute("recurrent_initializer")
    bias_initializer = cell_attribute("bias_initializer")
    kernel_regularizer = cell_attribute("kernel_regularizer")
    recurrent_regularizer = cell_attribute("recurrent_regularizer")
    bias_regularizer = cell_attribute("bias_regularizer")
    kernel_constraint = cell_attribute("kernel_constraint")
    recurrent_constraint = cell_attribute("recurrent_constraint")
    bias_constraint = cell_attribute("bias_constraint")


# The methods that define what a built-in cell computes over a sequence.
_CELL_COMPUTATION = ("prepare", "step", "step_weights", "input_bias", "call")


def fusable_cell(cell, cell_class, training) -> bool:
    """True when `cell` computes exactly the equations of the built-in `cell_class` that engines' fused kernels
    implement: the class's own computation (a subclass may override it), tanh and sigmoid activations, and no
    dropout mask drawn in this call."""
    kind = type(cell)
    return (
        all(getattr(kind, name) is getattr(cell_class, name) for name in _CELL_COMPUTATION)
        and cell.activation is activations.tanh
        and cell.recurrent_activation is activations.sigmoid
        and not (training and (0 < cell.dropout < 1 or 0 < cell.recurrent_dropout < 1))
    )


def _output_size(cell) -> int:
    size = getattr(cell, "output_size", None)
    return state_sizes(cell)[0] if size is None else size


def _ones_column(sequences, size: int, dtype):
    return ops.ones_like(zero_states(sequences, (size,), dtype))


@_registry.builtin
class RNN(Layer):
    """Recurrent layer: applies `cell` to every time step of a `(batch, timesteps, features)` input.

    Args:
        cell: a recurrent cell (e.g. `LSTMCell(units)`), a layer with `state_size` (int or list of ints), optional
            `output_size`, and `call(inputs, states, training=...) -> (output, new_states)`; or a list of cells,
            stacked in a `StackedRNNCells`.
        return_sequences: return the output of every step `(batch, timesteps, units)` instead of the last one.
        return_state: also return the final states: `[output, *states]`.
        go_backwards: process the sequence from the last step to the first (the returned sequence is in that
            reversed order too).
        stateful: keep the final states of each call and start the next call from them (row `i` of a batch
            continues row `i` of the previous batch), until `reset_states()`. Needs a fixed batch size.
        unroll: run the steps as straight-line code instead of a loop (the number of steps must be known): more
            memory, sometimes faster for short sequences, and what ONNX export from tensorflow needs for
            `return_sequences`. The engine's whole-layer kernel is not used then.
        zero_output_for_mask: with a mask and `return_sequences`, output zeros at masked steps instead of
            repeating the previous output.
        **kwargs: base Layer arguments.

    Call arguments:
        sequences: `(batch, timesteps, features)` tensor.
        initial_state: list of `(batch, size)` tensors, one per state (nested as the cell's `state_size` for
            `StackedRNNCells`); default zeros, or the kept states of a stateful layer.
        mask: `(batch, timesteps)` booleans; at False steps the states and output carry over unchanged.
        training: enables dropout in the cell.

    Output shape: `(batch, units)`, or `(batch, timesteps, units)` with `return_sequences`; with `return_state`, a
    list `[output, *final_states]` (the states nested as the cell's `state_size`).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> cell = kerasx.layers.SimpleRNNCell(
        ...     2, activation=None, kernel_initializer="ones", recurrent_initializer="identity")
        >>> layer = kerasx.layers.RNN(cell, return_sequences=True)
        >>> x = np.array([[[1.0], [2.0], [3.0]]])
        >>> print(kerasx.ops.convert_to_numpy(layer(x)))
        [[[1. 1.]
          [3. 3.]
          [6. 6.]]]
        >>> output, *states = kerasx.layers.RNN(kerasx.layers.LSTMCell(4), return_state=True)(np.zeros((2, 5, 3)))
        >>> kerasx.ops.shape(output), [kerasx.ops.shape(state) for state in states]
        ((2, 4), [(2, 4), (2, 4)])
    """

    supports_masking = True
    # Present when the cell has them (always for SimpleRNN, LSTM, GRU).
    units = cell_attribute("units")
    activation = cell_attribute("activation")
    use_bias = cell_attribute("use_bias")
    dropout = cell_attribute("dropout")
    recurrent_dropout = cell_attribute("recurrent_dropout")

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(cell, (list, tuple)):
            # Keras 3 stacks a list of cells (each one's output feeds the next) in one cell.
            cell = StackedRNNCells(list(cell))
        if not _is_cell(cell):
            raise TypeError(NOT_A_CELL.format(cell=cell))
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self._state_slots = []

    @property
    def state_size(self):
        return self.cell.state_size

    @property
    def states(self):
        """The state Variables of a stateful layer (None before it is built, and for a layer that is not
        stateful)."""
        return [slot.state for slot in self._state_slots] if self._state_slots else None

    def reset_states(self) -> None:
        """Sets the kept states of a stateful layer back to zeros (before the next independent sequences)."""
        for slot in self._state_slots:
            slot.state.assign(ops.zeros_like(slot.state.value))

    def reset_state(self) -> None:
        """Same as `reset_states`."""
        self.reset_states()

    def get_initial_state(self, batch_size):
        """The zero states of a batch of `batch_size` sequences, nested as the cell's `state_size`."""
        getter = getattr(self.cell, "get_initial_state", None)
        if getter is not None:
            return pack_states(self.cell.state_size, flatten_states(getter(batch_size)))
        flat = [ops.zeros((batch_size,) + shape, dtype=self.compute_dtype) for shape in self.state_shapes()]
        return pack_states(self.cell.state_size, flat)

    def state_shapes(self) -> list:
        """The shape of one batch row of every state tensor, flat."""
        return [(size,) for size in state_sizes(self.cell)]

    def output_step_shape(self) -> tuple:
        """The shape of one batch row of the output at one step."""
        return (_output_size(self.cell),)

    # Build --------------------------------------------------------------------------------------------------------
    def _check_rank(self, shape) -> None:
        if len(shape) != 3:
            raise ValueError(BAD_RANK.format(name=self.name, cls=type(self).__name__, shape=shape))

    def build(self, sequences_shape, initial_state_shape=None):
        self._check_rank(sequences_shape)
        if not self.cell.built:
            # Built in this layer's name scope: Keras 3's paths, "lstm/lstm_cell/kernel".
            self.cell.build((sequences_shape[0],) + tuple(sequences_shape[2:]))
        if self.stateful and not self._state_slots:
            batch_size = sequences_shape[0]
            if batch_size is None:
                raise ValueError(
                    STATEFUL_DYNAMIC_BATCH.format(name=self.name, cls=type(self).__name__, shape=sequences_shape)
                )
            dtype = self.variable_dtype
            self._state_slots = [
                _rnn_states.StateSlot(ops.convert_to_numpy(ops.zeros((batch_size,) + shape, dtype=dtype)), dtype)
                for shape in self.state_shapes()
            ]

    # Call ---------------------------------------------------------------------------------------------------------
    def _check_initial_state(self, initial_state) -> list:
        """The initial states as a flat list, after checking their number and shapes."""
        states = flatten_states(initial_state)
        shapes = self.state_shapes()
        if len(states) != len(shapes):
            sizes = [shape[0] if len(shape) == 1 else shape for shape in shapes]
            raise ValueError(
                WRONG_STATE_COUNT.format(
                    name=self.name, cls=type(self).__name__, expected=len(shapes), received=len(states), sizes=sizes
                )
            )
        for index, (state, expected) in enumerate(zip(states, shapes)):
            shape = tuple(ops.shape(state))
            if len(shape) != len(expected) + 1 or any(
                isinstance(a, int) and a != b for a, b in zip(shape[1:], expected)
            ):
                size = expected[0] if len(expected) == 1 else ", ".join(map(str, expected))
                raise ValueError(
                    BAD_STATE_SHAPE.format(name=self.name, cls=type(self).__name__, index=index, size=size, shape=shape)
                )
        return states

    def _check_mask(self, sequences, mask):
        expected = tuple(ops.shape(sequences))[:2]
        shape = tuple(ops.shape(mask))
        # Only static sizes are compared: inside a traced function the batch size may be a tensor.
        if len(shape) != 2 or any(
            isinstance(a, int) and isinstance(b, int) and a != b for a, b in zip(shape, expected)
        ):
            raise ValueError(
                BAD_MASK_SHAPE.format(name=self.name, cls=type(self).__name__, expected=expected, shape=shape)
            )

    def _initial_states(self, sequences, initial_state) -> list:
        """The flat list of initial states: given, kept (stateful), or zeros."""
        if initial_state is not None:
            states = self._check_initial_state(initial_state)
            return [ops.cast(s, self.compute_dtype) for s in states]
        if self._state_slots:
            self._check_stateful_batch(sequences)
            # A copy: the variables are overwritten at the end of the call, and torch's autograd must still find
            # the values this call started from.
            return [ops.copy(ops.cast(slot.state.value, self.compute_dtype)) for slot in self._state_slots]
        batch_size = ops.shape(sequences)[0]
        getter = getattr(self.cell, "get_initial_state", None)
        if getter is not None and isinstance(batch_size, int):
            return flatten_states(getter(batch_size))
        return [zero_states(sequences, shape, self.compute_dtype) for shape in self.state_shapes()]

    def _check_stateful_batch(self, sequences) -> None:
        expected = self._state_slots[0].state.shape[0]
        received = ops.shape(sequences)[0]
        if isinstance(received, int) and received != expected:
            raise ValueError(
                STATEFUL_BATCH_CHANGED.format(
                    name=self.name, cls=type(self).__name__, expected=expected, received=received,
                    shape=tuple(ops.shape(sequences)),
                )
            )

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if self.unroll and ops.shape(sequences)[1] is None:
            raise ValueError(
                UNROLL_UNKNOWN_LENGTH.format(name=self.name, cls=type(self).__name__, shape=tuple(sequences.shape))
            )
        states = self._initial_states(sequences, initial_state)
        # Unrolled, the steps are straight-line ops (no engine loop or whole-layer kernel), as in Keras 3.
        fused = None if self.unroll else self.run_fused(sequences, states, mask, training)
        last_output, outputs, states = fused if fused is not None else self.run_scan(sequences, states, mask, training)
        if self._state_slots:
            for slot, state in zip(self._state_slots, states):
                slot.state.assign(state)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return [output] + pack_states(self.cell.state_size, list(states))
        return output

    def run_fused(self, sequences, states, mask=None, training=False):
        """`run_scan`'s result from the engine's whole-layer kernel (torch's LSTM and GRU), or None where there is
        none for this call: the cell has no `run_fused`, a mask is given, or the cell or the engine declines."""
        run = getattr(self.cell, "run_fused", None)
        if run is None or mask is not None:
            return None
        return run(ops.convert_to_tensor(sequences), states, self.go_backwards, self.return_sequences, training)

    def run_scan(self, sequences, states, mask=None, training=False):
        """`(last_output, outputs or None, final_states)`; `outputs` is `(batch, time, units)` when
        `return_sequences`."""
        xs = ops.swapaxes(sequences, 0, 1)  # time-major: scan runs over the leading axis
        if mask is not None:
            self._check_mask(sequences, mask)
            # (time, batch, 1, ...): broadcast against the states and outputs of one step.
            mask = ops.swapaxes(ops.cast(mask, "bool"), 0, 1)
            for _ in self.output_step_shape():
                mask = ops.expand_dims(mask, -1)
        if self.go_backwards:
            xs = ops.flip(xs, 0)
            mask = None if mask is None else ops.flip(mask, 0)
        cell = self.cell
        for reset in ("reset_dropout_mask", "reset_recurrent_dropout_mask"):  # a new sequence: Keras 3's mask cache
            getattr(cell, reset, lambda: None)()
        # Built-in cells split their work into a whole-sequence `prepare` and a per-step `step`; any other cell is
        # called once per step.
        weights, recurrent_mask = None, None
        if all(hasattr(cell, name) for name in ("prepare", "step", "step_weights")):
            xs, recurrent_mask = cell.prepare(xs, states, training)
            weights = tuple(cell.step_weights())
        elif training:
            _rnn_states.hold_dropout_masks(
                cell, sequences[:, 0], states, training,
                lambda size: _ones_column(sequences, size, self.compute_dtype),
            )
        try:
            return self._scan(cell, sequences, xs, states, mask, weights, recurrent_mask, training)
        finally:
            _rnn_states.release_dropout_masks(cell)

    def _scan(self, cell, sequences, xs, states, mask, weights, recurrent_mask, training):
        num_states = len(states)
        carries_output = mask is not None or not getattr(cell, "output_is_first_state", False)
        flags = (num_states, mask is not None, recurrent_mask is not None, carries_output, bool(training))
        body = self._scan_body(flags, weights)

        init = tuple(states)
        if carries_output:
            init += (zero_states(sequences, self.output_step_shape(), ops.dtype(states[0])),)
        if recurrent_mask is not None:
            init += (recurrent_mask,)
        carry, ys = ops.scan(body, init, xs if mask is None else (xs, mask), unroll=True if self.unroll else 1)
        final_states = list(carry[:num_states])
        last_output = carry[num_states] if carries_output else final_states[0]
        outputs = ops.swapaxes(ys, 0, 1) if self.return_sequences else None
        return last_output, outputs, final_states

    def _scan_body(self, flags, weights):
        """The scan's step function, reused while the cell's step weights are the same tensors: JAX caches a
        traced and compiled `lax.scan` by the identity of its function, so eager calls with unchanged weights skip
        the compilation (about 0.3 s per call). Weights enter the function by closure, not as part of the carry:
        a carried weight is saved at every step for the backward pass (2.6x slower LSTM gradients on JAX)."""
        cached = self.__dict__.get("_cached_scan_body")
        if (
            weights is not None
            and cached is not None
            and cached[0] == flags
            and len(cached[1]) == len(weights)
            and all(a is b for a, b in zip(cached[1], weights))
        ):
            return cached[2]
        body = self._make_scan_body(flags, weights)
        if weights is not None:
            # The cache holds the weights, so their ids cannot be reused by other tensors while it lives.
            object.__setattr__(self, "_cached_scan_body", (flags, weights, body))
        return body

    def _make_scan_body(self, flags, weights):
        num_states, masked, dropped, carries_output, training = flags
        return_sequences, zero_output = self.return_sequences, self.zero_output_for_mask
        cell = self.cell
        if weights is not None:

            def step(x, states, recurrent_mask):  # pyright: ignore[reportRedeclaration] - one of two branches
                return cell.step(x, states, weights, recurrent_mask)

        else:
            pass_training = _accepts_training(cell)
            state_size = cell.state_size

            def step(x, states, recurrent_mask):
                packed = pack_states(state_size, states)
                output, new_states = cell.call(x, packed, training=training) if pass_training else cell.call(x, packed)
                return output, flatten_states(new_states)

        def body(carry, x):
            previous_states = list(carry[:num_states])
            recurrent_mask = carry[-1] if dropped else None
            if masked:
                x, step_mask = x
            output, new_states = step(x, previous_states, recurrent_mask)
            emitted = output
            if masked:
                # Masked steps keep the previous states and repeat the previous output.
                new_states = [ops.where(step_mask, n, p) for n, p in zip(new_states, previous_states)]
                output = ops.where(step_mask, output, carry[num_states])
                emitted = ops.where(step_mask, emitted, ops.zeros_like(emitted)) if zero_output else output
            new_carry = tuple(new_states)
            if carries_output:
                new_carry += (output,)
            if dropped:
                new_carry += (recurrent_mask,)
            return new_carry, emitted if return_sequences else None

        return body

    # Symbolic -----------------------------------------------------------------------------------------------------
    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=False):
        shape = tuple(sequences.shape)
        self._check_rank(shape)
        if initial_state is not None:
            self._check_initial_state(initial_state)
        batch, timesteps = shape[0], shape[1]
        dtype = self.compute_dtype
        step_shape = self.output_step_shape()
        output_shape = (batch, timesteps) + step_shape if self.return_sequences else (batch,) + step_shape
        output = ops.KerasTensor(output_shape, dtype)
        if self.return_state:
            states = [ops.KerasTensor((batch,) + s, dtype) for s in self.state_shapes()]
            return [output] + pack_states(self.cell.state_size, states)
        return output

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        spec = self.compute_output_spec(ops.KerasTensor(tuple(sequences_shape), self.compute_dtype))
        return _shapes(spec)

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            size = self.cell.state_size
            return [output_mask] + [None] * (len(size) if isinstance(size, (list, tuple)) else 1)
        return output_mask

    # Config -------------------------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "return_sequences": self.return_sequences,
                "return_state": self.return_state,
                "go_backwards": self.go_backwards,
                "stateful": self.stateful,
                "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask,
            }
        )
        if getattr(type(self), "cell_class", None) is None:
            config["cell"] = serialize_cell(self.cell)
        else:
            # SimpleRNN, LSTM, GRU: the cell's arguments are the layer's own (flat, as in Keras 3).
            cell_config = self.cell.get_config()
            for key in ("name", "trainable", "dtype"):
                cell_config.pop(key, None)
            config.update(cell_config)
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if "cell" in config:
            config["cell"] = _registry.deserialize_keras_object(config["cell"], custom_objects, kind="layer")
        return cls(**config)


def _accepts_training(cell) -> bool:
    return cell._call_signature().has_training


def _shapes(spec):
    if isinstance(spec, (list, tuple)):
        return [_shapes(item) for item in spec]
    return spec.shape
