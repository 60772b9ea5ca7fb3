"""`Bidirectional`: runs a recurrent layer forwards and a copy backwards over a sequence and merges the outputs."""

from __future__ import annotations

from kerasx import ops
from kerasx.layers import _call_context
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

MERGE_MODES = ("concat", "sum", "mul", "ave", None)
BAD_MERGE_MODE = (
    "Bidirectional: invalid merge_mode. Received: merge_mode={mode!r}. Expected one of "
    "'concat', 'sum', 'mul', 'ave' or None (return the forward and backward outputs separately)."
)
NOT_RECURRENT = (
    "Bidirectional wraps a recurrent layer (with `return_sequences`, `return_state` and `go_backwards`), "
    "e.g. `Bidirectional(LSTM(16))`. Received: {which}={layer!r}."
)
MISMATCHED_BACKWARD = (
    "Bidirectional: `backward_layer` must have the same `{attribute}` as the forward layer. Received: "
    "layer.{attribute}={forward!r}, backward_layer.{attribute}={backward!r}."
)
SAME_DIRECTION = (
    "Bidirectional: `backward_layer.go_backwards` must be the opposite of `layer.go_backwards`, so that the two "
    "layers read the sequence in opposite directions. Received: go_backwards={value!r} for both."
)
ODD_INITIAL_STATE = (
    "Bidirectional '{name}': `initial_state` holds the forward layer's states followed by the backward layer's, "
    "{expected} tensors in all. Received: {received} tensors."
)

NOT_STATEFUL = (
    "Bidirectional '{name}' carries no state between calls: its layer was made with stateful=False. Pass "
    "`stateful=True` to the wrapped recurrent layer to keep states between batches."
)


def _is_recurrent(layer) -> bool:
    return isinstance(layer, Layer) and all(
        hasattr(layer, name) for name in ("return_sequences", "return_state", "go_backwards")
    )


def _num_states(layer) -> int:
    size = layer.cell.state_size if hasattr(layer, "cell") else layer.state_size
    return len(size) if isinstance(size, (list, tuple)) else 1


def _copy(layer, name, **overrides):
    config = _registry.serialize_keras_object(layer)
    config["config"].update(name=name, **overrides)
    return _registry.deserialize_keras_object(config, kind="layer")


def _strip(name: str, prefix: str) -> str:
    return name[len(prefix) :] if name.startswith(prefix) else name


