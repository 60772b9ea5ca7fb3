"""Quantization configs: what `layer.quantize(mode, config=...)` and the layers' `quantization_config` take."""

from __future__ import annotations

from typing import Any, cast

from kerasx.quantizers._abs_max import AbsMaxQuantizer, Quantizer
from kerasx.serialization import _registry

MODES = ("int8", "float8", "int4", "gptq", "awq")
NO_MODE = (
    "QuantizationConfig is a base class without a mode: use Int8QuantizationConfig, Int4QuantizationConfig, "
    "Float8QuantizationConfig, GPTQConfig or AWQConfig."
)
INT8_WEIGHT_DTYPE = (
    "Int8QuantizationConfig needs a weight_quantizer with output_dtype='int8'. Received: output_dtype={dtype!r}."
)
INT4_BLOCK_SIZE = (
    "Int4QuantizationConfig: block_size must be None, -1 or a positive int. Received: block_size={value!r}."
)
INT4_CUSTOM_SUBCHANNEL = (
    "Int4QuantizationConfig: sub-channel quantization (block_size > 0) uses its own grouped quantizer and takes no "
    "custom quantizers. Set block_size=None (or -1) for per-channel quantization, or drop the quantizers. "
    "Received: block_size={value!r}."
)
INT4_WEIGHT_RANGE = (
    "Int4QuantizationConfig needs a weight_quantizer with value_range=(-8, 7). Received: value_range={value!r}."
)
INT4_WEIGHT_DTYPE = (
    "Int4QuantizationConfig needs a weight_quantizer with output_dtype='int8'. Received: output_dtype={dtype!r}."
)
BAD_CALIBRATION = "{cls}: {name} must be {expected}. Received: {name}={value!r}."
BAD_MODE = "Invalid quantization mode. Expected one of {modes}. Received: mode={mode!r}."
NO_MODE_NOR_CONFIG = "quantize() needs a `mode` (e.g. 'int8') or a `config`. Received: mode=None, config=None."
CALIBRATED_NEEDS_CONFIG = "Mode {mode!r} needs its calibration config: pass `config={cls}(dataset, tokenizer, ...)`."
NOT_A_CONFIG = (
    "Argument `config` must be a QuantizationConfig (e.g. Int8QuantizationConfig()). Received: config={config!r} "
    "(of type {type})."
)
CONTRADICTORY = "Contradictory arguments: mode={mode!r} but config.mode={config_mode!r}."


def _deserialize_quantizer(config):
    if config is None or isinstance(config, Quantizer):
        return config
    return _registry.deserialize_keras_object(config, kind="quantizer")


@_registry.builtin
class QuantizationConfig:
    """Base of the quantization configs: the quantizers applied to a layer's weights and to its inputs.

    Subclasses name their `mode` ("int8", "int4", ...); None quantizers mean each layer's default.

    Args:
        weight_quantizer: quantizer of the weights, or None.
        activation_quantizer: quantizer of the inputs, or None (weight-only quantization).

    Example:
        >>> from kerasx import quantizers
        >>> config = quantizers.Int8QuantizationConfig(activation_quantizer=None)
        >>> config.mode, config.activation_quantizer is None
        ('int8', True)
    """

    def __init__(self, weight_quantizer: Quantizer | None = None, activation_quantizer: Quantizer | None = None):
        self.weight_quantizer = weight_quantizer
        self.activation_quantizer = activation_quantizer

    @property
    def mode(self) -> str:
        raise TypeError(NO_MODE)

    def get_config(self) -> dict:
        return {
            "weight_quantizer": _registry.serialize_keras_object(self.weight_quantizer),
            "activation_quantizer": _registry.serialize_keras_object(self.activation_quantizer),
        }

    @classmethod
    def from_config(cls, config: dict):
        return cls(
            weight_quantizer=_deserialize_quantizer(config.get("weight_quantizer")),
            activation_quantizer=_deserialize_quantizer(config.get("activation_quantizer")),
        )

    @staticmethod
    def weight_quantizer_or_default(config, default):
        if config is not None and config.weight_quantizer is not None:
            return config.weight_quantizer
        return default

    @staticmethod
    def activation_quantizer_or_default(config, default):
        return config.activation_quantizer if config is not None else default


@_registry.builtin
class Int8QuantizationConfig(QuantizationConfig):
    """Int8 quantization: int8 weights with a scale per output channel; inputs quantized on the fly.

    Args:
        weight_quantizer: quantizer of the weights (output_dtype "int8"); None for each layer's default.
        activation_quantizer: quantizer of the inputs; "default" is `AbsMaxQuantizer()`; None keeps float inputs.

    Example:
        >>> from kerasx import quantizers
        >>> config = quantizers.Int8QuantizationConfig()
        >>> config.mode, type(config.activation_quantizer).__name__
        ('int8', 'AbsMaxQuantizer')
    """

    def __init__(self, weight_quantizer: Quantizer | None = None, activation_quantizer: Any = "default"):
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = AbsMaxQuantizer()
        # Any value but "default" is the caller's quantizer (or None).
        super().__init__(weight_quantizer, cast("Quantizer | None", activation_quantizer))
        if weight_quantizer is not None and weight_quantizer.output_dtype != "int8":
            raise ValueError(INT8_WEIGHT_DTYPE.format(dtype=weight_quantizer.output_dtype))

    @property
    def mode(self) -> str:
        return "int8"


