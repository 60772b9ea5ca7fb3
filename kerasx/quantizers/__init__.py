"""Quantization: quantizers, quantization configs, and the int8/int4/float8 helper functions of Keras 3."""

from __future__ import annotations

import inspect
from typing import Any

from kerasx import _missing
from kerasx.quantizers._abs_max import AbsMaxQuantizer, Quantizer, abs_max_quantize
from kerasx.quantizers._config import (
    AWQConfig,
    Float8QuantizationConfig,
    GPTQConfig,
    Int4QuantizationConfig,
    Int8QuantizationConfig,
    QuantizationConfig,
)
from kerasx.quantizers._fake_quant import fake_quant_with_min_max_vars
from kerasx.quantizers._float8 import compute_float8_amax_history, compute_float8_scale, quantize_and_dequantize
from kerasx.quantizers._int4 import abs_max_quantize_grouped_with_zero_point, pack_int4, unpack_int4
from kerasx.serialization import _registry

UNKNOWN_QUANTIZER = (
    "Could not interpret quantizer identifier: {identifier!r}. Expected None, a dict from "
    "`kerasx.quantizers.serialize`, an instance, or one of the names: {names}."
)

_CLASSES = (
    Quantizer,
    AbsMaxQuantizer,
    QuantizationConfig,
    Int8QuantizationConfig,
    Int4QuantizationConfig,
    Float8QuantizationConfig,
    AWQConfig,
)
_SNAKE_NAMES = (
    "quantizer",
    "abs_max_quantizer",
    "quantization_config",
    "int8_quantization_config",
    "int4_quantization_config",
    "float8_quantization_config",
    "awq_config",
)
_BY_NAME = {cls.__name__: cls for cls in _CLASSES} | dict(zip(_SNAKE_NAMES, _CLASSES))


def serialize(initializer: Any) -> Any:
    """`{"class_name": ..., "config": ...}` describing a quantizer or quantization config (None gives None).

    Example:
        >>> from kerasx import quantizers
        >>> quantizers.serialize(quantizers.AbsMaxQuantizer(axis=0))["config"]
        {'value_range': (-127, 127), 'epsilon': 1e-07, 'output_dtype': 'int8', 'axis': (0,)}
    """
    return _registry.serialize_keras_object(initializer)


def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """The quantizer or config `serialize` described; `custom_objects` maps names to your own classes.

    Example:
        >>> from kerasx import quantizers
        >>> quantizer = quantizers.deserialize({"class_name": "AbsMaxQuantizer", "config": {"axis": -1}})
        >>> quantizer.axis
        (-1,)
    """
    return _registry.deserialize_keras_object(config, custom_objects, module_objects=_BY_NAME, kind="quantizer")


def get(identifier: Any, **kwargs) -> Any:
    """A quantizer or config from a name (created with `kwargs`), a dict from `serialize`, or an instance.

    Example:
        >>> from kerasx import quantizers
        >>> quantizers.get("abs_max_quantizer", axis=0).axis
        (0,)
        >>> quantizers.get(None) is None
        True
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _BY_NAME.get(identifier)
    else:
        obj = identifier
    if inspect.isclass(obj):
        return obj(**kwargs)
    if obj is None or (not callable(obj) and not isinstance(obj, QuantizationConfig)):
        raise ValueError(UNKNOWN_QUANTIZER.format(identifier=identifier, names=", ".join(sorted(_BY_NAME))))
    return obj


__all__ = [
    "AWQConfig",
    "AbsMaxQuantizer",
    "Float8QuantizationConfig",
    "GPTQConfig",
    "Int4QuantizationConfig",
    "Int8QuantizationConfig",
    "QuantizationConfig",
    "Quantizer",
    "abs_max_quantize",
    "abs_max_quantize_grouped_with_zero_point",
    "compute_float8_amax_history",
    "compute_float8_scale",
    "deserialize",
    "fake_quant_with_min_max_vars",
    "get",
    "pack_int4",
    "quantize_and_dequantize",
    "serialize",
    "unpack_int4",
]

__getattr__ = _missing.missing_name_hook(__name__)