@_registry.builtin
class Bidirectional(Layer):
    """Bidirectional wrapper of a recurrent layer.

    The forward layer is a copy of `layer` named `forward_<name>`; the backward layer is `backward_layer`, or a copy
    of `layer` with `go_backwards` flipped named `backward_<name>`. With `return_sequences`, the backward outputs
    are flipped back to the input's time order before merging, and both layers output zeros at masked steps
    (their `zero_output_for_mask` is set to `return_sequences`, as in Keras).

    Args:
        layer: a recurrent layer (`LSTM`, `GRU`, `SimpleRNN`, `RNN`), used as a template (not called itself).
        merge_mode: how the two outputs combine: "concat" (last axis), "sum", "mul", "ave", or None for the list
            `[forward, backward]`.
        backward_layer: optional recurrent layer for the backward direction, with the same `return_sequences` and
            `return_state` as `layer` and the opposite `go_backwards`.
        **kwargs: base Layer arguments.

    Call arguments:
        sequences: `(batch, timesteps, features)` tensor.
        initial_state: the forward layer's initial states followed by the backward layer's.
        mask: `(batch, timesteps)` booleans, given to both layers.
        training: passed on to both layers.

    Output: the merged output (`(batch, [timesteps,] 2 * units)` for "concat", else `units` wide), preceded with
    `return_state` by nothing and followed by the forward then the backward final states.

    Example:
        >>> import kerasx
        >>> layer = kerasx.layers.Bidirectional(kerasx.layers.LSTM(8, return_sequences=True))
        >>> layer(kerasx.Input(shape=(10, 4))).shape
        (None, 10, 16)
        >>> summed = kerasx.layers.Bidirectional(kerasx.layers.GRU(8), merge_mode="sum")
        >>> summed(kerasx.Input(shape=(10, 4))).shape
        (None, 8)
    """

    supports_masking = True

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        super().__init__(**kwargs)
        if not _is_recurrent(layer):
            raise ValueError(NOT_RECURRENT.format(which="layer", layer=layer))
        if merge_mode not in MERGE_MODES:
            raise ValueError(BAD_MERGE_MODE.format(mode=merge_mode))
        if backward_layer is not None:
            if not _is_recurrent(backward_layer):
                raise ValueError(NOT_RECURRENT.format(which="backward_layer", layer=backward_layer))
            for attribute in ("return_sequences", "return_state"):
                forward_value, backward_value = getattr(layer, attribute), getattr(backward_layer, attribute)
                if forward_value != backward_value:
                    raise ValueError(
                        MISMATCHED_BACKWARD.format(attribute=attribute, forward=forward_value, backward=backward_value)
                    )
            if layer.go_backwards == backward_layer.go_backwards:
                raise ValueError(SAME_DIRECTION.format(value=layer.go_backwards))
        base_name = _strip(layer.name, "forward_")
        self.forward_layer = _copy(layer, f"forward_{base_name}")
        if backward_layer is None:
            backward_layer = _copy(layer, f"backward_{base_name}", go_backwards=not layer.go_backwards)
            self._custom_backward = False
        else:
            self._custom_backward = True
        self.backward_layer = backward_layer
        # As in Keras: with a mask, returned sequences hold zeros at masked steps (not the carried output), so that
        # the two directions, which carry different outputs there, merge to a value that means "no step here".
        for sublayer in (self.forward_layer, self.backward_layer):
            if getattr(sublayer, "zero_output_for_mask", None) is not None:
                sublayer.zero_output_for_mask = sublayer.return_sequences
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = layer.stateful
        self._initial_weights = weights

    # Stateful runs -------------------------------------------------------------------------------------------------
    @property
    def states(self):
        """The forward layer's state variables followed by the backward layer's (a `stateful=True` layer's, once
        built), else None."""
        if self.forward_layer.states and self.backward_layer.states:
            return tuple(list(self.forward_layer.states) + list(self.backward_layer.states))
        return None

    def reset_state(self) -> None:
        """Sets both directions' carried states back to zeros (for a `stateful=True` layer, between sequences)."""
        if not self.stateful:
            raise AttributeError(NOT_STATEFUL.format(name=self.name))
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self) -> None:
        """`reset_state`, under its older name."""
        self.reset_state()

    # Build --------------------------------------------------------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None):
        with _call_context.call_scope(record_nodes=False):
            for layer in (self.forward_layer, self.backward_layer):
                if not layer.built:
                    layer(KerasTensor(tuple(sequences_shape), self.compute_dtype))
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    # Call ---------------------------------------------------------------------------------------------------------
    def _split_initial_state(self, initial_state):
        if initial_state is None:
            return None, None
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        num_forward = _num_states(self.forward_layer)
        expected = num_forward + _num_states(self.backward_layer)
        if len(states) != expected:
            raise ValueError(ODD_INITIAL_STATE.format(name=self.name, expected=expected, received=len(states)))
        return states[:num_forward], states[num_forward:]

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state, backward_state = self._split_initial_state(initial_state)
        forward = self.forward_layer(sequences, initial_state=forward_state, mask=mask, training=training)
        backward = self.backward_layer(sequences, initial_state=backward_state, mask=mask, training=training)
        return self._merge(forward, backward)

    def compute_output_spec(self, sequences, initial_state=None, mask=None, training=None):
        return self.call(sequences, initial_state=initial_state, mask=mask, training=training)

    def _merge(self, forward, backward):
        states = []
        if self.return_state:
            states = list(forward[1:]) + list(backward[1:])
            forward, backward = forward[0], backward[0]
        if self.return_sequences:
            # The backward layer emits its sequence in reading order, i.e. reversed in time.
            backward = ops.flip(backward, axis=1)
        if self.merge_mode is None:
            return [forward, backward] + states
        if self.merge_mode == "concat":
            output = ops.concatenate([forward, backward], axis=-1)
        elif self.merge_mode == "sum":
            output = ops.add(forward, backward)
        elif self.merge_mode == "mul":
            output = ops.multiply(forward, backward)
        else:
            output = ops.multiply(ops.add(forward, backward), 0.5)
        return [output] + states if self.return_state else output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        outputs = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            num_states = _num_states(self.forward_layer) + _num_states(self.backward_layer)
            return outputs + [None] * num_states
        return outputs if self.merge_mode is None else output_mask

    # Config -------------------------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        config["layer"] = _registry.serialize_keras_object(self.forward_layer)
        # Keras 3 writes the backward layer even when it made it itself (a go_backwards copy of `layer`).
        config["backward_layer"] = _registry.serialize_keras_object(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = _registry.deserialize_keras_object(config["layer"], custom_objects, kind="layer")
        if config.get("backward_layer") is not None:
            config["backward_layer"] = _registry.deserialize_keras_object(
                config["backward_layer"], custom_objects, kind="layer"
            )
        return cls(**config)
