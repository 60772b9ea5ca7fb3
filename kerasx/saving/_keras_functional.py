"""A functional model's graph in the Keras 3 file format, to and from kerasx's `nodes` list.

Keras 3 writes the graph per layer: each layer entry lists its `inbound_nodes`, the calls it received, whose
arguments refer to tensors as `{"class_name": "__keras_tensor__", "config": {"keras_history": [layer, node,
index]}}`. Ops called on symbolic tensors (`keras.ops.add(a, b)`, `x[:, 0]`, `x * 2`) are entries too, naming a
Keras operation class (see `_keras_ops`). Node indices count a layer's calls within the model, from 0, except in
`input_layers`/`output_layers`, where a nested functional model's start at 1 (Keras reserves 0 for the model's own
graph there). kerasx lists the calls once, in execution order (`_functional_config`).
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from kerasx import ops
from kerasx.backend import _tree
from kerasx.ops import KerasTensor
from kerasx.saving import _errors, _keras_ops
from kerasx.serialization import _registry

OP_CLASS = "__kerasx_op__"  # how kerasx wrote op nodes before it wrote Keras operation classes; still read
INPUT_LAYER = "InputLayer"
_SPECIAL_ARGUMENTS = frozenset({"__slice__", "__ellipsis__", "__tensor__", "__numpy__"})
_OP_NAMES = frozenset(ops.__all__)


def is_ref(value) -> bool:
    return isinstance(value, dict) and set(value) == {"__tensor__"}


def is_functional_class(name) -> bool:
    """Whether the registered class `name` is a functional model (whose output node indices start at 1)."""
    functional = _registry.get_registered_object("Functional")
    cls = _registry.get_registered_object(name) if isinstance(name, str) else None
    return inspect.isclass(cls) and functional is not None and issubclass(cls, functional)


def restore_shared_ids(config):
    """`config` with a `shared_object_id` on every occurrence of a shared object.

    Keras 3 writes the id on the second and later occurrences of an object serialized several times, not on the
    first; an entry without one whose class and config (ids aside) equal those of an entry with one gets its id.
    """
    signatures, entries = {}, []
    stack = [config]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
            if isinstance(value.get("class_name"), str) and isinstance(value.get("config"), dict):
                entries.append(value)
    for entry in entries:
        if isinstance(entry.get("shared_object_id"), int):
            signatures.setdefault(_signature(entry), entry["shared_object_id"])
    for entry in entries:
        if "shared_object_id" not in entry:
            shared_id = signatures.get(_signature(entry))
            if shared_id is not None:
                entry["shared_object_id"] = shared_id
    return config


def _signature(entry) -> str:
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "shared_object_id"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps([entry["class_name"], strip(entry["config"])], sort_keys=True)


def _snake_case(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))


# Op calls: kerasx's `fn(*args, **kwargs)` <-> Keras's `OperationClass(**options)(*args, **kwargs)` --------------
def _parameters(op_name: str) -> list:
    return list(inspect.signature(getattr(ops, op_name)).parameters.values())


def split_op_call(op_name: str, args: list, kwargs: dict) -> tuple:
    """(constructor options, call args, call kwargs) of a kerasx op call, in Keras's split."""
    _, _, option_names = _keras_ops.KERAS_OPS[op_name]
    signature = inspect.signature(getattr(ops, op_name))
    arguments = signature.bind(*args, **kwargs).arguments
    options = {name: arguments[name] for name in option_names if name in arguments}
    call_args, call_kwargs, gap = [], {}, []
    for parameter in signature.parameters.values():
        if parameter.name in option_names:
            continue
        if parameter.kind is parameter.VAR_POSITIONAL:
            call_args.extend(arguments.get(parameter.name, ()))
        elif parameter.kind is parameter.VAR_KEYWORD:
            call_kwargs.update(arguments.get(parameter.name, {}))
        elif parameter.kind is parameter.KEYWORD_ONLY:
            if parameter.name in arguments:
                call_kwargs[parameter.name] = arguments[parameter.name]
        elif parameter.name in arguments:
            # Positional, so that Keras's call signature may name them differently; skipped defaults fill the gap.
            call_args.extend(gap)
            call_args.append(arguments[parameter.name])
            gap = []
        else:
            gap.append(parameter.default)
    return options, call_args, call_kwargs


