"""`clone_model`: the same architecture with new layers (new weights), optionally transformed layer by layer."""

from __future__ import annotations

import inspect

from kerasx.backend import _tree
from kerasx.layers import InputLayer, Layer
from kerasx.layers._input_layer import Input
from kerasx.models._functional import Functional
from kerasx.models._sequential import Sequential
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.saving import _compile_config
from kerasx.serialization import _registry

CALL_FUNCTION_SEQUENTIAL = (
    "clone_model: `call_function` is not supported for Sequential models (their layers are listed, not called, when "
    "the model is built). Received model '{name}' of type Sequential with call_function={call_function!r}. Clone a "
    "Functional model to change how layers are called."
)
ONLY_GRAPH_MODELS = (
    "clone_model: `{argument}` is only supported for Sequential and Functional models. Received model '{name}' of "
    "type {type}. A subclassed model is cloned from its config only: `clone_model(model)`."
)
BAD_CLONE_FUNCTION = "clone_model: `clone_function` must be a callable `layer -> layer`. Received: {value!r}."
SEQUENTIAL_INPUT = (
    "clone_model: `input_tensors` of a Sequential model must be one KerasTensor (e.g. `kerasx.Input(shape=...)`). "
    "Received: {value!r}."
)
FUNCTIONAL_INPUTS = (
    "clone_model: `input_tensors` must be KerasTensors with the structure of model.input. Reference structure: "
    "{reference}. Received: {received!r}."
)
UNEXPECTED_ARGUMENTS = "clone_model got unexpected keyword arguments {names}."


def _clone_layer(layer):
    return type(layer).from_config(layer.get_config())


def _cloner(clone_function, call_function, recursive, cache):
    """`layer -> clone`, each layer cloned once; with `recursive`, nested Sequential/Functional models are cloned
    layer by layer with the same functions instead of being handed to `clone_function` whole."""
    clone_function = clone_function or _clone_layer
    if not callable(clone_function):
        raise ValueError(BAD_CLONE_FUNCTION.format(value=clone_function))

    def clone(layer):
        if id(layer) in cache:
            return cache[id(layer)]
        if recursive and isinstance(layer, (Sequential, Functional)):
            copy = clone_model(
                layer,
                clone_function=clone_function,
                call_function=None if isinstance(layer, Sequential) else call_function,
                recursive=True,
                cache=cache,
            )
        else:
            copy = clone_function(layer)
        cache[id(layer)] = copy
        return copy

    return clone


def _compile_like(clone, model) -> None:
    entry = _compile_config.export_compile_config(model)
    if entry is not None:
        _compile_config.compile_from_config(clone, entry, f"<clone of {model.name}>", None, True)


def _clone_sequential(model, clone, input_tensors):
    layers = [clone(layer) for layer in model.layers]
    first = model._layer_list[0] if model._layer_list else None
    input_layer = first if isinstance(first, InputLayer) else None
    if input_tensors is not None:
        if isinstance(input_tensors, (list, tuple)) and len(input_tensors) == 1:
            input_tensors = input_tensors[0]
        if not isinstance(input_tensors, KerasTensor):
            raise ValueError(SEQUENTIAL_INPUT.format(value=input_tensors))
        layers = [input_tensors] + layers
    elif input_layer is not None:
        layers = [Input(batch_shape=input_layer.batch_shape, dtype=input_layer.dtype, name=input_layer.name)] + layers
    return Sequential(layers, name=model.name, trainable=model.trainable)


def _functional_like(cls) -> bool:
    parameters = inspect.signature(cls.__init__).parameters
    return "inputs" in parameters and "outputs" in parameters