@_registry.builtin
class Int4QuantizationConfig(QuantizationConfig):
    """Int4 quantization: 4-bit weights packed two per byte.

    Args:
        weight_quantizer: quantizer of the weights (value_range (-8, 7), output_dtype "int8"); only with
            per-channel quantization.
        activation_quantizer: quantizer of the inputs; "default" means none (weight-only).
        block_size: rows per group of sub-channel quantization (each group gets a scale and a zero point);
            None or -1 for one scale per output channel.

    Example:
        >>> from kerasx import quantizers
        >>> config = quantizers.Int4QuantizationConfig(block_size=64)
        >>> config.mode, config.block_size, config.get_config()["block_size"]
        ('int4', 64, 64)
    """

    def __init__(
        self,
        weight_quantizer: Quantizer | None = None,
        activation_quantizer: Any = "default",
        block_size: int | None = 128,
    ):
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = None
        super().__init__(weight_quantizer, cast("Quantizer | None", activation_quantizer))
        if block_size is not None and block_size != -1 and block_size <= 0:
            raise ValueError(INT4_BLOCK_SIZE.format(value=block_size))
        self.block_size = block_size
        sub_channel = block_size is not None and block_size > 0
        if sub_channel and (weight_quantizer is not None or self.activation_quantizer is not None):
            raise ValueError(INT4_CUSTOM_SUBCHANNEL.format(value=block_size))
        if weight_quantizer is not None:
            # Only quantizers with a range (AbsMaxQuantizer) can quantize to int4; others fail here.
            value_range = weight_quantizer.value_range  # pyright: ignore[reportAttributeAccessIssue]
            if tuple(value_range) != (-8, 7):
                raise ValueError(INT4_WEIGHT_RANGE.format(value=value_range))
            if weight_quantizer.output_dtype != "int8":
                raise ValueError(INT4_WEIGHT_DTYPE.format(dtype=weight_quantizer.output_dtype))

    @property
    def mode(self) -> str:
        return "int4"

    def get_config(self) -> dict:
        return {**super().get_config(), "block_size": self.block_size}

    @classmethod
    def from_config(cls, config: dict):
        return cls(
            weight_quantizer=_deserialize_quantizer(config.get("weight_quantizer")),
            activation_quantizer=_deserialize_quantizer(config.get("activation_quantizer")),
            block_size=config.get("block_size"),
        )


@_registry.builtin
class Float8QuantizationConfig(QuantizationConfig):
    """Float8 training (delayed scaling); it takes no quantizers and only marks the mode.

    Example:
        >>> from kerasx import quantizers
        >>> quantizers.Float8QuantizationConfig().mode
        'float8'
    """

    def __init__(self):
        super().__init__(None, None)

    @property
    def mode(self) -> str:
        return "float8"

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls()


def _check(cls: str, name: str, value, ok: bool, expected: str) -> None:
    if not ok:
        raise ValueError(BAD_CALIBRATION.format(cls=cls, name=name, value=value, expected=expected))


@_registry.builtin
class GPTQConfig(QuantizationConfig):
    """Settings of GPTQ post-training quantization (calibration data, bits, groups, Hessian damping).

    Args:
        dataset: calibration data (strings or token arrays); not saved in configs.
        tokenizer: callable turning strings of `dataset` into tokens; not saved in configs.
        weight_bits: 2, 3, 4 or 8.
        num_samples: calibration samples used.
        per_channel: one scale per output channel.
        sequence_length: tokens per calibration sample.
        hessian_damping: fraction of the Hessian's mean diagonal added for stability, in [0, 1].
        group_size: weights sharing a scale; -1 for whole channels.
        symmetric: symmetric instead of asymmetric quantization.
        activation_order: quantize columns by decreasing activation magnitude.
        quantization_layer_structure: `{"pre_block_layers": [...], "sequential_blocks": [...]}` or None.

    Example:
        >>> from kerasx import quantizers
        >>> config = quantizers.GPTQConfig(dataset=None, tokenizer=None, weight_bits=8, group_size=-1)
        >>> config.mode, config.dtype_policy_string()
        ('gptq', 'gptq/8/-1')
    """

    def __init__(
        self,
        dataset,
        tokenizer,
        *,
        weight_bits: int = 4,
        num_samples: int = 128,
        per_channel: bool = True,
        sequence_length: int = 512,
        hessian_damping: float = 0.01,
        group_size: int = 128,
        symmetric: bool = False,
        activation_order: bool = False,
        quantization_layer_structure: dict | None = None,
    ):
        super().__init__()
        _check("GPTQConfig", "weight_bits", weight_bits, weight_bits in (2, 3, 4, 8), "one of 2, 3, 4, 8")
        _check("GPTQConfig", "num_samples", num_samples, num_samples > 0, "a positive int")
        _check("GPTQConfig", "sequence_length", sequence_length, sequence_length > 0, "a positive int")
        _check("GPTQConfig", "hessian_damping", hessian_damping, 0 <= hessian_damping <= 1, "between 0 and 1")
        _check("GPTQConfig", "group_size", group_size, group_size >= -1 and group_size != 0, "-1 or a positive int")
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.num_samples = num_samples
        self.per_channel = per_channel
        self.sequence_length = sequence_length
        self.hessian_damping = hessian_damping
        self.weight_bits = weight_bits
        self.group_size = group_size
        self.symmetric = symmetric
        self.activation_order = activation_order
        self.quantization_layer_structure = quantization_layer_structure

    @property
    def mode(self) -> str:
        return "gptq"

    def dtype_policy_string(self) -> str:
        return f"gptq/{self.weight_bits}/{self.group_size}"

    def get_config(self) -> dict:
        return {
            "dataset": None,
            "tokenizer": None,
            "weight_bits": self.weight_bits,
            "num_samples": self.num_samples,
            "per_channel": self.per_channel,
            "sequence_length": self.sequence_length,
            "hessian_damping": self.hessian_damping,
            "group_size": self.group_size,
            "symmetric": self.symmetric,
            "activation_order": self.activation_order,
            "quantization_layer_structure": self.quantization_layer_structure,
        }

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


