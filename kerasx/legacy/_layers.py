"""Keras 1 layer functions and constructors: `merge`, `Convolution1D`, `Convolution2D`, `Convolution3D`.

Each warns with its Keras 3 spelling and returns exactly what that spelling returns (a `Concatenate`, `Add`, ...
output; a `Conv1D`/`Conv2D`/`Conv3D` layer), so models written either way have the same layers and weights.
"""

from __future__ import annotations

from kerasx.layers._concatenate import Concatenate
from kerasx.layers._conv import Conv1D, Conv2D, Conv3D
from kerasx.layers._dot import Dot
from kerasx.layers._layer import CONSTRUCTOR_TRANSLATORS
from kerasx.layers._merging import Add, Average, Maximum, Multiply
from kerasx.legacy._arguments import translate_layer_arguments
from kerasx.legacy._warn import deprecated

LEGACY_MERGE = (
    "`merge(inputs, mode={mode!r}{extra})` is the Keras 1 spelling; use `kerasx.layers.{modern}` instead "
    "(the `{layer}` layer)."
)
UNKNOWN_MERGE_MODE = (
    "merge: unknown mode. Received: mode={mode!r}. Expected one of {modes}. For a custom merge, use "
    "`kerasx.layers.Lambda` on the list of tensors."
)
NOT_A_LIST = (
    "merge: `inputs` must be a list of at least two tensors. Received: inputs of type {type}. In Keras 3 "
    "spelling: `kerasx.layers.concatenate([a, b])`, `kerasx.layers.add([a, b])`, ..."
)
LEGACY_CONV = (
    "`{old}({args})` is the Keras 1 spelling; use `kerasx.layers.{new}({modern})` instead (Keras 1 "
    "`border_mode`/`subsample`/`dim_ordering`/`init`/`W_regularizer` become `padding`/`strides`/`data_format`/"
    "`kernel_initializer`/`kernel_regularizer`)."
)

# mode -> (layer class, Keras 3 function spelling).
_MODES = {
    "concat": (Concatenate, "concatenate"),
    "sum": (Add, "add"),
    "mul": (Multiply, "multiply"),
    "ave": (Average, "average"),
    "max": (Maximum, "maximum"),
    "dot": (Dot, "dot"),
    "cos": (Dot, "dot"),
}


def merge(inputs, mode="sum", concat_axis=-1, dot_axes=-1, name=None):
    """Keras 1 `merge`: combines a list of tensors with the merging layer that `mode` names.

    Args:
        inputs: list of tensors (symbolic or real).
        mode: "concat", "sum", "mul", "ave", "max", "dot" or "cos" (the cosine proximity: a normalized dot).
        concat_axis: axis of "concat".
        dot_axes: axis (or pair of axes) of "dot" and "cos".
        name: name of the merging layer.

    Returns:
        The merged tensor, as the Keras 3 merging layer computes it.

    Example:
        >>> import warnings
        >>> import kerasx
        >>> a, b = kerasx.Input(shape=(4,)), kerasx.Input(shape=(6,))
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore", DeprecationWarning)
        ...     merged = kerasx.layers.merge([a, b], mode="concat")
        >>> merged.shape
        (None, 10)
    """
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(NOT_A_LIST.format(type=type(inputs).__name__))
    if mode not in _MODES:
        raise ValueError(UNKNOWN_MERGE_MODE.format(mode=mode, modes=sorted(_MODES)))
    layer_class, function = _MODES[mode]
    if mode == "concat":
        extra, modern = f", concat_axis={concat_axis}", f"concatenate(inputs, axis={concat_axis})"
        layer = Concatenate(axis=concat_axis, name=name)
    elif mode in ("dot", "cos"):
        normalize = mode == "cos"
        extra = f", dot_axes={dot_axes!r}"
        modern = f"dot(inputs, axes={dot_axes!r}{', normalize=True' if normalize else ''})"
        layer = Dot(axes=dot_axes, normalize=normalize, name=name)
    else:
        extra, modern = "", f"{function}(inputs)"
        layer = layer_class(name=name)
    deprecated(LEGACY_MERGE.format(mode=mode, extra=extra, modern=modern, layer=layer_class.__name__))
    return layer(list(inputs))


