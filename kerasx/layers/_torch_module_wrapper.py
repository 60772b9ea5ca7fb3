"""`TorchModuleWrapper`: a `torch.nn.Module` as a layer (torch backend only).

The engine work (sharing the module's Parameters as variables, calling it, pickling it) is in
`kerasx.backend.torch.module_wrapper`; this file only asks the active engine for it.
"""

from __future__ import annotations

from kerasx.backend import _config, active, backend
from kerasx.layers import _placeholder_call
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

NEEDS_TORCH = (
    "TorchModuleWrapper wraps a `torch.nn.Module`, so it runs only on the torch backend. Current backend: "
    "{backend}. Select torch with KERAS_BACKEND=torch (before importing kerasx), or port the module to kerasx layers."
)
NOT_A_MODULE = (
    "TorchModuleWrapper needs a `torch.nn.Module` instance. Received: module={module!r} of type {type}. Pass a "
    "module instance, e.g. `TorchModuleWrapper(torch.nn.Linear(16, 4))`."
)
LAZY_MODULE = (
    "TorchModuleWrapper: LazyModules are not supported unless they are already initialized (their parameter "
    "shapes are unknown until a first call). Call the module once on an example input first. Received "
    "uninitialized LazyModule: module={module}"
)
UNSAFE_MODULE = (
    "TorchModuleWrapper.from_config: the config holds a pickled `torch.nn.Module`, and unpickling it (`torch.load`) "
    "can run arbitrary code, so it is refused by default. If you trust the source of the config or file, "
    "pass `safe_mode=False` to the loading function (`kerasx.saving.load_model`, `from_config`) or call "
    "`kerasx.config.enable_unsafe_deserialization()`."
)


def _engine():
    engine = getattr(active, "module_wrapper", None)
    if engine is None:
        raise ValueError(NEEDS_TORCH.format(backend=backend()))
    return engine


@_registry.builtin
class TorchModuleWrapper(Layer):
    """A `torch.nn.Module` used as a layer: its parameters become the layer's variables (trained by `fit`, saved).

    Runs on the torch backend only; on the others, creating it raises a ValueError naming the backend it needs.
    The module's Parameters themselves are the variables (a Parameter with `requires_grad=False` gives a
    non-trainable one). Buffers (e.g. BatchNorm's running statistics) are not weights, but they are saved with the
    parameters, under the module's `state_dict` keys as Keras 3 saves them. The module runs in train mode unless
    the call's `training` is False.

    Args:
        module: a `torch.nn.Module` instance; a lazy module (`torch.nn.LazyLinear`, ...) must have been called once
            so that its parameters exist.
        name: the layer's name.
        output_shape: the output shape, for symbolic calls (functional models) without running the module; when
            None, symbolic calls run the module on placeholder tensors.
        **kwargs: base Layer arguments (trainable, dtype, ...).

    Call arguments:
        *args, **kwargs: the module's own `forward` arguments.
        training: False runs the module in eval mode (`module.eval()`), anything else in train mode.

    Saving: the config holds the module pickled with `torch.save` (base64 text), which `from_config` unpickles only
    after `kerasx.config.enable_unsafe_deserialization()` or with `safe_mode=False`, since unpickling runs code.

    Example:
        >>> import numpy as np
        >>> import torch
        >>> import kerasx
        >>> if kerasx.backend.backend() == "torch":
        ...     layer = kerasx.layers.TorchModuleWrapper(torch.nn.Linear(3, 2))
        ...     outputs = layer(np.ones((4, 3), "float32"))
        ...     print([tuple(w.shape) for w in layer.trainable_weights], tuple(outputs.shape))
        ... else:  # the other backends refuse to create it; on torch this prints:
        ...     print([(2, 3), (2,)], (4, 2))
        [(2, 3), (2,)] (4, 2)
    """

    def __init__(self, module, name: str | None = None, output_shape=None, **kwargs):
        engine = _engine()
        if not engine.is_module(module):
            raise TypeError(NOT_A_MODULE.format(module=module, type=type(module).__name__))
        if engine.is_uninitialized_lazy(module):
            raise ValueError(LAZY_MODULE.format(module=module))
        super().__init__(name=name, **kwargs)
        self._engine = engine
        self.module = engine.place(module)
        self._output_shape = None if output_shape is None else tuple(output_shape)
        names, variables = engine.parameter_variables(self.module)
        for variable in variables:
            variable.path = f"{self.name}/{variable.name}"
        self._parameter_names = names
        self._own_weights.extend(variables)
        self.built = True

    @property
    def output_shape(self):  # pyright: ignore[reportIncompatibleMethodOverride] - the argument, as in Keras 3
        """The `output_shape` argument (None when it was not given)."""
        return self._output_shape

    def parameters(self, recurse=True):
        """The module's Parameters, as `torch.nn.Module.parameters` lists them."""
        return self.module.parameters(recurse=recurse)

    def call(self, *args, training=None, **kwargs):
        return self._engine.call_module(self.module, self._parameter_names, self._own_weights, training, args, kwargs)

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:
            # The module runs on torch placeholders of the inputs' shapes and dtypes.
            return _placeholder_call.engine_call(self, args, kwargs)
        return KerasTensor(self._output_shape, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        return self._output_shape

    def _saved_variables(self) -> dict:
        """Dataset name -> variable for the weights file: the module's whole `state_dict`, as Keras 3 saves it."""
        return self._engine.state_variables(self.module)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"module": self._engine.serialize_module(self.module), "output_shape": self._output_shape})
        return config

    @classmethod
    def from_config(cls, config, safe_mode: bool | None = None):
        config = dict(config)
        if isinstance(config.get("module"), str):
            if safe_mode is None:
                safe_mode = _registry.in_safe_mode()  # the `safe_mode` of the load in progress, if any
            allowed = safe_mode is False or _config.SETTINGS.safe_mode is False
            if not allowed:
                raise ValueError(UNSAFE_MODULE)
            config["module"] = _engine().deserialize_module(config["module"])
        return cls(**config)
