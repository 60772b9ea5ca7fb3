"""How `build` and `compute_output_shape` receive the shapes of a layer's `call` arguments, as in Keras 3.

Every tensor argument of `call` gives a shape named `<argument>_shape`: a tensor gives its shape, a list/tuple/dict
whose leaves are all tensors (or None) gives the same structure of shapes. Masks, the `*args`/`**kwargs` catch-alls
and non-tensor arguments give none. A method with a single parameter receives the first of these shapes whatever
the parameter is called (`build(self, input_shape)`); a method with several must name each one
`<call argument>_shape` (`compute_output_shape(self, query_shape, value_shape)`) and receives those whose call
argument was a tensor.
"""

from __future__ import annotations

import inspect

from kerasx.backend import _tree

BAD_SHAPE_PARAMETER = (
    "Layer '{name}' ({cls}): `{method}()` has several shape parameters, so each must be named after a `call()` "
    "argument with a `_shape` suffix, e.g. `{method}(self, query_shape, value_shape)` for "
    "`call(self, query, value)`. Received: parameter `{parameter}`{why}."
)

_NOT_SHAPES = ("mask",)
_PARAMETER_KINDS = (
    inspect.Parameter.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.KEYWORD_ONLY,
)
_CATCH_ALL = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
_TARGET_NAMES: dict = {}


def call_shapes(call_signature: inspect.Signature, args, kwargs, is_tensor, shape_of) -> dict:
    """`{"<argument>_shape": shape}` for the tensor arguments of a call, in the order of `call`'s parameters.

    Returns an empty dict when the arguments do not bind to `call` (the call itself reports that).
    """
    try:
        bound = call_signature.bind(*args, **kwargs)
    except TypeError:
        return {}
    parameters = call_signature.parameters
    shapes = {}
    for name, value in bound.arguments.items():
        if name in _NOT_SHAPES or parameters[name].kind in _CATCH_ALL:
            continue
        if is_tensor(value):
            shapes[f"{name}_shape"] = shape_of(value)
        elif _tree.is_nested(value) and value:
            leaves = _tree.flatten(value)
            if leaves and all(leaf is None or is_tensor(leaf) for leaf in leaves):
                shapes[f"{name}_shape"] = _tree.map_structure(shape_of, value)
    return shapes


def target_names(target) -> tuple:
    function = getattr(target, "__func__", target)
    names = _TARGET_NAMES.get(function)
    if names is None:
        parameters = inspect.signature(target).parameters.values()
        names = _TARGET_NAMES[function] = tuple(p.name for p in parameters if p.kind in _PARAMETER_KINDS)
    return names


def shape_arguments(target, shapes: dict, call_signature: inspect.Signature, layer) -> tuple:
    """`(args, kwargs)` to call `target` (a bound `build` or `compute_output_shape`) with, from `call_shapes`."""
    names = target_names(target)
    if len(names) <= 1:
        first = next(iter(shapes.values()), None)
        return ((first,) if names else ()), {}
    call_parameters = call_signature.parameters
    kwargs = {}
    for name in names:
        argument = name[: -len("_shape")] if name.endswith("_shape") else None
        if argument is None or argument not in call_parameters:
            why = " (no `_shape` suffix)" if argument is None else f" (`call()` has no argument `{argument}`)"
            raise ValueError(
                BAD_SHAPE_PARAMETER.format(
                    name=layer.name, cls=type(layer).__name__, method=target.__name__, parameter=name, why=why
                )
            )
        if name in shapes:
            kwargs[name] = shapes[name]
    return (), kwargs
