"""Keras 1 constructor arguments of core layers, renamed to their Keras 3 names before the layer sees them.

Registered in `kerasx.layers._layer.CONSTRUCTOR_TRANSLATORS`: `Conv2D(16, (3, 3), border_mode="same")` warns and
builds `Conv2D(16, (3, 3), padding="same")`. The core layer classes know nothing of Keras 1.
"""

from __future__ import annotations

from kerasx.layers._conv import BaseConv, Conv1D
from kerasx.layers._dense import Dense
from kerasx.layers._embedding import Embedding
from kerasx.layers._pooling import BasePooling
from kerasx.legacy._warn import deprecated

LEGACY_ARGUMENT = (
    "`{cls}({old}={value!r})` is the Keras 1 spelling; use `{cls}({new}={translated!r})` instead "
    "(it is translated for you, but support for Keras 1 arguments will be removed)."
)
BOTH_SPELLINGS = (
    "{cls} received both the Keras 1 argument `{old}` and its Keras 3 spelling `{new}`. Received: {old}={value!r}, "
    "{new}={current!r}. Pass only `{new}`."
)
UNKNOWN_DIM_ORDERING = (
    "{cls}: unknown Keras 1 `dim_ordering`. Received: dim_ordering={value!r}. Expected 'th' (channels_first), "
    "'tf' (channels_last) or 'default'; in Keras 3 spelling pass `data_format=` instead."
)

# Keras 1 initializer names that differ from Keras 3 ("uniform" and "normal" had a fixed 0.05 scale, which is what
# Keras 3's "random_uniform" / "random_normal" defaults are).
_INITIALIZER_NAMES = {"uniform": "random_uniform", "normal": "random_normal", "zero": "zeros", "one": "ones"}
_DIM_ORDERINGS = {"th": "channels_first", "tf": "channels_last", "default": None}


def _initializer(cls_name, value):
    return _INITIALIZER_NAMES.get(value, value) if isinstance(value, str) else value


def _dim_ordering(cls_name, value):
    if value not in _DIM_ORDERINGS:
        raise ValueError(UNKNOWN_DIM_ORDERING.format(cls=cls_name, value=value))
    return _DIM_ORDERINGS[value]


def _same(cls_name, value):
    return value


_WEIGHTS = {
    "init": ("kernel_initializer", _initializer),
    "W_regularizer": ("kernel_regularizer", _same),
    "b_regularizer": ("bias_regularizer", _same),
    "W_constraint": ("kernel_constraint", _same),
    "b_constraint": ("bias_constraint", _same),
    "bias": ("use_bias", _same),
}
_IMAGE = {
    "border_mode": ("padding", _same),
    "dim_ordering": ("data_format", _dim_ordering),
}

# Per class (subclasses included): Keras 1 name -> (Keras 3 name, value translation).
RENAMES = (
    (Dense, {"output_dim": ("units", _same), **_WEIGHTS}),
    (Conv1D, {"nb_filter": ("filters", _same), "filter_length": ("kernel_size", _same),
              "subsample_length": ("strides", _same)}),
    (BaseConv, {"nb_filter": ("filters", _same), "subsample": ("strides", _same), **_WEIGHTS, **_IMAGE}),
    (BasePooling, {"pool_length": ("pool_size", _same), "stride": ("strides", _same), **_IMAGE}),
    (Embedding, {"init": ("embeddings_initializer", _initializer), "W_regularizer": ("embeddings_regularizer", _same),
                 "W_constraint": ("embeddings_constraint", _same)}),
)


def _rename(cls, kwargs: dict, renames: dict) -> dict:
    name = cls.__name__
    for old in [key for key in kwargs if key in renames]:
        new, translate = renames[old]
        value = kwargs.pop(old)
        if new in kwargs:
            raise TypeError(BOTH_SPELLINGS.format(cls=name, old=old, new=new, value=value, current=kwargs[new]))
        translated = translate(name, value)
        deprecated(LEGACY_ARGUMENT.format(cls=name, old=old, value=value, new=new, translated=translated))
        kwargs[new] = translated
    return kwargs


def _conv1d_input(cls, kwargs: dict) -> dict:
    # Keras 1 gave a first Convolution1D its `(input_length, input_dim)` sample shape as two arguments; the base
    # layer alone would read `input_dim` as a vector size.
    if ("input_length" in kwargs or "input_dim" in kwargs) and "input_shape" not in kwargs:
        length, dim = kwargs.pop("input_length", None), kwargs.pop("input_dim", None)
        shape = (length, dim)
        deprecated(
            LEGACY_ARGUMENT.format(cls=cls.__name__, old="input_length/input_dim", value=(length, dim),
                                   new="input_shape", translated=shape)
        )
        kwargs["input_shape"] = shape
    return kwargs


def translate_layer_arguments(cls, args: tuple, kwargs: dict):
    """The constructor translator: Keras 1 keyword arguments of known layer classes become Keras 3 ones."""
    if not kwargs:
        return args, kwargs
    for base, renames in RENAMES:
        if issubclass(cls, base) and not kwargs.keys().isdisjoint(renames):
            kwargs = _rename(cls, dict(kwargs), renames)
    if issubclass(cls, Conv1D):
        kwargs = _conv1d_input(cls, kwargs)
    return args, kwargs
