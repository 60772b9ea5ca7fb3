"""Keras 3's `get_config` form of functional and Sequential models, made from kerasx's own form and read back.

kerasx keeps a functional graph as an ordered list of calls (`_functional_config`, the "native" form); files hold
Keras 3's per-layer form, made from it by `kerasx.saving._keras_config.export_config`, with a `shared_object_id` on
every layer. Keras 3's `Model.get_config()` is that file form without the ids, and with what Keras's
`serialize_keras_object(layer)` adds to each layer entry: its `build_config`, a nested model's `compile_config`,
and the call arguments Keras's `Layer.__call__` fills in on its own (`mask=None`, a `training` default).

`Functional.get_config()` and `Sequential.get_config()` return this form; inside
`kerasx.serialization._registry.native_config_scope()`, which kerasx's own serialization enters (files,
`kerasx.saving.serialize_keras_object`, clones), they return the native one, so files stay as they were.
"""

from __future__ import annotations

import inspect
from typing import Any

from kerasx.backend import _tree
from kerasx.layers import Layer
from kerasx.layers import serialize as serialize_layer
from kerasx.models import _model
from kerasx.ops import KerasTensor, _masking
from kerasx.saving import _keras_config, _keras_functional
from kerasx.serialization import _registry

# What the error names as the source of a refused config (a Lambda's bytecode, an unknown class).
CONFIG_SOURCE = "<config given to from_config>"
_ENTRY_KEYS = ("module", "class_name", "config", "registered_name", "build_config", "compile_config")


# Telling the forms apart ----------------------------------------------------------------------------------------
def is_keras_functional(config) -> bool:
    """Whether `config` is Keras 3's functional form (`input_layers`/`output_layers`), not kerasx's (`nodes`)."""
    return (
        isinstance(config, dict)
        and "layers" in config
        and "nodes" not in config
        and ("input_layers" in config or "output_layers" in config)
    )


def _is_functional(layer) -> bool:
    # Duck-typed: Functional and Sequential import this module, so it cannot import them.
    return hasattr(layer, "_graph") and hasattr(layer, "_input_tensors")


def _is_sequential(layer) -> bool:
    return hasattr(layer, "_layer_list")


# Writing --------------------------------------------------------------------------------------------------------
def functional_config(model) -> dict:
    """`model.get_config()` as Keras 3 returns it for the same functional model."""
    with _registry.native_config_scope():
        native = {"class_name": "Functional", "config": model._native_config()}
        exported = _keras_config.export_config(native, model=model)
    return _finish_functional(exported["config"], model)


def layer_entry(layer) -> dict:
    """What Keras 3's `serialize_keras_object(layer)` gives: module, class_name, config, registered_name, and
    build_config (a built layer) and compile_config (a model)."""
    with _registry.native_config_scope():
        entry = _keras_config.export_config(serialize_layer(layer), model=layer)
    return _finish_entry(entry, layer)


def _finish_functional(config: dict, model) -> dict:
    live = {layer.name: layer for layer in model.layers}
    graph_nodes = {id(node) for node in model._graph.nodes}
    layers = []
    for entry in config["layers"]:
        layer = live.get(entry["name"])
        if layer is None:
            layers.append(entry)  # an op: Keras's operations have neither build nor compile config
            continue
        entry = _finish_entry(entry, layer)
        calls = [node for node in layer._inbound_nodes if id(node) in graph_nodes]
        if len(calls) == len(entry["inbound_nodes"]):
            entry["inbound_nodes"] = [
                {"args": recorded["args"], "kwargs": {**recorded["kwargs"], **_filled_arguments(layer, node)}}
                for recorded, node in zip(entry["inbound_nodes"], calls)
            ]
        layers.append(entry)
    return {**config, "layers": layers}


def _finish_entry(entry: dict, layer) -> dict:
    entry = _without_shared_ids(entry)
    config = entry.get("config")
    if _is_functional(layer) and isinstance(config, dict) and is_keras_functional(config):
        entry["config"] = _finish_functional(config, layer)
    elif _is_sequential(layer) and isinstance(config, dict) and len(config.get("layers", ())) == len(
        layer._layer_list
    ):
        finished = [_finish_entry(e, sub) for e, sub in zip(config["layers"], layer._layer_list)]
        entry["config"] = {**config, "layers": finished}
    elif isinstance(config, dict):
        # A wrapper's layers (TimeDistributed's `layer`, Bidirectional's `layer` and `backward_layer`) are entries.
        finished = {}
        for key, value in config.items():
            sublayer = _sublayer(layer, value)
            finished[key] = value if sublayer is None else _finish_entry(value, sublayer)
        entry["config"] = finished
    if entry.get("registered_name") is None and not _public_module(entry.get("module")):
        # Keras names a class outside its public API (Functional) or a user's class by its registered name.
        entry["registered_name"] = entry.get("class_name")
    build = build_config(layer)
    if build is not None:
        entry["build_config"] = build
    if isinstance(layer, _model.Model):
        entry["compile_config"] = layer.get_compile_config() or {}  # Keras 3 gives {} before `compile`
    ordered = {key: entry[key] for key in _ENTRY_KEYS if key in entry}
    ordered.update((key, value) for key, value in entry.items() if key not in ordered)
    return ordered


