"""The quantized dtype policy of a quantized layer ("int8_from_float32"), written and read as Keras 3's
`QuantizedDTypePolicy` so that files with quantized layers move both ways.

Private: only what quantized layers need until kerasx has dtype policies of its own.
"""

from __future__ import annotations

from kerasx.backend import standardize_dtype
from kerasx.serialization import _registry

QUANTIZED_MODES = ("int8", "int4")
BAD_POLICY = (
    "Cannot read the quantized dtype policy {policy!r}: expected '<mode>_from_<dtype>' with mode one of {modes} "
    "(e.g. 'int8_from_float32')."
)


@_registry.builtin
class QuantizedDTypePolicy:
    """A quantization mode over a float source dtype: weights stored quantized, computation in the source dtype."""

    def __init__(self, mode: str, source_name: str | None = None):
        if mode not in QUANTIZED_MODES:
            raise ValueError(BAD_POLICY.format(policy=mode, modes=QUANTIZED_MODES))
        self.quantization_mode = mode
        self.source_name = standardize_dtype(source_name or "float32")

    @property
    def name(self) -> str:
        return f"{self.quantization_mode}_from_{self.source_name}"

    def get_config(self) -> dict:
        return {"mode": self.quantization_mode, "source_name": self.source_name}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self):
        return f'<QuantizedDTypePolicy "{self.name}">'


def split_dtype(dtype) -> tuple:
    """`(float dtype for the Layer, QuantizedDTypePolicy or None)` from a layer's `dtype` argument: a plain dtype, a
    policy, its serialized dict, or its name."""
    if isinstance(dtype, QuantizedDTypePolicy):
        return dtype.source_name, dtype
    if isinstance(dtype, dict) and dtype.get("class_name") == "QuantizedDTypePolicy":
        policy = QuantizedDTypePolicy.from_config(dtype.get("config") or {})
        return policy.source_name, policy
    if isinstance(dtype, str) and "_from_" in dtype:
        mode, _, source = dtype.partition("_from_")
        if mode not in QUANTIZED_MODES:
            raise ValueError(BAD_POLICY.format(policy=dtype, modes=QUANTIZED_MODES))
        policy = QuantizedDTypePolicy(mode, source)
        return policy.source_name, policy
    return dtype, None
