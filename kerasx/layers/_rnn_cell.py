"""`RecurrentCell`: what SimpleRNNCell, LSTMCell and GRUCell share (weights, dropout masks, config).

A cell computes one time step: `cell(inputs, states) -> (output, new_states)`. The `RNN` layer drives a cell over a
sequence, but not through `call`: it asks the cell to `prepare` the whole (time-major) sequence once, which applies
input dropout and computes the input projection `x @ kernel + bias` for every step in one matmul, and then runs
`step(projected_x, states, constants)` inside `ops.scan`. Moving the input matmul out of the loop leaves one
matmul per step, which is most of the per-step cost on every engine.
"""

from __future__ import annotations

from kerasx import activations, constraints, initializers, ops, random, regularizers
from kerasx.layers._layer import Layer

BAD_UNITS = "{cls} needs a positive integer number of units. Received: units={units!r}."
UNKNOWN_INPUT_DIM = (
    "Cell '{name}' ({cls}) needs the size of the last input axis to create its kernel, but it is unknown. "
    "Received: input_shape={shape}. Give the input a known feature size, e.g. `kerasx.Input((None, 16))`."
)


def _rate(value) -> float:
    # Keras clips dropout rates into [0, 1] rather than rejecting them.
    return min(1.0, max(0.0, float(value)))


