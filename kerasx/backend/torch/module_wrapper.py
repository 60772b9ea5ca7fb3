"""PyTorch backend: the engine half of `kerasx.layers.TorchModuleWrapper` (a `torch.nn.Module` as a layer).

The module's own Parameters are the layer's variables (no copy), so torch's optimizers, `module.state_dict()` and
kerasx's optimizers all see the same storage. Inside a stateless scope (`stateless_call`, a functional gradient) the
module runs through `torch.func.functional_call` on the scope's values, since its `forward` reads its Parameters
directly rather than through kerasx Variables.
"""

from __future__ import annotations

import base64
import io

import torch
import torch.func
import torch.nn.modules.lazy

from kerasx.backend import _stateless
from kerasx.backend.torch import core as torch_core


class ParameterVariable(torch_core.Variable):
    """A kerasx Variable stored in an existing tensor of a module (a Parameter or a buffer), not in a copy."""

    def _store(self, value):
        self._value = value


def is_module(value) -> bool:
    return isinstance(value, torch.nn.Module)


def is_uninitialized_lazy(module) -> bool:
    """A lazy module (`torch.nn.LazyLinear`, ...) whose parameter shapes are not known yet."""
    lazy = torch.nn.modules.lazy.LazyModuleMixin
    return isinstance(module, lazy) and module.has_uninitialized_params()  # pyright: ignore[reportAttributeAccessIssue] - a Module too


def place(module):
    """The module on the device kerasx creates tensors on (the GPU when one is present)."""
    return module.to(torch_core.current_device())


def parameter_variables(module) -> tuple[list, list]:
    """`(names, variables)` for the module's Parameters, in `module.parameters()` order; a Parameter that does not
    require gradients gives a non-trainable variable."""
    names, variables = [], []
    for index, (name, parameter) in enumerate(module.named_parameters()):
        names.append(name)
        variables.append(
            ParameterVariable(
                parameter,
                trainable=parameter.requires_grad,
                name="variable" if index == 0 else f"variable_{index}",
            )
        )
    return names, variables


def state_variables(module) -> dict:
    """`state_dict` key -> variable over that tensor (Parameters and buffers, e.g. BatchNorm's running statistics):
    what a saved file holds, as Keras 3 saves a wrapped module."""
    return {
        key: ParameterVariable(tensor, trainable=False, name=key.replace(".", "_"))
        for key, tensor in module.state_dict(keep_vars=True).items()
    }


def call_module(module, names, variables, training, args, kwargs):
    """Runs `module(*args, **kwargs)`, in train mode unless `training` is False (as Keras 3 does)."""
    module.train(training is not False)
    if _stateless.current() is None:
        return module(*args, **kwargs)
    values = {name: variable.value for name, variable in zip(names, variables)}
    return torch.func.functional_call(module, values, tuple(args), kwargs, strict=False)


def serialize_module(module) -> str:
    """The pickled module (`torch.save`), base64 text: the form Keras 3 writes in a TorchModuleWrapper's config."""
    buffer = io.BytesIO()
    torch.save(module, buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def deserialize_module(text: str):
    """Inverse of `serialize_module`. Unpickling runs code named in the data: only for trusted configs."""
    buffer = io.BytesIO(base64.b64decode(text.encode("ascii")))
    return torch.load(buffer, weights_only=False, map_location=torch_core.current_device())
