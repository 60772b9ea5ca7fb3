"""Dtype policies: which dtype a layer stores its variables in and which it computes in.

`DTypePolicy("mixed_float16")` stores float32 variables and computes in float16 (Keras 3's mixed precision); a
plain dtype name stores and computes in that dtype. The quantized policies describe a layer whose weights were
quantized from a float policy ("int8_from_float32"); their configs are written and read as Keras 3 writes them.
"""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import floatx, is_float, standardize_dtype
from kerasx.serialization import _registry

BAD_POLICY_NAME = (
    "Cannot convert {name!r} to a mixed precision DTypePolicy. Valid policies include 'mixed_float16', "
    "'mixed_bfloat16', and the name of any dtype such as 'float32'."
)
NAME_NOT_STRING = "A DTypePolicy's name must be a string, such as 'mixed_float16'. Received: name={name!r} ({type})."
BAD_QUANTIZATION_MODE = (
    "Invalid quantization mode for {cls}. Expected one of {modes}. Received: mode={mode!r}. "
    "Pass e.g. {cls}({example!r}, 'float32')."
)
BAD_MODE_FORMAT = (
    "Invalid mode for {cls}. Expected the format {form!r}{detail}. Received: mode={mode!r}. "
    "Pass e.g. {cls}({example!r}, 'float32')."
)
INT8_FLOAT16 = (
    "Quantization mode='int8' doesn't work well with compute_dtype='float16'. Received: source_name={source!r}. "
    "Quantize from a float32 or bfloat16 policy ('int8_from_float32', 'int8_from_mixed_bfloat16')."
)
BAD_AMAX = (
    "`amax_history_length` of QuantizedFloat8DTypePolicy must be an integer. Received: amax_history_length={value!r}."
)

_MIXED = {"mixed_float16": ("float16", "float32"), "mixed_bfloat16": ("bfloat16", "float32")}
QUANTIZATION_MODES = ("int8", "float8", "int4", "gptq", "awq")


def _parse_name(name) -> tuple[str, str]:
    """(compute dtype, variable dtype) of a policy name."""
    if not isinstance(name, str):
        raise TypeError(NAME_NOT_STRING.format(name=name, type=type(name).__name__))
    if name in _MIXED:
        return _MIXED[name]
    try:
        dtype = standardize_dtype(name)
    except (ValueError, TypeError) as error:
        raise ValueError(BAD_POLICY_NAME.format(name=name)) from error
    return dtype, dtype