class RecurrentCell(Layer):
    """Base of the built-in cells: a kernel `(input_dim, num_gates * units)`, a recurrent kernel
    `(units, num_gates * units)` and a bias, with dropout on the inputs and on the recurrent state.

    Subclasses set `num_gates`, implement `step`, and may override `bias_shape`/`bias_initial_value`.

    Args:
        units: size of the output and of each state.
        activation: activation of the candidate state (and of the output for LSTM).
        use_bias: whether the cell has a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers of the three weights.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties added to `losses`.
        kernel_constraint, recurrent_constraint, bias_constraint: projections applied by optimizers.
        dropout: fraction of the input features dropped while training (one mask for every time step).
        recurrent_dropout: fraction of the recurrent state dropped while training (one mask for every step).
        seed: int seed of the dropout masks.
        **kwargs: base Layer arguments.
    """

    num_gates = 1
    # The output of these cells is their first state, so the RNN layer need not carry it separately.
    output_is_first_state = True

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
            raise ValueError(BAD_UNITS.format(cls=type(self).__name__, units=units))
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = _rate(dropout)
        self.recurrent_dropout = _rate(recurrent_dropout)
        self.seed = seed
        # Only cells that drop anything own a generator: its state would otherwise be carried through every
        # compiled step for nothing.
        self.seed_generator = None
        if self.dropout > 0 or self.recurrent_dropout > 0:
            self.seed_generator = random.SeedGenerator(seed, name=f"{self.name}_seed_generator")

    # Sizes --------------------------------------------------------------------------------------------------------
    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    def state_sizes(self) -> list:
        size = self.state_size
        return list(size) if isinstance(size, (list, tuple)) else [size]

    def get_initial_state(self, batch_size=None):
        """Zero states: a list of `(batch_size, size)` tensors, one per state."""
        return [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in self.state_sizes()]

    # Weights ------------------------------------------------------------------------------------------------------
    def bias_shape(self) -> tuple:
        return (self.num_gates * self.units,)

    def bias_initial_value(self, shape, dtype=None):
        return self.bias_initializer(shape, dtype=dtype)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(UNKNOWN_INPUT_DIM.format(name=self.name, cls=type(self).__name__, shape=input_shape))
        width = self.num_gates * self.units
        self.kernel = self.add_weight(
            shape=(input_dim, width),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            name="kernel",
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
            name="recurrent_kernel",
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self.bias_shape(),
                initializer=self.bias_initial_value,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )

    # Computation --------------------------------------------------------------------------------------------------
    def input_bias(self):
        return self.bias

    def draw_dropout_masks(self, step_input, state, training=False) -> tuple:
        """`(input_mask, recurrent_mask)`: the dropout masks of one sequence, shaped like one step's input and like
        the first state (each None when not dropping). Keras draws them once per sequence and uses them at every
        step."""
        input_mask, recurrent_mask = None, None
        if training and 0 < self.dropout < 1:
            input_mask = self._draw_mask(step_input, self.dropout)
        if training and 0 < self.recurrent_dropout < 1:
            recurrent_mask = self._draw_mask(state, self.recurrent_dropout)
        return input_mask, recurrent_mask

    def _draw_mask(self, like, rate):
        """Ones shaped like `like`, dropped out at `rate` (kept entries scaled by 1 / (1 - rate))."""
        return random.dropout(ops.ones_like(like), rate, seed=self.seed_generator)

    # Keras 3's dropout-mask cache, for cells written against it (a subclass's `call` asking for the mask of the
    # current sequence); the built-in cells draw theirs in `prepare`. The RNN layer empties it before each sequence.
    def get_dropout_mask(self, step_input):
        """The input dropout mask of the current sequence, shaped like `step_input` (a list of one per gate when
        `dropout_mask_count` is set): drawn on the first request after `reset_dropout_mask()`, the same afterwards;
        None when `dropout` is 0.

        Example:
            >>> import numpy as np
            >>> import kerasx
            >>> cell = kerasx.layers.SimpleRNNCell(2, dropout=0.5, seed=1)
            >>> step = np.ones((3, 4), "float32")
            >>> first = kerasx.ops.convert_to_numpy(cell.get_dropout_mask(step))
            >>> bool((first == kerasx.ops.convert_to_numpy(cell.get_dropout_mask(step))).all())
            True
            >>> sorted(set(first.ravel().tolist())) == [0.0, 2.0]
            True
        """
        return self._cached_mask("_dropout_mask", step_input, self.dropout)

    def get_recurrent_dropout_mask(self, step_input):
        """As `get_dropout_mask`, for the recurrent state (rate `recurrent_dropout`), shaped like `step_input`.

        Example:
            >>> import numpy as np
            >>> import kerasx
            >>> print(kerasx.layers.GRUCell(2).get_recurrent_dropout_mask(np.ones((3, 2), "float32")))
            None
        """
        return self._cached_mask("_recurrent_dropout_mask", step_input, self.recurrent_dropout)

    def reset_dropout_mask(self) -> None:
        """Forgets the cached input dropout mask, so that the next sequence draws a new one.

        Example:
            >>> import kerasx
            >>> kerasx.layers.SimpleRNNCell(2, dropout=0.2).reset_dropout_mask()
        """
        object.__setattr__(self, "_dropout_mask", None)

    def reset_recurrent_dropout_mask(self) -> None:
        """Forgets the cached recurrent dropout mask, so that the next sequence draws a new one.

        Example:
            >>> import kerasx
            >>> kerasx.layers.SimpleRNNCell(2, recurrent_dropout=0.2).reset_recurrent_dropout_mask()
        """
        object.__setattr__(self, "_recurrent_dropout_mask", None)

    @property
    def dropout_mask_count(self) -> int | None:
        """How many independent masks `get_dropout_mask` draws: one per gate for cells with several gates (a list;
        LSTM 4, GRU 3), as Keras 3's cells; None for one mask (SimpleRNN)."""
        return self.num_gates if self.num_gates > 1 else None

    def _cached_mask(self, attribute, step_input, rate):
        mask = self.__dict__.get(attribute)
        if mask is None and rate > 0:
            count = self.dropout_mask_count
            draws = [self._draw_mask(step_input, rate) for _ in range(count or 1)]
            mask = draws[0] if count is None else draws
            object.__setattr__(self, attribute, mask)
        return mask

    def prepare(self, sequence, states, training=False):
        """`(projected, recurrent_mask)` for a time-major `(time, batch, input_dim)` sequence and the initial
        states: the dropped-out inputs projected by the kernel (plus the input bias) at every step, and the mask
        that drops out the recurrent state (None when not dropping)."""
        masks = self.__dict__.get("_sequence_masks")
        input_mask, recurrent_mask = masks or self.draw_dropout_masks(sequence[0], states[0], training)
        if input_mask is not None:
            sequence = ops.multiply(sequence, input_mask)
        projected = ops.matmul(sequence, self.kernel)
        bias = self.input_bias()
        if bias is not None:
            projected = ops.add(projected, bias)
        return projected, recurrent_mask

    def step_weights(self) -> tuple:
        """Current values of the weights `step` uses. `step` reads weights only from here (never from the
        Variables), so that a step function can be reused, and traced once, while the weights stay the same."""
        return (self.recurrent_kernel.value,)

    # Subclasses define `step(projected, states, weights, recurrent_mask) -> (output, new_states)`: one time step
    # from the step's projected inputs, the previous states, `step_weights()` and the recurrent dropout mask.

    def dropped_state(self, state, recurrent_mask):
        return state if recurrent_mask is None else ops.multiply(state, recurrent_mask)

    def call(self, inputs, states, training=False):
        """One step on `(batch, input_dim)` inputs; `states` is a list of `(batch, size)` tensors. Inside an RNN
        that holds the masks of the whole sequence (see `hold_dropout_masks`), those are used."""
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        projected, recurrent_mask = self.prepare(ops.expand_dims(inputs, 0), states, training)
        return self.step(projected[0], states, self.step_weights(), recurrent_mask)

    def compute_output_spec(self, inputs, states, training=False):
        batch = inputs.shape[0]
        output = ops.KerasTensor((batch, self.output_size), self.compute_dtype)
        return output, [ops.KerasTensor((batch, size), self.compute_dtype) for size in self.state_sizes()]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed,
            }
        )
        return config