@_registry.builtin
class AWQConfig(QuantizationConfig):
    """Settings of AWQ (activation-aware weight quantization): calibration data, groups and the scale search.

    Args:
        dataset: calibration data; not saved in configs.
        tokenizer: callable turning strings of `dataset` into tokens; not saved in configs.
        weight_bits: 4 (the only width AWQ supports).
        num_samples: calibration samples used.
        sequence_length: tokens per calibration sample.
        group_size: weights sharing a scale; -1 for whole channels.
        num_grid_points: points of the grid search for each channel's scale.
        quantization_layer_structure: `{"pre_block_layers": [...], "sequential_blocks": [...]}` or None.

    Example:
        >>> from kerasx import quantizers
        >>> config = quantizers.AWQConfig(dataset=None, tokenizer=None, group_size=64)
        >>> config.mode, config.dtype_policy_string()
        ('awq', 'awq/4/64')
    """

    def __init__(
        self,
        dataset,
        tokenizer,
        *,
        weight_bits: int = 4,
        num_samples: int = 128,
        sequence_length: int = 512,
        group_size: int = 128,
        num_grid_points: int = 20,
        quantization_layer_structure: dict | None = None,
    ):
        super().__init__()
        _check("AWQConfig", "weight_bits", weight_bits, weight_bits == 4, "4 (AWQ supports 4-bit weights only)")
        _check("AWQConfig", "num_samples", num_samples, num_samples > 0, "a positive int")
        _check("AWQConfig", "sequence_length", sequence_length, sequence_length > 0, "a positive int")
        _check("AWQConfig", "group_size", group_size, group_size >= -1 and group_size != 0, "-1 or a positive int")
        _check("AWQConfig", "num_grid_points", num_grid_points, num_grid_points > 0, "a positive int")
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.weight_bits = weight_bits
        self.num_samples = num_samples
        self.sequence_length = sequence_length
        self.group_size = group_size
        self.num_grid_points = num_grid_points
        self.quantization_layer_structure = quantization_layer_structure

    @property
    def mode(self) -> str:
        return "awq"

    def dtype_policy_string(self) -> str:
        return f"awq/{self.weight_bits}/{self.group_size}"

    def get_config(self) -> dict:
        return {
            "dataset": None,
            "tokenizer": None,
            "weight_bits": self.weight_bits,
            "num_samples": self.num_samples,
            "sequence_length": self.sequence_length,
            "group_size": self.group_size,
            "num_grid_points": self.num_grid_points,
            "quantization_layer_structure": self.quantization_layer_structure,
        }

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


def resolve_config(mode, config) -> QuantizationConfig:
    """The config `quantize(mode, config)` uses: a default one for a bare mode, checked against the mode."""
    if isinstance(config, str):
        mode, config = config, None
    if mode is not None and mode not in MODES:
        raise ValueError(BAD_MODE.format(modes=MODES, mode=mode))
    if config is None:
        defaults = {"int8": Int8QuantizationConfig, "int4": Int4QuantizationConfig, "float8": Float8QuantizationConfig}
        if mode in defaults:
            return defaults[mode]()
        if mode in ("gptq", "awq"):
            cls = "GPTQConfig" if mode == "gptq" else "AWQConfig"
            raise ValueError(CALIBRATED_NEEDS_CONFIG.format(mode=mode, cls=cls))
        raise ValueError(NO_MODE_NOR_CONFIG)
    if not isinstance(config, QuantizationConfig):
        raise ValueError(NOT_A_CONFIG.format(config=config, type=type(config)))
    if mode is not None and config.mode != mode:
        raise ValueError(CONTRADICTORY.format(mode=mode, config_mode=config.mode))
    return config
