"""config.json in the Keras 3 format, to and from the configs kerasx's `get_config`/`from_config` use.

Export adds what Keras 3 expects (`module`, `registered_name`, and for functional models the per-layer
`inbound_nodes` with `__keras_tensor__` references). Import turns a file's config back into kerasx's form and is
where a hostile file is stopped: a `module` is never imported (classes are looked up by name in kerasx's registry and
the caller's `custom_objects` only, at deserialization), Python bytecode (`__lambda__`) is decoded only when the
caller passed `safe_mode=False`, and unknown serialized kinds are refused.
"""

from __future__ import annotations

import base64
import inspect
import marshal
import types

from kerasx.backend import _tree
from kerasx.ops import KerasTensor
from kerasx.saving import _errors, _registry

_KERASX_TO_KERAS_MODULE = {
    "kerasx.layers": "keras.layers",
    "kerasx.initializers": "keras.initializers",
    "kerasx.regularizers": "keras.regularizers",
    "kerasx.constraints": "keras.constraints",
    "kerasx.optimizers": "keras.optimizers",
    "kerasx.losses": "keras.losses",
    "kerasx.metrics": "keras.metrics",
    "kerasx.models": "keras",
}
_MODEL_MODULES = {"Functional": "keras.src.models.functional", "Sequential": "keras", "Model": "keras"}
_OP_CLASS = "__kerasx_op__"
_OBJECT_KEYS = {"module", "class_name", "config", "registered_name", "build_config", "compile_config"}
_FUNCTIONAL_LAYER_KEYS = _OBJECT_KEYS | {"name", "inbound_nodes", "shared_object_id"}

# Keras 3 constructor arguments kerasx does not have, with the value that means "feature unused".
KERAS_ONLY_DEFAULTS = {
    "input_axes": None,
    "output_axes": None,
    "quantization_config": None,
    "lora_rank": None,
    "lora_alpha": None,
    "sparse": False,
    "ragged": False,
    "optional": False,
    "renorm": False,
    "renorm_clipping": None,
    "renorm_momentum": 0.99,
    "synchronized": False,
}
_DTYPE_POLICIES = {"DTypePolicy", "FloatDTypePolicy"}


# Export ---------------------------------------------------------------------------------------------------------
def _keras_module(obj) -> str | None:
    name = getattr(obj, "__name__", "")
    if name in _MODEL_MODULES and _registry.get_registered_object(name) is obj:
        return _MODEL_MODULES[name]
    module = getattr(obj, "__module__", "") or ""
    for prefix, keras_module in _KERASX_TO_KERAS_MODULE.items():
        if module == prefix or module.startswith(prefix + "."):
            return keras_module
    return module or None


