"""`TimeDistributed`: applies a layer (or a whole model) to every time step of a sequence.

The time axis is folded into the batch axis, the layer runs once on `(batch * timesteps, ...)`, and the result is
unfolded: one call instead of one per step, so the wrapped layer's cost is that of a single large batch.
"""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import _tree
from kerasx.layers import _call_context
from kerasx.layers._wrapper import Wrapper
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

BAD_MASK = (
    "TimeDistributed '{name}': the mask must have the input's batch and time axes first, (batch, timesteps, ...). "
    "Received: mask shape={mask_shape} for input shape={input_shape}."
)
BAD_RANK = (
    "TimeDistributed '{name}' expects inputs with at least 3 axes (batch, timesteps, ...). "
    "Received: input_shape={shape}."
)


def _static(shape) -> tuple:
    return tuple(d if isinstance(d, int) else None for d in shape)


def _reshape_arg(shape):
    """`shape` for `ops.reshape` (ints, at most one -1 for a size known only at run time), or None if more than one
    size is unknown."""
    target = tuple(d if isinstance(d, int) else -1 for d in shape)
    return target if target.count(-1) <= 1 else None


def _fold(shape):
    """`(batch, time, *rest)` -> `(batch * time, *rest)` (None when either is unknown)."""
    batch, time = shape[0], shape[1]
    merged = None if batch is None or time is None else batch * time
    return (merged,) + tuple(shape[2:])


@_registry.builtin
class TimeDistributed(Wrapper):
    """Applies `layer` to every temporal slice of an input: `(batch, timesteps, *features)` ->
    `(batch, timesteps, *layer_output_features)`. The wrapped layer's weights are shared by all steps (and with
    the wrapped layer itself: they are the same Variables).

    Args:
        layer: a Layer or Model taking `(batch, *features)` inputs.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `(batch, timesteps, *features)` tensor.
        training: passed on to the wrapped layer.
        mask: `(batch, timesteps, ...)` booleans; folded like the inputs and given to the wrapped layer when it
            takes a mask. The output carries the input mask.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.TimeDistributed(kerasx.layers.Dense(2, kernel_initializer="ones"))
        >>> x = np.array([[[1.0, 1.0], [2.0, 3.0], [0.0, 4.0]]])
        >>> print(kerasx.ops.convert_to_numpy(layer(x)))
        [[[2. 2.]
          [5. 5.]
          [4. 4.]]]
        >>> kerasx.layers.TimeDistributed(kerasx.layers.Conv2D(8, 3))(kerasx.Input(shape=(5, 16, 16, 3))).shape
        (None, 5, 14, 14, 8)
    """

    supports_masking = True

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)

    def _check_rank(self, shape):
        if len(shape) < 3:
            raise ValueError(BAD_RANK.format(name=self.name, shape=tuple(shape)))

    def build(self, input_shape):
        self._check_rank(input_shape)
        if not self.layer.built:
            with _call_context.call_scope(record_nodes=False):
                self.layer(KerasTensor(_fold(input_shape), self.compute_dtype))

    def _check_mask(self, input_shape, mask_shape):
        # Only static sizes are compared: inside a traced function the batch size may be a tensor.
        input_shape, mask_shape = tuple(input_shape), tuple(mask_shape)
        if len(mask_shape) < 2 or any(
            isinstance(a, int) and isinstance(b, int) and a != b for a, b in zip(mask_shape[:2], input_shape[:2])
        ):
            raise ValueError(
                BAD_MASK.format(name=self.name, mask_shape=_static(mask_shape), input_shape=_static(input_shape))
            )

    def _layer_kwargs(self, mask, training, fold_mask) -> dict:
        kwargs = {"training": training}
        if mask is not None and self.layer._call_signature().has_mask:
            kwargs["mask"] = fold_mask(mask)
        return kwargs

    def call(self, inputs, training=None, mask=None):
        shape = ops.shape(inputs)
        self._check_rank(shape)
        if mask is not None:
            self._check_mask(shape, ops.shape(mask))
        folded_shape = _reshape_arg((-1,) + tuple(shape[2:]))
        if folded_shape is None or _reshape_arg(shape[:2]) is None:
            return self._call_per_step(inputs, training, mask)
        folded = ops.reshape(inputs, folded_shape)

        def fold_mask(m):
            return ops.reshape(m, _reshape_arg((-1,) + tuple(ops.shape(m)[2:])))  # pyright: ignore[reportArgumentType] - sizes checked by call

        outputs = self.layer(folded, **self._layer_kwargs(mask, training, fold_mask))
        leaves = _tree.flatten(outputs)
        targets = [_reshape_arg(tuple(shape[:2]) + tuple(ops.shape(y)[1:])) for y in leaves]
        if any(target is None for target in targets):
            return self._call_per_step(inputs, training, mask)
        return _tree.pack_sequence_as(outputs, [ops.reshape(y, t) for y, t in zip(leaves, targets)])  # pyright: ignore[reportArgumentType] - None targets returned above

    def _call_per_step(self, inputs, training, mask):
        """One call of the layer per time step, looped with `ops.map`: for traced inputs whose batch and time sizes
        are both unknown, which a reshape cannot fold (it takes at most one unknown size)."""
        has_mask = mask is not None and self.layer._call_signature().has_mask
        xs = ops.swapaxes(inputs, 0, 1)
        if has_mask:
            xs = (xs, ops.swapaxes(mask, 0, 1))

        def step(x):
            if has_mask:
                return self.layer(x[0], training=training, mask=x[1])
            return self.layer(x, training=training)

        outputs = ops.map(step, xs)
        return _tree.map_structure(lambda y: ops.swapaxes(y, 0, 1), outputs)

    def compute_output_spec(self, inputs, training=None, mask=None):
        shape = tuple(inputs.shape)
        self._check_rank(shape)
        if mask is not None:
            self._check_mask(shape, mask.shape)

        def fold_mask(m):
            return KerasTensor(_fold(tuple(m.shape)), m.dtype)

        outputs = self.layer(KerasTensor(_fold(shape), inputs.dtype), **self._layer_kwargs(mask, training, fold_mask))
        return _tree.map_structure(lambda y: KerasTensor(shape[:2] + tuple(y.shape[1:]), y.dtype), outputs)

    def compute_output_shape(self, input_shape):
        spec = self.compute_output_spec(KerasTensor(tuple(input_shape), self.compute_dtype))
        return _tree.map_structure(lambda t: t.shape, spec)
