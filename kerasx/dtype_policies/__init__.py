"""Dtype policies, as `keras.dtype_policies` has them: the variable and compute dtypes of layers (mixed precision),
per-layer maps, the quantized policies of quantized layers, and their configs."""

from kerasx import _missing
from kerasx.dtype_policies._dtype_policy import (
    AWQDTypePolicy,
    DTypePolicy,
    FloatDTypePolicy,
    GPTQDTypePolicy,
    Int4DTypePolicy,
    QuantizedDTypePolicy,
    QuantizedFloat8DTypePolicy,
)
from kerasx.dtype_policies._dtype_policy_map import DTypePolicyMap
from kerasx.dtype_policies._get import deserialize, get, serialize

__all__ = [
    "AWQDTypePolicy",
    "DTypePolicy",
    "DTypePolicyMap",
    "FloatDTypePolicy",
    "GPTQDTypePolicy",
    "Int4DTypePolicy",
    "QuantizedDTypePolicy",
    "QuantizedFloat8DTypePolicy",
    "deserialize",
    "get",
    "serialize",
]

__getattr__ = _missing.missing_name_hook(__name__)
