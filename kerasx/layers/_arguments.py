"""Constructor-argument checks shared by the convolution, pooling and padding layers.

Each returns the normalized value or raises a ValueError naming the layer class, the argument and what is expected,
so `Conv2D(kernel_size=(3,))` fails when the layer is made, not at its first call.
"""

from __future__ import annotations

from typing import Literal, cast, overload

from kerasx.backend import standardize_data_format
from kerasx.backend._config import ImageDataFormat
from kerasx.ops._types import Padding

# "causal" only where the layer allows it (Conv1D).
PaddingMode = Literal["valid", "same", "causal"]

BAD_INT_TUPLE = (
    "{cls}: `{name}` must be a {kind} int or a tuple of {count} {kind} ints. Received: {name}={value!r}."
)
BAD_PADDING_MODE = "{cls}: unknown padding. Received: padding={value!r}. Expected one of {allowed}."
BAD_DATA_FORMAT = (
    '{cls}: unknown data_format. Received: data_format={value!r}. Expected "channels_last", "channels_first" '
    "or None (the value of `kerasx.backend.image_data_format()`)."
)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def int_tuple(cls_name: str, value, count: int, name: str, allow_zero: bool = False) -> tuple:
    """`value` (an int or `count` ints) as a tuple of `count` ints, all > 0 (or >= 0 with `allow_zero`)."""
    values = (value,) * count if _is_int(value) else value
    try:
        values = tuple(values)
    except TypeError:
        values = ()
    low = 0 if allow_zero else 1
    if len(values) != count or not all(_is_int(v) and v >= low for v in values):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(BAD_INT_TUPLE.format(cls=cls_name, name=name, kind=kind, count=count, value=value))
    return values


@overload
def padding_mode(cls_name: str, value) -> Padding: ...
@overload
def padding_mode(cls_name: str, value, allowed: tuple[str, ...]) -> PaddingMode: ...
def padding_mode(cls_name: str, value, allowed=("valid", "same")) -> PaddingMode:
    mode = value.lower() if isinstance(value, str) else value
    if mode not in allowed:
        raise ValueError(BAD_PADDING_MODE.format(cls=cls_name, value=value, allowed=", ".join(map(repr, allowed))))
    return cast(PaddingMode, mode)


def data_format(cls_name: str, value) -> ImageDataFormat:
    try:
        return standardize_data_format(value)
    except ValueError:
        raise ValueError(BAD_DATA_FORMAT.format(cls=cls_name, value=value)) from None
