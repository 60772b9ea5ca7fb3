"""What quantizable layers share: the quantization mode read from a quantized dtype policy, `quantize(mode)`,
and `quantize_model`, which `Model.quantize` runs over a model's layers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kerasx import quantizers
from kerasx._quantized_policy import QuantizedDTypePolicy, split_dtype
from kerasx.quantizers._config import resolve_config

NOT_BUILT = (
    "Cannot quantize a layer that isn't yet built. Layer '{name}' (of type '{cls}') is not built yet: call it on "
    "an input (or `build(input_shape)`) first."
)
ALREADY_QUANTIZED = "Layer '{name}' is already quantized with dtype_policy='{policy}'. Received: mode={mode!r}."
UNSUPPORTED_MODE = (
    "Layer '{name}' ({cls}) supports quantization modes {modes} in kerasx. Received: mode={mode!r}. Keras 3's "
    "float8, GPTQ and AWQ quantization are not available in kerasx yet."
)
SUBCLASS = (
    "Layer '{name}' ({cls}) is a subclass of {base}, whose `quantize()` does not know the subclass's weights. "
    "Pass `type_check=False` to quantize it as a {base} anyway."
)
FLOAT16_INT8 = (
    "Layer '{name}': quantization mode='int8' doesn't work well with compute_dtype='float16'. Use a float32 or "
    "bfloat16 layer before calling `quantize()`."
)
BAD_FILTERS = (
    "The `filters` argument of quantize() must be a regex string, a list of regex strings, or a callable. "
    "Received: {type}."
)
UNKNOWN_KWARGS = "Unrecognized keyword arguments passed to {cls}.quantize: {kwargs}."


class QuantizableMixin:
    """Quantization state of Dense, EinsumDense and Embedding. A layer calls `_init_quantization` in `__init__`
    (it returns the float dtype for the base Layer) and implements `_quantize_weights(mode, config)`."""

    _quantizable_modes = ("int8",)
    _quantizable_class: type | None = None

    # Provided by `Layer`, and `_quantize_weights` by the layer's int8 mixin.
    name: str
    built: bool
    dtype: str
    compute_dtype: str
    _own_weights: list
    _flatten_layers: Callable[..., list]
    _quantize_weights: Callable[[str, Any], None]

    def _init_quantization(self, dtype, quantization_config):
        dtype, policy = split_dtype(dtype)
        if isinstance(quantization_config, dict):
            quantization_config = quantizers.deserialize(quantization_config)
        self._quantization_policy = policy
        self.quantization_config = quantization_config
        return dtype

    @property
    def quantization_mode(self) -> str | None:
        """"int8" (or another mode) once the layer is quantized, None before."""
        policy = self._quantization_policy
        return None if policy is None else policy.quantization_mode

    def _quantized_dtype_config(self, config: dict) -> dict:
        """The layer config with the quantized policy and `quantization_config`, as Keras 3 writes them."""
        if self._quantization_policy is not None:
            config["dtype"] = {
                "class_name": "QuantizedDTypePolicy",
                "config": self._quantization_policy.get_config(),
            }
        config["quantization_config"] = quantizers.serialize(self.quantization_config)
        return config

    def quantize(self, mode: str | None = None, type_check: bool = True, config=None) -> None:
        """Quantizes the built layer's weights in place (`mode="int8"`: int8 weights with one scale per output
        channel, inputs quantized on the fly by the config's activation quantizer).

        Args:
            mode: "int8"; optional when `config` is given.
            type_check: refuse subclasses, whose extra weights this method would not know.
            config: a `kerasx.quantizers.QuantizationConfig` choosing the weight and input quantizers.

        Example:
            >>> import kerasx
            >>> layer = kerasx.layers.Dense(3)
            >>> layer.build((None, 4))
            >>> layer.quantize("int8")
            >>> layer.quantization_mode, layer.kernel.dtype, tuple(layer.kernel_scale.shape)
            ('int8', 'int8', (3,))
        """
        cls = type(self).__name__
        base = self._quantizable_class
        if type_check and base is not None and type(self) is not base:
            raise TypeError(SUBCLASS.format(name=self.name, cls=cls, base=base.__name__))
        config = resolve_config(mode, config)
        mode = config.mode
        if not self.built:
            raise ValueError(NOT_BUILT.format(name=self.name, cls=cls))
        if self._quantization_policy is not None:
            raise ValueError(ALREADY_QUANTIZED.format(name=self.name, policy=self._quantization_policy.name, mode=mode))
        if mode not in self._quantizable_modes:
            raise ValueError(UNSUPPORTED_MODE.format(name=self.name, cls=cls, modes=self._quantizable_modes, mode=mode))
        if mode == "int8" and self.compute_dtype == "float16":
            raise ValueError(FLOAT16_INT8.format(name=self.name))
        self.quantization_config = config
        self._quantize_weights(mode, config)
        self._quantization_policy = QuantizedDTypePolicy(mode, self.dtype)

    def _drop_weight(self, old) -> None:
        """Drops a float weight the quantized ones replace (Keras 3 deletes it, so it leaves `weights`)."""
        self._own_weights[:] = [w for w in self._own_weights if w is not old]


def _matches(layer, filters) -> bool:
    if filters is None:
        return True
    if isinstance(filters, (str, list, tuple)):
        patterns = [filters] if isinstance(filters, str) else list(filters)
        return any(re.search(pattern, layer.name) for pattern in patterns)
    return bool(filters(layer))


def quantize_model(model, mode=None, config=None, filters=None, **kwargs) -> bool:
    """Quantizes every quantizable leaf layer of `model` that `filters` selects; True when any layer changed."""
    type_check = kwargs.pop("type_check", True)
    if kwargs:
        raise ValueError(UNKNOWN_KWARGS.format(cls=type(model).__name__, kwargs=kwargs))
    if filters is not None and not (isinstance(filters, (str, list, tuple)) or callable(filters)):
        raise ValueError(BAD_FILTERS.format(type=type(filters)))
    resolve_config(mode, config)
    changed = False
    for layer in model._flatten_layers():
        if not isinstance(layer, QuantizableMixin) or len(layer._flatten_layers()) != 1:
            continue
        if not _matches(layer, filters):
            continue
        layer.quantize(mode, type_check=type_check, config=config)
        changed = True
    return changed