def join_op_call(op_name: str, options: dict, args: list, kwargs: dict) -> tuple:
    """Inverse of `split_op_call`: kerasx's (args, kwargs) from Keras's constructor options and call arguments."""
    args, kwargs, options = list(args), dict(kwargs), dict(options)
    joined = []
    for parameter in _parameters(op_name):
        if parameter.kind is parameter.VAR_POSITIONAL:
            joined.extend(args)
            args = []
            break
        if parameter.kind not in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD) or not args:
            break
        if parameter.name in options:
            # An option before a call argument (einsum's `subscripts`) must be passed positionally.
            joined.append(options.pop(parameter.name))
        else:
            joined.append(args.pop(0))
    return joined + args, {**options, **kwargs}


# Export -------------------------------------------------------------------------------------------------------
def _graph_nodes(model) -> list:
    """The model's nodes in the order its native config lists them (InputLayer nodes first)."""
    nodes = []
    for tensor in model._input_tensors:
        node = tensor._history[0]
        if all(node is not n for n in nodes):
            nodes.append(node)
    return nodes + [n for n in model._graph.nodes if all(n is not m for m in nodes)]


def _call_indices(nodes: list) -> list:
    """Each node's index among its layer's calls in the graph, in the order they were made, as Keras numbers
    them (the native config lists calls in execution order, which may differ); None for an op's call."""
    in_graph = {id(node) for node in nodes}
    indices = []
    for node in nodes:
        calls = getattr(node.operation, "_inbound_nodes", None)
        if calls is None:
            indices.append(None)
            continue
        calls = [call for call in calls if id(call) in in_graph]
        indices.append(next((i for i, call in enumerate(calls) if call is node), None))
    return indices


