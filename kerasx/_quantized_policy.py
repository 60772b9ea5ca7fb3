"""The quantized dtype policy of a quantized layer ("int8_from_float32"): which of `kerasx.dtype_policies`'
quantized policies kerasx's layers run, and the split of a layer's `dtype` argument into its float policy and its
quantized one."""

from __future__ import annotations

from kerasx.dtype_policies import QuantizedDTypePolicy, get

# The modes kerasx's quantized layers can load and run; Keras's float8, GPTQ and AWQ policies round-trip in configs
# (`kerasx.dtype_policies`) but a layer refuses them.
QUANTIZED_MODES = ("int8", "int4")
UNSUPPORTED_POLICY = (
    "kerasx's layers cannot run the quantized dtype policy {policy!r}: its mode {mode!r} is not one kerasx "
    "implements (supported: {modes}). Load the float model and quantize it with `model.quantize('int8')`, or run "
    "this model with Keras 3."
)

_QUANTIZED_CLASSES = (
    "QuantizedDTypePolicy", "QuantizedFloat8DTypePolicy", "Int4DTypePolicy", "GPTQDTypePolicy", "AWQDTypePolicy"
)

__all__ = ["QUANTIZED_MODES", "QuantizedDTypePolicy", "split_dtype"]


def split_dtype(dtype) -> tuple:
    """`(float dtype or policy name for the Layer, QuantizedDTypePolicy or None)` from a layer's `dtype` argument: a
    plain dtype, a policy, its serialized dict, or its name."""
    policy = dtype
    named = isinstance(dtype, str) and "_from_" in dtype
    if named or (isinstance(dtype, dict) and dtype.get("class_name") in _QUANTIZED_CLASSES):
        policy = get(dtype)
    if not isinstance(policy, QuantizedDTypePolicy):
        return dtype, None
    if policy.quantization_mode not in QUANTIZED_MODES or "/" in policy.get_config()["mode"]:
        raise ValueError(
            UNSUPPORTED_POLICY.format(policy=policy.name, mode=policy.get_config()["mode"], modes=QUANTIZED_MODES)
        )
    return policy.source_name, policy