def export_config(value, model=None):
    """kerasx's serialized form (nested {"class_name", "config"}) -> the Keras 3 file form.

    `model`, when given, is the live model `value` serializes: its graph gives the tensors' shapes and dtypes.
    """
    if isinstance(value, dict) and set(value) == {"class_name", "config"} and isinstance(value["class_name"], str):
        name = value["class_name"]
        obj = _registry.get_registered_object(name)
        builtin = obj is not None and name == getattr(obj, "__name__", None)
        inner = value["config"]
        if name == "Functional" or (isinstance(inner, dict) and "nodes" in inner and "layers" in inner):
            inner = _functional_to_keras(inner, model)
        else:
            inner = export_config(inner)
        return {
            "module": _keras_module(obj),
            "class_name": getattr(obj, "__name__", name.split(">")[-1]),
            "config": inner,
            "registered_name": None if builtin else name,
        }
    if isinstance(value, dict):
        return {k: export_config(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [export_config(v) for v in value]
    return value


def _graph_tensors(model) -> list | None:
    """Output tensors of each node in the order `Functional.get_config` lists them (InputLayer nodes first)."""
    if model is None or not hasattr(model, "_graph"):
        return None
    nodes = []
    for tensor in model._input_tensors:
        node = tensor._history[0]
        if all(node is not n for n in nodes):
            nodes.append(node)
    nodes += [n for n in model._graph.nodes if all(n is not m for m in nodes)]
    return [[t for t in _tree.flatten(n.output_tensors) if isinstance(t, KerasTensor)] for n in nodes]


def _functional_to_keras(config: dict, model) -> dict:
    tensors = _graph_tensors(model)
    layer_configs = {c["config"]["name"]: c for c in config["layers"]}
    histories, entries, calls = [], {}, {}
    for i, node in enumerate(config["nodes"]):
        operation = node["operation"]
        if isinstance(operation, str):
            name = operation
            entry = entries.get(name)
            if entry is None:
                entry = export_config(layer_configs[name])
                entry.update(name=name, inbound_nodes=[])
                entries[name] = entry
        else:
            name = f"{operation['op']}_op_{i}"
            entry = {"module": "kerasx.ops", "class_name": _OP_CLASS, "config": {"op": operation["op"]},
                     "registered_name": None, "name": name, "inbound_nodes": []}
            entries[name] = entry
        histories.append((name, calls.get(name, 0)))
        calls[name] = calls.get(name, 0) + 1

        def tensor(ref):
            j, k = ref["__tensor__"]
            layer_name, node_index = histories[j]
            spec = tensors[j][k] if tensors is not None else None
            return {
                "class_name": "__keras_tensor__",
                "config": {
                    "shape": list(spec.shape) if spec is not None else None,
                    "dtype": spec.dtype if spec is not None else None,
                    "keras_history": [layer_name, node_index, k],
                },
            }

        is_input = entry["class_name"] == "InputLayer"
        if not is_input:
            entry["inbound_nodes"].append(
                {"args": _map_refs(tensor, node["args"]), "kwargs": _map_refs(tensor, node["kwargs"])}
            )

    def triple(ref):
        j, k = ref["__tensor__"]
        return [histories[j][0], histories[j][1], k]

    layers = list(entries.values())
    # Layers called nowhere in the graph still belong to the model.
    layers += [dict(export_config(c), name=n, inbound_nodes=[]) for n, c in layer_configs.items() if n not in entries]
    return {
        "name": config["name"],
        "trainable": config.get("trainable", True),
        "layers": layers,
        "input_layers": _map_refs(triple, config["inputs"]),
        "output_layers": _map_refs(triple, config["outputs"]),
    }


def _is_ref(value) -> bool:
    return isinstance(value, dict) and set(value) == {"__tensor__"}


def _map_refs(fn, structure):
    if _is_ref(structure):
        return fn(structure)
    if isinstance(structure, dict):
        return {k: _map_refs(fn, v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [_map_refs(fn, v) for v in structure]
    return export_config(structure)


# Import ---------------------------------------------------------------------------------------------------------
class Importer:
    """Turns a file's Keras-format config into kerasx's form; holds the load's options for the messages."""

    def __init__(self, path: str, custom_objects: dict | None, safe_mode: bool):
        self.path = path
        self.custom_objects = dict(custom_objects or {})
        self.safe_mode = safe_mode is not False

    def _bad(self, entry, why):
        return ValueError(_errors.BAD_CONFIG_ENTRY.format(path=self.path, entry=_short(entry), why=why))

    def _lookup(self, name: str, module, kind: str):
        obj = _registry.get_registered_object(name, self.custom_objects)
        if obj is None:
            raise ValueError(_errors.UNKNOWN_CLASS.format(path=self.path, kind=kind, name=name, module=module))
        return obj

    def value(self, value):
        """Any config value: objects, functions and special forms converted; plain values kept."""
        if isinstance(value, dict):
            if "class_name" in value:
                return self.object(value)
            return {self._key(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        raise self._bad(value, "unexpected value type")

    def _key(self, key):
        if not isinstance(key, str):
            raise self._bad(key, "keys must be strings")
        return key

    def object(self, entry: dict):
        class_name, inner = entry.get("class_name"), entry.get("config")
        if not isinstance(class_name, str):
            raise self._bad(entry, "class_name must be a string")
        registered = entry.get("registered_name")
        if registered is not None and not isinstance(registered, str):
            raise self._bad(entry, "registered_name must be a string or null")
        module = entry.get("module")
        if class_name == "__tuple__":
            return tuple(self.value((inner or {}).get("value", [])))
        if class_name == "__lambda__":
            return self.lambda_function(inner)
        if class_name in ("__keras_tensor__", _OP_CLASS):
            raise self._bad(entry, "a graph reference outside a functional model's nodes")
        if class_name.startswith("__"):
            raise ValueError(_errors.UNSUPPORTED_VALUE.format(path=self.path, kind=class_name))
        if class_name in _DTYPE_POLICIES and (registered in (None, class_name)) and isinstance(inner, dict):
            return self.value(inner.get("name"))
        if class_name == "function":
            # Functions are referenced by name only; the name is resolved by the consumer, in the registry.
            name = registered if isinstance(registered, str) and registered != "function" else inner
            if not isinstance(name, str):
                raise self._bad(entry, "a function must be referenced by its name")
            self._lookup_function(name, module)
            return name
        name = registered if registered and registered != class_name and ">" in registered else class_name
        cls = self._lookup(name, module, "class")
        if not isinstance(inner, dict):
            if inner is None:
                inner = {}
            else:
                raise self._bad(entry, "config must be a dict")
        if isinstance(inner, dict) and "layers" in inner and ("input_layers" in inner or "output_layers" in inner):
            converted = self.functional(inner)
        else:
            converted = {self._key(k): self.value(v) for k, v in inner.items()}
            converted = self._drop_keras_only(cls, class_name, converted)
        result = {"class_name": name, "config": converted}
        return result

    def _lookup_function(self, name, module):
        if _registry.get_registered_object(name, self.custom_objects) is not None:
            return
        # Built-in activations are not registry entries; kerasx resolves them by name later.
        if not isinstance(name, str) or not name.replace("_", "").isalnum():
            raise ValueError(_errors.UNKNOWN_CLASS.format(path=self.path, kind="function", name=name, module=module))

    def _drop_keras_only(self, cls, class_name, config: dict) -> dict:
        try:
            parameters = inspect.signature(cls.__init__).parameters
        except (TypeError, ValueError):
            return config
        result = dict(config)
        for key, default in KERAS_ONLY_DEFAULTS.items():
            if key in result and key not in parameters:
                if result[key] != default:
                    raise ValueError(
                        _errors.UNSUPPORTED_KERAS_FEATURE.format(
                            path=self.path, class_name=class_name, key=key, value=result[key], default=default
                        )
                    )
                del result[key]
        return result

    def lambda_function(self, inner):
        if self.safe_mode:
            raise ValueError(_errors.UNSAFE_LAMBDA.format(path=self.path, what="Lambda function"))
        if not isinstance(inner, dict) or not isinstance(inner.get("code"), str):
            raise self._bad(inner, "a __lambda__ needs its base64 'code'")
        code = marshal.loads(base64.b64decode(inner["code"].encode("ascii")))
        defaults = inner.get("defaults")
        return types.FunctionType(code, {}, None, tuple(defaults) if defaults else None, None)

    # Functional models ----------------------------------------------------------------------------------------
    def functional(self, config: dict) -> dict:
        """Keras's per-layer `inbound_nodes` -> kerasx's ordered `nodes` list with `{"__tensor__": [i, j]}` refs."""
        layer_entries = config.get("layers")
        if not isinstance(layer_entries, list):
            raise self._bad(config, "'layers' must be a list")
        layers, pending, input_nodes = [], [], []
        for entry in layer_entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise self._bad(entry, "each layer needs a 'name'")
            nodes = entry.get("inbound_nodes") or []
            if not isinstance(nodes, list):
                raise self._bad(entry, "'inbound_nodes' must be a list")
            name = entry["name"]
            if entry.get("class_name") == _OP_CLASS:
                op = (entry.get("config") or {}).get("op")
                if not isinstance(op, str):
                    raise self._bad(entry, "an op node needs an op name")
                operation = {"op": op}
            else:
                layer = self.object({k: v for k, v in entry.items() if k in _OBJECT_KEYS})
                layer["config"]["name"] = name
                layers.append(layer)
                operation = name
                if entry.get("class_name") == "InputLayer":
                    input_nodes.append((name, operation))
                    continue
            pending.extend((name, index, operation, node) for index, node in enumerate(nodes))
        positions = {}
        ordered = []
        for name, operation in input_nodes:
            positions[(name, 0)] = len(ordered)
            ordered.append({"operation": operation, "args": [], "kwargs": {}})
        while pending:
            remaining = []
            for name, index, operation, node in pending:
                if (name, index - 1) not in positions and index > 0 or not self._ready(node, positions):
                    remaining.append((name, index, operation, node))
                    continue
                positions[(name, index)] = len(ordered)
                ordered.append(self._node(operation, node, positions))
            if len(remaining) == len(pending):
                refs = sorted({f"{n}[{i}]" for n, i, _, _ in remaining})
                raise ValueError(_errors.GRAPH_UNRESOLVED.format(path=self.path, refs=", ".join(refs[:10])))
            pending = remaining
        return {
            "name": config.get("name"),
            "trainable": config.get("trainable", True),
            "layers": layers,
            "nodes": ordered,
            "inputs": self._io(config.get("input_layers"), positions),
            "outputs": self._io(config.get("output_layers"), positions),
        }

    def _history(self, value):
        if not (isinstance(value, dict) and value.get("class_name") == "__keras_tensor__"):
            return None
        history = (value.get("config") or {}).get("keras_history")
        if not (
            isinstance(history, list)
            and len(history) == 3
            and isinstance(history[0], str)
            and all(isinstance(h, int) and not isinstance(h, bool) and h >= 0 for h in history[1:])
        ):
            raise self._bad(value, "keras_history must be [layer name, node index, tensor index]")
        return history

    def _ready(self, node, positions) -> bool:
        ready = True

        def visit(value):
            nonlocal ready
            history = self._history(value)
            if history is not None:
                ready = ready and (history[0], history[1]) in positions
            elif isinstance(value, dict):
                for v in value.values():
                    visit(v)
            elif isinstance(value, list):
                for v in value:
                    visit(v)

        visit(node)
        return ready

    def _refs(self, value, positions):
        history = self._history(value)
        if history is not None:
            return {"__tensor__": [positions[(history[0], history[1])], history[2]]}
        if isinstance(value, dict) and "class_name" not in value:
            return {self._key(k): self._refs(v, positions) for k, v in value.items()}
        if isinstance(value, list):
            return [self._refs(v, positions) for v in value]
        return self.value(value)

    def _node(self, operation, node, positions) -> dict:
        if not isinstance(node, dict):
            raise self._bad(node, "a node must be a dict with 'args' and 'kwargs'")
        args = node.get("args", [])
        kwargs = node.get("kwargs", {})
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise self._bad(node, "a node must be a dict with 'args' and 'kwargs'")
        return {"operation": operation, "args": self._refs(args, positions), "kwargs": self._refs(kwargs, positions)}

    def _io(self, value, positions):
        def triple(item):
            if (
                isinstance(item, list)
                and len(item) == 3
                and isinstance(item[0], str)
                and all(isinstance(h, int) and not isinstance(h, bool) for h in item[1:])
            ):
                key = (item[0], item[1])
                if key not in positions:
                    raise ValueError(_errors.GRAPH_UNRESOLVED.format(path=self.path, refs=f"{item[0]}[{item[1]}]"))
                return {"__tensor__": [positions[key], item[2]]}
            return None

        single = triple(value)
        if single is not None:
            return single
        if isinstance(value, list):
            return [self._io(v, positions) for v in value]
        if isinstance(value, dict):
            return {self._key(k): self._io(v, positions) for k, v in value.items()}
        raise self._bad(value, "model inputs/outputs must be [layer name, node index, tensor index] entries")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
