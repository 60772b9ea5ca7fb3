"""Activation layers with arguments of their own: `ReLU`, `LeakyReLU`, `PReLU` (a learned slope), `ELU`, `Softmax`
(with a mask)."""

from __future__ import annotations

import warnings

from kerasx import activations, constraints, initializers, ops, regularizers
from kerasx.backend import _dtypes
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.serialization import _registry

BAD_RELU_ARGUMENT = (
    "ReLU: `{argument}` must be a non-negative number{none}. Received: {argument}={value!r}."
)
BAD_NEGATIVE_SLOPE = (
    "LeakyReLU: `negative_slope` must be a non-negative number (the slope below zero). "
    "Received: negative_slope={value!r}."
)
ALPHA_DEPRECATED = "LeakyReLU: the argument `alpha` is deprecated (as in Keras 3); use `negative_slope` instead."
BAD_SHARED_AXES = (
    "Layer '{name}' (PReLU): `shared_axes` must name axes 1 to {last} of inputs of shape {shape} (axis 0 is the "
    "batch). Received: shared_axes={shared_axes!r}."
)
UNKNOWN_PRELU_AXIS = (
    "Layer '{name}' (PReLU) needs the sizes of the axes its `alpha` spans to create it, but axis {axis} is "
    "unknown. Received: input_shape={shape}. Share that axis (`shared_axes=[{axis}]`) or give it a size."
)
BAD_SOFTMAX_MASK = (
    "Layer '{name}' (Softmax): the mask must broadcast to the inputs (each of its axes 1 or the input's size, and "
    "no more axes than the inputs). Received: inputs.shape={inputs_shape}, mask.shape={mask_shape}."
)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@_registry.builtin
class ReLU(Layer):
    """Rectified linear unit: `x` above `threshold` (capped at `max_value`), `negative_slope * (x - threshold)` at or
    below it.

    Args:
        max_value: upper bound of the output (a non-negative number), or None for no bound.
        negative_slope: slope below the threshold (non-negative; 0 gives the plain ReLU).
        threshold: the value at and below which the output is zero (or leaky); non-negative.
        **kwargs: base Layer arguments.

    Input shape: any. Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.ReLU(max_value=2.0, negative_slope=0.5, threshold=1.0)
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([-1.0, 0.5, 1.5, 4.0]))))
        [-1.   -0.25  1.5   2.  ]
    """

    _built_at_construction = True

    supports_masking = True

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and (not _is_number(max_value) or max_value < 0):
            raise ValueError(BAD_RELU_ARGUMENT.format(argument="max_value", none=" or None", value=max_value))
        for argument, value in (("negative_slope", negative_slope), ("threshold", threshold)):
            if not _is_number(value) or value < 0:
                raise ValueError(BAD_RELU_ARGUMENT.format(argument=argument, none="", value=value))
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold

    def call(self, inputs):
        return activations.relu(
            inputs, negative_slope=self.negative_slope, max_value=self.max_value, threshold=self.threshold
        )

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {"max_value": self.max_value, "negative_slope": self.negative_slope, "threshold": self.threshold}
        )
        return config


@_registry.builtin
class LeakyReLU(Layer):
    """Leaky rectified linear unit: `x` for `x >= 0`, `negative_slope * x` below.

    Args:
        negative_slope: slope below zero, a non-negative number.
        **kwargs: base Layer arguments. The older spelling `alpha=` of the slope is still read (with a
            deprecation warning, as Keras 3 does) and wins over `negative_slope`.

    Input shape: any. Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.LeakyReLU(negative_slope=0.1)
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([-2.0, 0.0, 3.0]))))
        [-0.2  0.   3. ]
    """

    _built_at_construction = True

    supports_masking = True

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn(ALPHA_DEPRECATED, stacklevel=2)
        super().__init__(**kwargs)
        if not _is_number(negative_slope) or negative_slope < 0:
            raise ValueError(BAD_NEGATIVE_SLOPE.format(value=negative_slope))
        self.negative_slope = negative_slope

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config