def map_refs(fn, structure, export):
    """`structure` with each `{"__tensor__": ...}` ref replaced by `fn(ref)` and other values by `export(value)`."""
    if is_ref(structure):
        return fn(structure)
    if isinstance(structure, dict) and structure.get("class_name") in _SPECIAL_ARGUMENTS:
        return structure
    if isinstance(structure, dict):
        return {k: map_refs(fn, v, export) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [map_refs(fn, v, export) for v in structure]
    return export(structure)


def to_keras(config: dict, model, export) -> dict:
    """kerasx's functional config -> Keras 3's; `export` converts a serialized object, `model` gives tensor specs."""
    if model is None or not hasattr(model, "_graph"):
        # A model nested in a layer's config (TimeDistributed's `layer`): rebuilt for its tensors' shapes.
        model = _registry.get_registered_object("Functional").from_config(config)
    nodes = _graph_nodes(model)
    tensors = [[t for t in _tree.flatten(n.output_tensors) if isinstance(t, KerasTensor)] for n in nodes]
    call_indices = _call_indices(nodes)
    layer_configs = {c["config"]["name"]: c for c in config["layers"]}
    live = {layer.name: layer for layer in getattr(model, "layers", ())}

    def layer_entry(name):
        entry: dict[str, Any] = dict(export(layer_configs[name], live.get(name)), name=name, inbound_nodes=[])
        if name in live:
            # Marks every layer, so that one called by several nested models is rebuilt once (Keras marks only
            # the occurrences after the first, which loses the sharing when a nested model comes first).
            entry["shared_object_id"] = id(live[name])
        return entry

    used_names = set(layer_configs)
    histories, entries, calls, order = [], {}, {}, {}

    def tensor(ref):
        j, k = ref["__tensor__"]
        spec = tensors[j][k]
        return {
            "class_name": "__keras_tensor__",
            "config": {
                "shape": list(spec.shape),
                "dtype": spec.dtype,
                "keras_history": [*histories[j], k],
            },
        }

    for position, node in enumerate(config["nodes"]):
        operation, args, kwargs = node["operation"], node["args"], node["kwargs"]
        if isinstance(operation, str):
            name = operation
            if name not in entries:
                entries[name] = layer_entry(name)
        else:
            op_name = operation["op"]
            if op_name not in _keras_ops.KERAS_OPS:
                raise ValueError(_errors.OP_NOT_IN_KERAS.format(op=op_name))
            module, class_name, _ = _keras_ops.KERAS_OPS[op_name]
            options, args, kwargs = split_op_call(op_name, args, kwargs)
            name = base = _snake_case(class_name)
            suffix = 0
            while name in used_names:
                suffix += 1
                name = f"{base}_{suffix}"
            used_names.add(name)
            entries[name] = {
                "module": _keras_ops.KERAS_OPS_MODULE + module,
                "class_name": class_name,
                "config": {"name": name, **export(options)},
                "registered_name": class_name,
                "name": name,
                "inbound_nodes": [],
            }
        index = call_indices[position] if position < len(call_indices) else None
        histories.append((name, calls.get(name, 0) if index is None else index))
        calls[name] = calls.get(name, 0) + 1
        if entries[name]["class_name"] != INPUT_LAYER:
            entries[name]["inbound_nodes"].append(
                {"args": map_refs(tensor, list(args), export), "kwargs": map_refs(tensor, dict(kwargs), export)}
            )
            order.setdefault(name, []).append(histories[-1][1])

    for name, indices in order.items():
        # The calls in Keras's numbering (an entry's n-th node is its call n).
        recorded = entries[name]["inbound_nodes"]
        if sorted(indices) == list(range(len(recorded))):
            entries[name]["inbound_nodes"] = [node for _, node in sorted(zip(indices, recorded), key=lambda p: p[0])]

    def triple(ref):
        j, k = ref["__tensor__"]
        name, index = histories[j]
        functional = name in layer_configs and is_functional_class(layer_configs[name]["class_name"])
        return [name, index + 1 if functional else index, k]

    layers = list(entries.values())
    # Layers called nowhere in the graph still belong to the model.
    layers += [layer_entry(name) for name in layer_configs if name not in entries]
    return {
        "name": config["name"],
        "trainable": config.get("trainable", True),
        "layers": layers,
        "input_layers": map_refs(triple, config["inputs"], export),
        "output_layers": map_refs(triple, config["outputs"], export),
    }


# Import -------------------------------------------------------------------------------------------------------
def _is_op_entry(entry: dict) -> bool:
    module = entry.get("module")
    return entry.get("class_name") == OP_CLASS or (
        isinstance(module, str) and module.startswith(_keras_ops.KERAS_OPS_MODULE)
    )


def _op_operation(importer, entry: dict) -> tuple:
    """(kerasx op name, constructor options) of an op entry."""
    config = entry.get("config") or {}
    if not isinstance(config, dict):
        raise importer.bad(entry, "an op's config must be a dict")
    if entry.get("class_name") == OP_CLASS:
        op_name = config.get("op")
        if op_name not in _OP_NAMES:
            raise importer.bad(entry, "an op node needs the name of a kerasx op")
        return op_name, {}
    module = entry["module"][len(_keras_ops.KERAS_OPS_MODULE):]
    op_name = _keras_ops.OPS_BY_CLASS.get((module, entry.get("class_name")))
    if op_name is None:
        raise ValueError(
            _errors.UNKNOWN_KERAS_OP.format(path=importer.path, name=entry.get("class_name"), module=entry["module"])
        )
    accepted = {p.name for p in _parameters(op_name)}
    options = {}
    for key, value in config.items():
        key, value = importer.key(key), importer.value(value)
        if key == "name":
            continue
        if key not in accepted:
            if value not in _keras_ops.KERAS_ONLY_ARGUMENTS.get(key, ()):
                raise ValueError(
                    _errors.UNSUPPORTED_OP_OPTION.format(
                        path=importer.path, name=entry["class_name"], key=key, value=value, op=op_name
                    )
                )
            continue
        options[key] = value
    return op_name, options


def from_keras(importer, config: dict) -> dict:
    """Keras's per-layer `inbound_nodes` -> kerasx's ordered `nodes` list with `{"__tensor__": [i, j]}` refs."""
    layer_entries = config.get("layers")
    if not isinstance(layer_entries, list):
        raise importer.bad(config, "'layers' must be a list")
    layers, pending, input_names, functional_names = [], [], [], set()
    for entry in layer_entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise importer.bad(entry, "each layer needs a 'name'")
        nodes = entry.get("inbound_nodes") or []
        if not isinstance(nodes, list):
            raise importer.bad(entry, "'inbound_nodes' must be a list")
        name = entry["name"]
        if _is_op_entry(entry):
            op_name, options = _op_operation(importer, entry)
            operation = {"op": op_name}
        else:
            layer = importer.object({k: v for k, v in entry.items() if k in importer.OBJECT_KEYS})
            layer["config"]["name"] = name
            shared_id = entry.get("shared_object_id")
            if isinstance(shared_id, int) and not isinstance(shared_id, bool):
                layer["shared_object_id"] = shared_id
            layers.append(layer)
            operation, options = name, None
            if entry.get("class_name") == INPUT_LAYER:
                input_names.append(name)
                continue
            if is_functional_class(layer["class_name"]):
                functional_names.add(name)
        pending.extend((name, index, operation, options, node) for index, node in enumerate(nodes))
    positions, ordered = {}, []
    for name in input_names:
        positions[(name, 0)] = len(ordered)
        ordered.append({"operation": name, "args": [], "kwargs": {}})
    while pending:
        remaining = []
        for item in pending:
            name, index, operation, options, node = item
            if (index > 0 and (name, index - 1) not in positions) or not _ready(importer, node, positions):
                remaining.append(item)
                continue
            positions[(name, index)] = len(ordered)
            ordered.append(_node(importer, operation, options, node, positions))
        if len(remaining) == len(pending):
            refs = sorted({f"{item[0]}[{item[1]}]" for item in remaining})
            raise ValueError(_errors.GRAPH_UNRESOLVED.format(path=importer.path, refs=", ".join(refs[:10])))
        pending = remaining
    return {
        "name": config.get("name"),
        "trainable": config.get("trainable", True),
        "layers": layers,
        "nodes": ordered,
        "inputs": _io(importer, config.get("input_layers"), positions, functional_names),
        "outputs": _io(importer, config.get("output_layers"), positions, functional_names),
    }


def _history(importer, value):
    if not (isinstance(value, dict) and value.get("class_name") == "__keras_tensor__"):
        return None
    history = (value.get("config") or {}).get("keras_history")
    if not (
        isinstance(history, list)
        and len(history) == 3
        and isinstance(history[0], str)
        and all(isinstance(h, int) and not isinstance(h, bool) and h >= 0 for h in history[1:])
    ):
        raise importer.bad(value, "keras_history must be [layer name, node index, tensor index]")
    return history


def _ready(importer, node, positions) -> bool:
    stack = [node]
    while stack:
        value = stack.pop()
        history = _history(importer, value)
        if history is not None:
            if (history[0], history[1]) not in positions:
                return False
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return True


def _refs(importer, value, positions) -> Any:
    history = _history(importer, value)
    if history is not None:
        return {"__tensor__": [positions[(history[0], history[1])], history[2]]}
    if isinstance(value, dict) and "class_name" not in value:
        return {importer.key(k): _refs(importer, v, positions) for k, v in value.items()}
    if isinstance(value, list):
        return [_refs(importer, v, positions) for v in value]
    return importer.value(value)


def _node(importer, operation, options, node, positions) -> dict:
    if not isinstance(node, dict):
        raise importer.bad(node, "a node must be a dict with 'args' and 'kwargs'")
    args, kwargs = node.get("args", []), node.get("kwargs", {})
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        raise importer.bad(node, "a node must be a dict with 'args' and 'kwargs'")
    args, kwargs = _refs(importer, args, positions), _refs(importer, kwargs, positions)
    if options is not None:
        args, kwargs = join_op_call(operation["op"], options, args, kwargs)
    return {"operation": operation, "args": args, "kwargs": kwargs}


def _io(importer, value, positions, functional_names):
    def triple(item):
        if (
            isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], str)
            and all(isinstance(h, int) and not isinstance(h, bool) for h in item[1:])
        ):
            key = (item[0], item[1] - 1 if item[0] in functional_names else item[1])
            if key not in positions:
                raise ValueError(_errors.GRAPH_UNRESOLVED.format(path=importer.path, refs=f"{item[0]}[{item[1]}]"))
            return {"__tensor__": [positions[key], item[2]]}
        return None

    single = triple(value)
    if single is not None:
        return single
    if isinstance(value, list):
        return [_io(importer, v, positions, functional_names) for v in value]
    if isinstance(value, dict):
        return {importer.key(k): _io(importer, v, positions, functional_names) for k, v in value.items()}
    raise importer.bad(value, "model inputs/outputs must be [layer name, node index, tensor index] entries")