def _sublayer(layer, entry):
    """The attribute of `layer` that `entry` (a value of its config) serializes: the sublayer of that name."""
    if not (isinstance(entry, dict) and "class_name" in entry and isinstance(entry.get("config"), dict)):
        return None
    name = entry["config"].get("name")
    for value in vars(layer).values():
        if isinstance(value, Layer) and value.name == name:
            return value
    return None


def _without_shared_ids(value) -> Any:
    # Keras 3 marks shared objects only while saving; a config nested in a layer's (a wrapped model) has them too.
    if isinstance(value, dict):
        return {key: _without_shared_ids(item) for key, item in value.items() if key != "shared_object_id"}
    if isinstance(value, list):
        return [_without_shared_ids(item) for item in value]
    return value


def _public_module(module) -> bool:
    return isinstance(module, str) and (module == "keras" or module.startswith("keras.")) and not (
        module.startswith("keras.src.")
    )


def build_config(layer) -> dict | None:
    """What Keras 3's `layer.get_build_config()` gives for the same layer: the shape(s) its `build` received.

    Keras records the arguments of a layer's own `build`; a layer without one (Dropout, pooling) is built when it is
    made and records nothing, and a functional model always reports `{"input_shape": None}`.
    """
    if _is_functional(layer) and not _is_sequential(layer):
        return {"input_shape": None}
    return layer.get_build_config()  # the layer's own rule, which is Keras 3's (None for a layer never built)


def _bound_call(layer, node):
    """(names the call passed, all its arguments with the defaults) of a recorded call; None if they do not bind."""
    try:
        bound = inspect.signature(layer.call).bind(*node.args, **node.kwargs)
    except (TypeError, ValueError):
        return None
    given = set(bound.arguments)
    bound.apply_defaults()
    return given, bound.arguments


def _tensor_arguments(layer, node) -> dict | None:
    """The call's arguments that are tensors or non-empty structures of tensors (Keras's `tensor_arguments`)."""
    bound = _bound_call(layer, node)
    if bound is None:
        return None
    found = {}
    for name, value in bound[1].items():
        if isinstance(value, KerasTensor):
            found[name] = value
        elif _tree.is_nested(value):
            flat = _tree.flatten(value)
            if flat and all(x is None or isinstance(x, KerasTensor) for x in flat) and any(
                isinstance(x, KerasTensor) for x in flat
            ):
                found[name] = value
    return found


def _records_filled_arguments(layer, node) -> bool:
    """Whether Keras 3's `Layer.__call__` records the arguments it fills in on this call.

    It fills them into the caller's kwargs dict, which the node keeps, unless it converted the inputs first and so
    made a new dict: it does that for a layer converting its inputs, unless the call is one tensor positionally,
    of the layer's input dtype, and no keyword argument.
    """
    if not getattr(layer, "_convert_input_args", True):
        return True
    if node.kwargs or len(node.args) != 1 or not isinstance(node.args[0], KerasTensor):
        return False
    return node.args[0].dtype == getattr(layer, "input_dtype", getattr(layer, "compute_dtype", None))


def _filled_arguments(layer, node) -> dict:
    """The keyword arguments Keras 3's `Layer.__call__` adds to a recorded call that did not pass them: the
    `training` default of the layer's `call` when it is not None, and the inputs' masks (`mask`, or `query_mask`
    ... per tensor argument) when none of them has one; a mask tensor has no node in kerasx's graph to refer to."""
    bound = _bound_call(layer, node) if _records_filled_arguments(layer, node) else None
    if bound is None:
        return {}
    given, arguments = bound
    parameters = inspect.signature(layer.call).parameters
    filled = {}
    if "training" in parameters and "training" not in given and arguments.get("training") is not None:
        filled["training"] = arguments["training"]
    tensors = _tensor_arguments(layer, node) or {}
    if len(tensors) == 1:
        targets = {"mask": next(iter(tensors.values()))}
    else:
        targets = {f"{name}_mask": value for name, value in tensors.items()}
    for key, value in targets.items():
        if key in parameters and key not in given and arguments.get(key) is None:
            masks = _tree.map_structure(
                lambda x: _masking.get_mask(x) if isinstance(x, KerasTensor) else None, value
            )
            if all(mask is None for mask in _tree.flatten(masks)):
                filled[key] = masks
    return filled


# Reading --------------------------------------------------------------------------------------------------------
def _as_lists(value) -> Any:
    # Keras's in-memory configs hold tuples where its files hold lists; the importer reads the file form.
    if isinstance(value, dict):
        return {key: _as_lists(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_lists(item) for item in value]
    return value


def importer(custom_objects=None) -> _keras_config.Importer:
    """The reader of a Keras-form config given to `from_config`.

    As in Keras 3, a Lambda's Python bytecode is refused unless the deserialization in progress (a `load_model`)
    or `kerasx.config.enable_unsafe_deserialization()` allows it.
    """
    safe_mode = _registry.in_safe_mode()
    return _keras_config.Importer(CONFIG_SOURCE, custom_objects, True if safe_mode is None else safe_mode)


def native_functional(config: dict, custom_objects=None) -> dict:
    """Keras 3's functional config (from Keras's `get_config`, kerasx's, or a file) in kerasx's native form."""
    return _keras_functional.from_keras(importer(custom_objects), _as_lists(config))


def native_layer(entry, custom_objects=None):
    """A Sequential's layer entry in kerasx's `{"class_name", "config"}` form; native entries are kept."""
    if isinstance(entry, dict) and "module" in entry:
        return importer(custom_objects).object(_as_lists(entry))
    return entry