@_registry.builtin
class DTypePolicy:
    """The dtypes of a layer: `variable_dtype` for its weights, `compute_dtype` for its computation.

    Pass a policy (or its name) as a layer's `dtype`, or set it for every new layer with
    `kerasx.config.set_dtype_policy`. With "mixed_float16" or "mixed_bfloat16" a layer keeps float32 variables
    for stable updates and computes in 16 bits: its float inputs are cast to the compute dtype, and inside its
    `call` its float variables read in the compute dtype (when `autocast` is on, the default).

    Args:
        name: "mixed_float16", "mixed_bfloat16", or a dtype name ("float32", "bfloat16", ...). Default: the
            global policy's name (`kerasx.config.dtype_policy()`).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> policy = kerasx.dtype_policies.DTypePolicy("mixed_bfloat16")
        >>> policy.compute_dtype, policy.variable_dtype
        ('bfloat16', 'float32')
        >>> layer = kerasx.layers.Dense(2, dtype=policy)
        >>> y = layer(np.ones((1, 3), "float32"))
        >>> kerasx.ops.dtype(y), layer.kernel.dtype
        ('bfloat16', 'float32')
    """

    def __init__(self, name: str | None = None):
        if name is None:
            name = _default_name()
        self._compute_dtype, self._variable_dtype = _parse_name(name)
        self._name = name
        self._quantization_mode = None

    @property
    def name(self) -> str:
        """The policy's name, e.g. "mixed_float16"."""
        return self._name

    @property
    def compute_dtype(self) -> str:
        """The dtype layers compute in."""
        return self._compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype layers store their variables in."""
        return self._variable_dtype

    @property
    def quantization_mode(self) -> str | None:
        """The quantization mode ("int8", ...) of a quantized policy; None for a float policy."""
        return self._quantization_mode

    def convert_input(self, x, autocast: bool, dtype: str):
        """`x` cast to `dtype` when it is a float tensor and `autocast` is on; `x` unchanged otherwise."""
        dtype = standardize_dtype(dtype)
        if not autocast or not is_float(dtype):
            return x
        current = ops.dtype(x)
        return ops.cast(x, dtype) if is_float(current) and current != dtype else x

    def get_config(self) -> dict:
        return {"name": self.name}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __eq__(self, other):
        return type(other) is type(self) and other.get_config() == self.get_config()

    def __hash__(self):
        return hash((type(self).__name__, self.name))

    def __repr__(self):
        return f'<{type(self).__name__} "{self.name}">'


@_registry.builtin
class FloatDTypePolicy(DTypePolicy):
    """Keras 3's former name of a float `DTypePolicy`; it behaves exactly as one.

    Example:
        >>> import kerasx
        >>> kerasx.dtype_policies.FloatDTypePolicy("mixed_float16").compute_dtype
        'float16'
    """


# The policy `kerasx.config.set_dtype_policy` set, or None for `floatx()`; here, beside the class that reads it.
GLOBAL_POLICY: list = [None]


def _default_name() -> str:
    policy = GLOBAL_POLICY[0]
    return floatx() if policy is None else policy.name


@_registry.builtin
class QuantizedDTypePolicy(DTypePolicy):
    """A layer whose weights are quantized (`mode`) from a float policy (`source_name`): the variables and the
    computation of the float policy, the quantized kernels of the mode.

    Args:
        mode: "int8" or "int4" (the modes kerasx's layers run), or "float8", "gptq", "awq" (kept in configs;
            kerasx's layers refuse them).
        source_name: the float policy quantized from; default the global policy's name
            (`kerasx.config.dtype_policy()`), as in Keras 3.

    Example:
        >>> import kerasx
        >>> policy = kerasx.dtype_policies.QuantizedDTypePolicy("int8", "mixed_bfloat16")
        >>> policy.name, policy.compute_dtype, policy.variable_dtype
        ('int8_from_mixed_bfloat16', 'bfloat16', 'float32')
    """

    _modes = QUANTIZATION_MODES

    def __init__(self, mode: str, source_name: str | None = None):
        source_name = _default_name() if source_name is None else source_name
        super().__init__(source_name)
        self._check_mode(mode)
        if self._base_mode(mode) == "int8" and self.compute_dtype == "float16":
            raise ValueError(INT8_FLOAT16.format(source=source_name))
        self._source_name = source_name
        self._mode = mode
        self._quantization_mode = self._base_mode(mode)
        self._name = f"{mode}_from_{source_name}"

    @staticmethod
    def _base_mode(mode: str) -> str:
        return mode.split("/")[0]

    def _check_mode(self, mode) -> None:
        if mode not in self._modes:
            raise ValueError(
                BAD_QUANTIZATION_MODE.format(cls=type(self).__name__, modes=self._modes, mode=mode, example="int8")
            )

    @property
    def source_name(self) -> str:
        """The float policy the weights were quantized from."""
        return self._source_name

    def get_config(self) -> dict:
        return {"mode": self._mode, "source_name": self._source_name}


@_registry.builtin
class QuantizedFloat8DTypePolicy(QuantizedDTypePolicy):
    """A float8-quantized layer's policy, with the length of the scaling history (`amax_history_length`).

    Example:
        >>> import kerasx
        >>> kerasx.dtype_policies.QuantizedFloat8DTypePolicy("float8", amax_history_length=16).get_config()
        {'mode': 'float8', 'source_name': 'float32', 'amax_history_length': 16}
    """

    def __init__(self, mode: str, source_name: str | None = None, amax_history_length: int = 1024):
        if not isinstance(amax_history_length, int) or isinstance(amax_history_length, bool):
            raise TypeError(BAD_AMAX.format(value=amax_history_length))
        super().__init__(mode, source_name)
        self._amax_history_length = amax_history_length

    @property
    def amax_history_length(self) -> int:
        return self._amax_history_length

    def get_config(self) -> dict:
        return {**super().get_config(), "amax_history_length": self._amax_history_length}


def _parts(cls, mode, prefix: str, count: int, form: str, example: str) -> list[int]:
    """The integers of a mode written `prefix/<int>/...` (`count` of them), checked."""
    parts = mode.split("/") if isinstance(mode, str) else []
    if len(parts) != count + 1 or parts[0] != prefix:
        raise ValueError(BAD_MODE_FORMAT.format(cls=cls, form=form, detail="", mode=mode, example=example))
    try:
        return [int(p) for p in parts[1:]]
    except ValueError as error:
        message = BAD_MODE_FORMAT.format(cls=cls, form=form, detail=" with integer values", mode=mode, example=example)
        raise ValueError(message) from error


@_registry.builtin
class Int4DTypePolicy(QuantizedDTypePolicy):
    """An int4 policy with a block size, mode "int4/<block_size>".

    Example:
        >>> import kerasx
        >>> policy = kerasx.dtype_policies.Int4DTypePolicy("int4/128")
        >>> policy.name, policy.quantization_mode, policy.block_size
        ('int4/128_from_float32', 'int4', 128)
    """

    def _check_mode(self, mode) -> None:
        (self.block_size,) = _parts("Int4DTypePolicy", mode, "int4", 1, "int4/<block_size>", "int4/128")


@_registry.builtin
class GPTQDTypePolicy(QuantizedDTypePolicy):
    """A GPTQ policy, mode "gptq/<weight_bits>/<group_size>" (weight bits 2, 3, 4 or 8; group size -1 for none).

    Example:
        >>> import kerasx
        >>> kerasx.dtype_policies.GPTQDTypePolicy("gptq/4/128").get_config()
        {'mode': 'gptq/4/128', 'source_name': 'float32'}
    """

    _bits = (2, 3, 4, 8)

    def _check_mode(self, mode) -> None:
        cls = type(self).__name__
        prefix = cls[:-len("DTypePolicy")].lower()
        form = f"{prefix}/<weight_bits>/<group_size>"
        example = f"{prefix}/4/128"
        self.weight_bits, self.group_size = _parts(cls, mode, prefix, 2, form, example)
        if self.weight_bits not in self._bits:
            detail = f" with weight_bits in {self._bits}"
            raise ValueError(BAD_MODE_FORMAT.format(cls=cls, form=form, detail=detail, mode=mode, example=example))


@_registry.builtin
class AWQDTypePolicy(GPTQDTypePolicy):
    """An AWQ policy, mode "awq/4/<group_size>" (AWQ quantizes to 4 bits only).

    Example:
        >>> import kerasx
        >>> kerasx.dtype_policies.AWQDTypePolicy("awq/4/128").quantization_mode
        'awq'
    """

    _bits = (4,)
