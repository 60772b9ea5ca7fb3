"""The config of a functional model: its layers, and its graph as a list of calls.

    {"name": ..., "trainable": ...,
     "layers": [serialized layer, ...],                      # every layer once, InputLayers included
     "nodes": [{"operation": "dense", "args": [...], "kwargs": {...}},   # a layer, by name
               {"operation": {"op": "add"}, "args": [...], "kwargs": {}}, ...],  # a kerasx op, by name
     "inputs": <structure of refs>, "outputs": <structure of refs>}

Nodes are listed in execution order (InputLayers first); a tensor is referenced as `{"__tensor__": [i, j]}`, the
j-th output tensor of node i. Other call arguments are plain values, or, as Keras 3 writes them,
`{"class_name": "__slice__" | "__ellipsis__" | "__tensor__" | "__numpy__", "config": {...}}` for slices (`x[:, 0]`),
`...` and constant arrays. Rebuilding replays the calls on the rebuilt layers, so it gives the same graph.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasx import ops
from kerasx.backend import _tree, active
from kerasx.layers import InputLayer, Layer
from kerasx.layers import deserialize as deserialize_layer
from kerasx.layers import serialize as serialize_layer
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

NOT_SERIALIZABLE_ARG = (
    "Cannot serialize model '{model}': the call of '{operation}' received {value!r} (of type {type}), which is "
    "neither a model tensor nor a plain Python value. Wrap that computation in a layer with its own `get_config`."
)
NOT_FROM_INPUT = (
    "Cannot serialize model '{model}': its input {tensor} does not come from `kerasx.Input`. Only models whose "
    "inputs are Input tensors can be rebuilt from a config."
)
UNKNOWN_OP = "Cannot rebuild the model: the config calls op '{name}', which `kerasx.ops` does not provide."

_PLAIN = (type(None), bool, int, float, str)
_OP_NAMES = frozenset(ops.__all__)


def encode_value(value):
    """A call argument that is not a tensor of the graph, in its config form; None when it has none."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, slice):
        parts = (value.start, value.stop, value.step)
        if all(part is None or isinstance(part, (int, np.integer)) for part in parts):
            start, stop, step = (None if part is None else int(part) for part in parts)
            return {"class_name": "__slice__", "config": {"start": start, "stop": stop, "step": step}}
        return None
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, np.ndarray) or active.core.is_tensor(value):
        array = np.asarray(ops.convert_to_numpy(value))
        kind = "__numpy__" if isinstance(value, np.ndarray) else "__tensor__"
        return {"class_name": kind, "config": {"value": array.tolist(), "dtype": ops.dtype(value)}}
    return None


def decode_value(value) -> Any:
    """Inverse of `encode_value` for one of its dict forms; other values are returned as they are."""
    kind = value.get("class_name") if isinstance(value, dict) else None
    config: Any = value.get("config") if kind is not None else None  # a dict for each form named below
    if kind == "__slice__":
        return slice(config["start"], config["stop"], config["step"])
    if kind == "__ellipsis__":
        return Ellipsis
    if kind == "__numpy__":
        return np.asarray(config["value"], dtype=config["dtype"])
    if kind == "__tensor__":
        return ops.convert_to_tensor(np.asarray(config["value"]), dtype=config["dtype"])
    return value


def _graph_nodes(model) -> list:
    """InputLayer nodes (in input order) followed by the graph's nodes."""
    nodes = []
    for tensor in model._input_tensors:
        node = tensor._history[0] if tensor._history is not None else None
        if node is None or not isinstance(node.operation, InputLayer):
            raise TypeError(NOT_FROM_INPUT.format(model=model.name, tensor=tensor))
        if all(node is not n for n in nodes):
            nodes.append(node)
    return nodes + [n for n in model._graph.nodes if all(n is not m for m in nodes)]


def functional_config(model) -> dict:
    nodes = _graph_nodes(model)
    refs = {}
    for i, node in enumerate(nodes):
        for j, tensor in enumerate(node.output_tensors):
            refs[id(tensor)] = {"__tensor__": [i, j]}

    def encode(value, operation):
        if isinstance(value, KerasTensor):
            return refs[id(value)]
        encoded = encode_value(value)
        if encoded is None and value is not None:
            raise TypeError(
                NOT_SERIALIZABLE_ARG.format(
                    model=model.name, operation=operation, value=value, type=type(value).__name__
                )
            )
        return encoded

    node_configs = []
    for node in nodes:
        operation = node.operation
        if isinstance(operation, Layer):
            name, entry = operation.name, operation.name
        else:
            name = operation.__name__
            entry = {"op": name}
        node_configs.append(
            {
                "operation": entry,
                "args": _tree.map_structure(lambda v, n=name: encode(v, n), list(node.args)),
                "kwargs": _tree.map_structure(lambda v, n=name: encode(v, n), dict(node.kwargs)),
            }
        )
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": [serialize_layer(layer) for layer in model.layers],
        "nodes": node_configs,
        "inputs": _tree.map_structure(lambda t: refs[id(t)], model._inputs_struct),
        "outputs": _tree.map_structure(lambda t: refs[id(t)], model._outputs_struct),
    }


def _is_ref(value) -> bool:
    return isinstance(value, dict) and set(value) == {"__tensor__"}


def _resolve(structure, produced) -> Any:
    if _is_ref(structure):
        i, j = structure["__tensor__"]
        return [t for t in _tree.flatten(produced[i]) if isinstance(t, KerasTensor)][j]
    if isinstance(structure, dict) and "class_name" in structure:
        return decode_value(structure)
    if isinstance(structure, dict):
        return {k: _resolve(v, produced) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_resolve(v, produced) for v in structure)
    return structure


def rebuild_graph(config, custom_objects=None):
    """(inputs, outputs) structures of KerasTensors, made by replaying the config's calls on new layers."""
    layers = {}
    for layer_config in config["layers"]:
        # A file names the layers that several nested models share (within one load) by a shared_object_id.
        shared_id = layer_config.get("shared_object_id")
        layer = _registry.shared_object(shared_id)
        if layer is None:
            layer = deserialize_layer(layer_config, custom_objects)
            _registry.record_shared_object(shared_id, layer)
        layers[layer.name] = layer
    produced = []
    for node in config["nodes"]:
        operation = node["operation"]
        args = _resolve(node["args"], produced)
        kwargs = _resolve(node["kwargs"], produced)
        if isinstance(operation, str):
            layer = layers[operation]
            if isinstance(layer, InputLayer):
                produced.append(layer.output)
                continue
            outputs = layer(*args, **kwargs)
            produced.append(outputs)
            node = layer._inbound_nodes[-1] if layer._inbound_nodes else None
            if "mask" in kwargs and kwargs["mask"] is None and node is not None and node.outputs is outputs:
                # A layer's call records an explicit `mask=None` as no argument; Keras 3's configs hold one, which
                # the rebuilt call keeps, so that `get_config()` gives the call back as it was.
                node.kwargs.setdefault("mask", None)
        else:
            fn = getattr(ops, operation["op"], None) if operation["op"] in _OP_NAMES else None
            if not callable(fn):
                raise ValueError(UNKNOWN_OP.format(name=operation["op"]))
            if fn is ops.get_item and len(args) == 2 and isinstance(args[1], list):
                # A tuple key (`x[:, 0]`) comes back from JSON as a list; Keras reads it as a tuple too.
                args = [args[0], tuple(args[1])]
            produced.append(fn(*args, **kwargs))
    return _resolve(config["inputs"], produced), _resolve(config["outputs"], produced)