def _clone_functional(model, clone, call_function, input_tensors):
    if input_tensors is not None:
        flat = _tree.flatten(input_tensors)
        same = len(flat) == len(model.inputs)
        if not same or not all(isinstance(x, KerasTensor) for x in flat):
            raise ValueError(FUNCTIONAL_INPUTS.format(reference=model.input, received=input_tensors))
    else:
        flat = [Input(batch_shape=x.shape, dtype=x.dtype, name=_input_name(x)) for x in model.inputs]
        input_tensors = _tree.pack_sequence_as(model._inputs_struct, flat)

    def call_node(node, args, kwargs):
        operation = node.operation
        if not isinstance(operation, Layer):
            return operation(*args, **kwargs)  # ops hold no weights: the same op is applied to the new tensors
        copy = clone(operation)
        if call_function is not None:
            return call_function(copy, *args, **kwargs)
        return copy(*args, **kwargs)

    computed = model._graph.run(model._input_tensors, flat, call_node)
    outputs = _tree.pack_sequence_as(model._outputs_struct, [computed[id(t)] for t in model._output_tensors])
    cls = type(model) if _functional_like(type(model)) else Functional
    return cls(input_tensors, outputs, name=model.name)


def _input_name(tensor) -> str | None:
    history = tensor._history
    return history[0].operation.name if history else getattr(tensor, "name", None)


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs):
    """A new model with the architecture of `model` and new layers, so new weights (not copied).

    Sequential and Functional models are rebuilt layer by layer: each layer goes through `clone_function`
    (default: `type(layer).from_config(layer.get_config())`), and, for a Functional model, each call of a layer in
    the graph goes through `call_function(layer, *args, **kwargs)` (default: the layer called as recorded). Any
    other model is cloned from its config. A compiled model's clone is compiled with the same arguments (new
    optimizer).

    Args:
        model: the model to clone.
        input_tensors: KerasTensors to build the clone on (the structure of `model.input`), instead of new Inputs.
        clone_function: `layer -> new layer`, e.g. to change a layer's config, or to return the same layer (which
            then shares its weights).
        call_function: `(layer, *args, **kwargs) -> outputs` (Functional models), e.g. to insert layers after one.
        recursive: clone nested Sequential/Functional models layer by layer with these functions too (else they
            go whole to `clone_function`).

    Returns:
        The new model.

    Example:
        >>> import kerasx
        >>> inputs = kerasx.Input(shape=(4,))
        >>> model = kerasx.Model(inputs, kerasx.layers.Dense(2, activation="relu")(inputs))
        >>> def linear(layer):
        ...     config = layer.get_config()
        ...     if "activation" in config:
        ...         config["activation"] = "linear"
        ...     return type(layer).from_config(config)
        >>> clone = kerasx.models.clone_model(model, clone_function=linear)
        >>> clone.layers[1].get_config()["activation"], clone.layers[1] is model.layers[1]
        ('linear', False)
    """
    cache = kwargs.pop("cache", None)
    if kwargs:
        raise ValueError(UNEXPECTED_ARGUMENTS.format(names=sorted(kwargs)))
    cache = {} if cache is None else cache
    if isinstance(model, Sequential):
        if call_function is not None:
            raise ValueError(CALL_FUNCTION_SEQUENTIAL.format(name=model.name, call_function=call_function))
        clone = _clone_sequential(model, _cloner(clone_function, None, recursive, cache), input_tensors)
    elif (isinstance(model, Functional) and not _has_own_config(model)) or (
        isinstance(model, Functional) and (clone_function is not None or input_tensors is not None)
    ):
        clone = _clone_functional(
            model, _cloner(clone_function, call_function, recursive, cache), call_function, input_tensors
        )
    else:
        for argument, value in (("clone_function", clone_function), ("input_tensors", input_tensors),
                                ("call_function", call_function)):
            if value is not None:
                raise ValueError(
                    ONLY_GRAPH_MODELS.format(argument=argument, name=model.name, type=type(model).__name__)
                )
        config = _registry.serialize_keras_object(model)
        clone = _registry.deserialize_keras_object(config, {type(model).__name__: type(model)})
    if getattr(model, "compiled", False):
        _compile_like(clone, model)
    return clone


def _has_own_config(model) -> bool:
    """Whether a Functional subclass overrides `get_config` (its clone then comes from that config)."""
    return type(model).get_config is not Functional.get_config
