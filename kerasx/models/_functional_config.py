"""The config of a functional model: its layers, and its graph as a list of calls.

    {"name": ..., "trainable": ...,
     "layers": [serialized layer, ...],                      # every layer once, InputLayers included
     "nodes": [{"operation": "dense", "args": [...], "kwargs": {...}},   # a layer, by name
               {"operation": {"op": "add"}, "args": [...], "kwargs": {}}, ...],  # a kerasx op, by name
     "inputs": <structure of refs>, "outputs": <structure of refs>}

Nodes are listed in execution order (InputLayers first); a tensor is referenced as `{"__tensor__": [i, j]}`, the
j-th output tensor of node i. Rebuilding replays the calls on the rebuilt layers, so it gives the same graph.
"""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import _tree
from kerasx.layers import InputLayer, Layer
from kerasx.layers import deserialize as deserialize_layer
from kerasx.layers import serialize as serialize_layer
from kerasx.ops import KerasTensor

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
        if isinstance(value, _PLAIN):
            return value
        raise TypeError(
            NOT_SERIALIZABLE_ARG.format(model=model.name, operation=operation, value=value, type=type(value).__name__)
        )

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


def _resolve(structure, produced):
    if _is_ref(structure):
        i, j = structure["__tensor__"]
        return [t for t in _tree.flatten(produced[i]) if isinstance(t, KerasTensor)][j]
    if isinstance(structure, dict):
        return {k: _resolve(v, produced) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_resolve(v, produced) for v in structure)
    return structure


def rebuild_graph(config, custom_objects=None):
    """(inputs, outputs) structures of KerasTensors, made by replaying the config's calls on new layers."""
    layers = {}
    for layer_config in config["layers"]:
        layer = deserialize_layer(layer_config, custom_objects)
        layers[layer.name] = layer
    produced = []
    for node in config["nodes"]:
        operation = node["operation"]
        args = _resolve(node["args"], produced)
        kwargs = _resolve(node["kwargs"], produced)
        if isinstance(operation, str):
            layer = layers[operation]
            produced.append(layer.output if isinstance(layer, InputLayer) else layer(*args, **kwargs))
        else:
            fn = getattr(ops, operation["op"], None)
            if fn is None:
                raise ValueError(UNKNOWN_OP.format(name=operation["op"]))
            produced.append(fn(*args, **kwargs))
    return _resolve(config["inputs"], produced), _resolve(config["outputs"], produced)