def _all_ints(values) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def Convolution2D(filters, kernel_size, *args, **kwargs):  # noqa: N802 (a Keras 1 class name, Keras 3's alias)
    """Keras 3's alias of `Conv2D`, which also reads the Keras 1 spelling `Convolution2D(nb_filter, nb_row, nb_col)`.

    Three integers are read the Keras 1 way, `Conv2D(nb_filter, (nb_row, nb_col))` with a warning (in Keras 3 the
    third would be `strides`, which no Keras 1 program meant); anything else is passed to `Conv2D` as it is. Keras 1
    keyword arguments (`border_mode`, `subsample`, `dim_ordering`, `init`, `W_regularizer`, ...) are translated
    either way (each with its own warning); Keras 3 ones pass through.

    Example:
        >>> import warnings
        >>> import kerasx
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore", DeprecationWarning)
        ...     layer = kerasx.layers.Convolution2D(16, 3, 3, subsample=(2, 2))
        >>> type(layer).__name__, layer.kernel_size, layer.strides
        ('Conv2D', (3, 3), (2, 2))
        >>> layer(kerasx.Input(shape=(28, 28, 1))).shape
        (None, 13, 13, 16)
        >>> kerasx.layers.Convolution2D(8, (3, 3), padding="same").kernel_size
        (3, 3)
    """
    if len(args) == 1 and _all_ints((filters, kernel_size, *args)):
        deprecated(
            LEGACY_CONV.format(old="Convolution2D", args=f"{filters}, {kernel_size}, {args[0]}", new="Conv2D",
                               modern=f"{filters}, ({kernel_size}, {args[0]})")
        )
        return Conv2D(filters, (kernel_size, args[0]), **kwargs)
    return Conv2D(filters, kernel_size, *args, **kwargs)


def Convolution3D(filters, kernel_size, *args, **kwargs):  # noqa: N802 (a Keras 1 class name, Keras 3's alias)
    """Keras 3's alias of `Conv3D`, which also reads the Keras 1 spelling
    `Convolution3D(nb_filter, kernel_dim1, kernel_dim2, kernel_dim3)`.

    Four integers are read the Keras 1 way, `Conv3D(nb_filter, (kernel_dim1, kernel_dim2, kernel_dim3))` with a
    warning; anything else is passed to `Conv3D` as it is. Keras 1 keyword arguments are translated as for
    `Convolution2D`.

    Example:
        >>> import warnings
        >>> import kerasx
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore", DeprecationWarning)
        ...     layer = kerasx.layers.Convolution3D(4, 3, 3, 2, border_mode="same")
        >>> type(layer).__name__, layer.kernel_size, layer.padding
        ('Conv3D', (3, 3, 2), 'same')
        >>> kerasx.layers.Convolution3D(4, 3, strides=2)(kerasx.Input(shape=(9, 9, 9, 1))).shape
        (None, 4, 4, 4, 4)
    """
    if len(args) == 2 and _all_ints((filters, kernel_size, *args)):
        kernel = (kernel_size, *args)
        deprecated(
            LEGACY_CONV.format(old="Convolution3D", args=f"{filters}, {kernel_size}, {args[0]}, {args[1]}",
                               new="Conv3D", modern=f"{filters}, {kernel}")
        )
        return Conv3D(filters, kernel, **kwargs)
    return Conv3D(filters, kernel_size, *args, **kwargs)


def Convolution1D(filters, kernel_size, *args, **kwargs):  # noqa: N802 (a Keras 1 class name, Keras 3's alias)
    """Keras 1 `Convolution1D(nb_filter, filter_length, ...)`: a `Conv1D(nb_filter, filter_length, ...)`.

    More positional arguments are Keras 3's (`Convolution1D(filters, kernel_size, strides, ...)`, its alias of
    `Conv1D`): they pass through without a warning. Also translates `subsample_length` (strides) and
    `input_dim`/`input_length` (the sample shape `(input_length, input_dim)` of a first layer), besides the arguments
    `Convolution2D` translates.

    Example:
        >>> import warnings
        >>> import kerasx
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore", DeprecationWarning)
        ...     layer = kerasx.layers.Convolution1D(8, 3, border_mode="same")
        >>> type(layer).__name__, layer.kernel_size, layer.padding
        ('Conv1D', (3,), 'same')
        >>> layer(kerasx.Input(shape=(10, 4))).shape
        (None, 10, 8)
    """
    if args:
        return Conv1D(filters, kernel_size, *args, **kwargs)
    deprecated(
        LEGACY_CONV.format(old="Convolution1D", args=f"{filters}, {kernel_size}", new="Conv1D",
                           modern=f"{filters}, {kernel_size}")
    )
    return Conv1D(filters, kernel_size, **kwargs)


if translate_layer_arguments not in CONSTRUCTOR_TRANSLATORS:
    CONSTRUCTOR_TRANSLATORS.append(translate_layer_arguments)
