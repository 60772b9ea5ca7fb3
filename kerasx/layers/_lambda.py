"""`Lambda`: wraps a function of tensors (written with `kerasx.ops`) as a layer."""

from __future__ import annotations

import inspect
from typing import TypeGuard

from kerasx import activations
from kerasx.backend import _tree
from kerasx.layers._layer import Layer, _map_shapes
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

NOT_CALLABLE = "Lambda: `function` must be callable. Received: function={function!r} of type {type}."
BAD_OUTPUT_SHAPE = (
    "Lambda: `output_shape` must be None (inferred by running the function on symbolic tensors), a tuple of the "
    "output's non-batch sizes, or a function `input_shape -> output_shape`. Received: output_shape={value!r}."
)
BAD_ARGUMENTS = "Lambda: `arguments` must be None or a dict of keyword arguments. Received: arguments={value!r}."
NOT_SERIALIZABLE = (
    "Layer '{name}' (Lambda) cannot be serialized: its {what} {function!r} is not a registered function, so "
    "`get_config` cannot name it. Register it with `@kerasx.saving.register_keras_serializable()` (or use a "
    "kerasx activation), or write a Layer subclass with its own `get_config`."
)
UNKNOWN_FUNCTION = (
    "Lambda.from_config: no registered function is named {name!r}. Register it with "
    "`@kerasx.saving.register_keras_serializable()` before loading, or pass it in `custom_objects`."
)


def _accepts(function, name: str) -> bool:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


def _function_name(function):
    """The name `function` can be found under again, or None when it has none."""
    name = _registry.get_registered_name(function)
    if _registry.get_registered_object(name) is function:
        return name
    name = activations.serialize(function)
    if activations.ALL_FUNCTIONS.get(name) is function:
        return name
    return None


def _function_from_name(name, custom_objects=None):
    function = _registry.get_registered_object(name, custom_objects) or activations.ALL_FUNCTIONS.get(name)
    if function is None:
        raise ValueError(UNKNOWN_FUNCTION.format(name=name))
    return function


def _is_shape(value) -> TypeGuard[tuple | list]:
    return isinstance(value, (tuple, list)) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in value
    )


@_registry.builtin
class Lambda(Layer):
    """Calls `function(inputs, **arguments)`; for computations that need no weights.

    The function should use `kerasx.ops` so that it runs on every engine and on symbolic tensors.

    Args:
        function: callable taking the input tensor(s) first; it may also accept `mask` and `training`.
        output_shape: None (inferred by calling `function` on symbolic tensors), a tuple of the non-batch output
            sizes (the batch size is taken from the input), or a function `input_shape -> output_shape`.
        mask: None, a function `(inputs, mask) -> output mask`, or a fixed mask tensor.
        arguments: dict of extra keyword arguments for `function`.
        **kwargs: base Layer arguments.

    `get_config` names `function` (and a function `output_shape` or `mask`), so they must be registered
    (`kerasx.saving.register_keras_serializable`) or be kerasx activations for the layer to be serialized.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> double = kerasx.layers.Lambda(lambda x: x * 2.0)
        >>> print(kerasx.ops.convert_to_numpy(double(np.array([[1.0, -3.0]]))))
        [[ 2. -6.]]
        >>> double(kerasx.Input(shape=(5,))).shape
        (None, 5)
        >>> scale = kerasx.layers.Lambda(lambda x, factor: x * factor, arguments={"factor": 10.0})
        >>> print(kerasx.ops.convert_to_numpy(scale(np.array([[1.0, 2.0]]))))
        [[10. 20.]]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(NOT_CALLABLE.format(function=function, type=type(function).__name__))
        if not (output_shape is None or callable(output_shape) or _is_shape(output_shape)):
            raise ValueError(BAD_OUTPUT_SHAPE.format(value=output_shape))
        if arguments is not None and not isinstance(arguments, dict):
            raise ValueError(BAD_ARGUMENTS.format(value=arguments))
        self.function = function
        self.output_shape_spec = tuple(output_shape) if _is_shape(output_shape) else output_shape
        self.mask = mask
        self.arguments = dict(arguments or {})
        # A function that takes `mask` consumes the input mask: no "mask dropped" warning for it.
        self.supports_masking = mask is not None or _accepts(function, "mask")

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if mask is not None and _accepts(self.function, "mask"):
            kwargs["mask"] = mask
        if _accepts(self.function, "training"):
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_spec(self, inputs, mask=None, training=None):
        if self.output_shape_spec is None:
            return self.call(inputs, mask=mask, training=training)
        input_shape = _tree.map_structure(lambda x: tuple(x.shape), inputs)
        if callable(self.output_shape_spec):
            shapes = self.output_shape_spec(input_shape)
        else:
            first = _tree.flatten(input_shape)[0] if _tree.is_nested(input_shape) else input_shape
            batch = first[0] if first else None
            shapes = (batch, *self.output_shape_spec)
        return _map_shapes(lambda s: KerasTensor(s, self.compute_dtype), shapes)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def _name_of(self, value, what):
        if value is None or not callable(value):
            return value
        name = _function_name(value)
        if name is None:
            raise TypeError(NOT_SERIALIZABLE.format(name=self.name, what=what, function=value))
        return name

    def get_config(self) -> dict:
        config = super().get_config()
        if self.mask is not None and not callable(self.mask):
            raise TypeError(NOT_SERIALIZABLE.format(name=self.name, what="mask tensor", function=self.mask))
        config.update(
            {
                "function": self._name_of(self.function, "function"),
                "output_shape": self._name_of(self.output_shape_spec, "output_shape function"),
                "mask": self._name_of(self.mask, "mask function"),
                "arguments": dict(self.arguments),
            }
        )
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("function", "mask"):
            if isinstance(config.get(key), str):
                config[key] = _function_from_name(config[key], custom_objects)
        if isinstance(config.get("output_shape"), str):
            config["output_shape"] = _function_from_name(config["output_shape"], custom_objects)
        return cls(**config)