@_registry.builtin
class PReLU(Layer):
    """Parametric ReLU: `x` for `x >= 0`, `alpha * x` below, with `alpha` learned per input entry.

    `alpha` has the input's shape without the batch axis; `shared_axes` makes it size 1 (one value shared) along
    those axes, e.g. `shared_axes=[1, 2]` for one slope per channel of `(batch, height, width, channels)` images.

    Args:
        alpha_initializer: initializer of `alpha` (zeros: the layer starts as a ReLU).
        alpha_regularizer: penalty on `alpha`, added to `losses`.
        alpha_constraint: projection applied by optimizers after updates.
        shared_axes: an axis or list of axes (1 is the first after the batch) along which `alpha` is shared.
        **kwargs: base Layer arguments.

    Input shape: any, with known sizes on the axes `alpha` spans. Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.PReLU(alpha_initializer=kerasx.initializers.Constant(0.25), shared_axes=[1])
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[[-4.0, 2.0], [1.0, -8.0]]]))))
        [[[-1.  2.]
          [ 1. -2.]]]
        >>> tuple(layer.alpha.shape)
        (1, 2)
    """

    supports_masking = True

    def __init__(
        self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        else:
            self.shared_axes = list(shared_axes) if isinstance(shared_axes, (list, tuple)) else [shared_axes]

    def build(self, input_shape):
        shared = set(self.shared_axes or ())
        rank = len(input_shape)
        if not all(isinstance(a, int) and 1 <= a < rank for a in shared):
            raise ValueError(BAD_SHARED_AXES.format(
                name=self.name, last=rank - 1, shape=tuple(input_shape), shared_axes=self.shared_axes
            ))
        alpha_shape = tuple(1 if a in shared else input_shape[a] for a in range(1, rank))
        for axis, size in enumerate(alpha_shape, start=1):
            if size is None:
                raise ValueError(UNKNOWN_PRELU_AXIS.format(name=self.name, axis=axis, shape=tuple(input_shape)))
        self.alpha = self.add_weight(
            shape=alpha_shape, initializer=self.alpha_initializer, regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint, name="alpha",
        )
        axes = {a: input_shape[a] for a in range(1, rank) if a not in shared} if shared else {}
        self.input_spec = InputSpec(ndim=rank, axes=axes)

    def call(self, inputs):
        positive = ops.relu(inputs)
        negative = ops.multiply(ops.negative(self.alpha), ops.relu(ops.negative(inputs)))
        return ops.add(positive, negative)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "alpha_constraint": constraints.serialize(self.alpha_constraint),
                "shared_axes": self.shared_axes,
            }
        )
        return config


@_registry.builtin
class ELU(Layer):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` below.

    Args:
        alpha: the value the output tends to for large negative inputs is `-alpha`.
        **kwargs: base Layer arguments.

    Input shape: any. Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.ELU(alpha=2.0)
        >>> print(np.round(kerasx.ops.convert_to_numpy(layer(np.array([-1.0, 0.0, 3.0]))), 4))
        [-1.2642  0.      3.    ]
    """

    _built_at_construction = True

    supports_masking = True

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["alpha"] = self.alpha
        return config


def _large_negative(dtype) -> float:
    # Large enough to vanish under exp, small enough to stay finite in float16 (whose range ends at 65504).
    return -3e4 if _dtypes.standardize_dtype(dtype) == "float16" else -1e9


@_registry.builtin
class Softmax(Layer):
    """Softmax over `axis`: `exp(x) / sum(exp(x))`, optionally masked.

    Args:
        axis: the axis (or list of axes, normalized together) the probabilities sum to one over.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: tensor of logits.
        mask: optional tensor broadcastable to `inputs`, True (or > 0.5) where an entry counts. Masked entries
            take no probability and come out as exactly 0.

    Input shape: any. Output shape: the input's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Softmax()
        >>> x = np.array([[1.0, 1.0, 5.0]])
        >>> print(kerasx.ops.convert_to_numpy(layer(x, mask=np.array([[True, True, False]]))))
        [[0.5 0.5 0. ]]
    """

    _built_at_construction = True

    supports_masking = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _check_mask(self, inputs, mask):
        inputs_shape, mask_shape = tuple(inputs.shape), tuple(mask.shape)
        fits = len(mask_shape) <= len(inputs_shape) and all(
            m is None or i is None or m in (1, i) for m, i in zip(mask_shape[::-1], inputs_shape[::-1])
        )
        if not fits:
            raise ValueError(BAD_SOFTMAX_MASK.format(name=self.name, inputs_shape=inputs_shape, mask_shape=mask_shape))

    def call(self, inputs, mask=None):
        if mask is not None:
            self._check_mask(inputs, mask)
            if ops.dtype(mask) != "bool":
                mask = ops.greater(mask, ops.cast(0.5, ops.dtype(mask)))
            inputs = ops.where(mask, inputs, ops.cast(_large_negative(ops.dtype(inputs)), ops.dtype(inputs)))
        if isinstance(self.axis, (list, tuple)) and len(self.axis) > 1:
            axes = tuple(self.axis)
            outputs = ops.exp(ops.subtract(inputs, ops.logsumexp(inputs, axis=axes, keepdims=True)))
        else:
            axis = self.axis[0] if isinstance(self.axis, (list, tuple)) else self.axis
            outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = ops.where(mask, outputs, ops.zeros_like(outputs))
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config
