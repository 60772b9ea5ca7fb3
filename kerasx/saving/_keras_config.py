"""config.json in the Keras 3 format, to and from the configs kerasx's `get_config`/`from_config` use.

Export adds what Keras 3 expects (`module`, `registered_name`; functional graphs are converted by
`_keras_functional`). Import turns a file's config back into kerasx's form and is
where a hostile file is stopped: a `module` is never imported (classes are looked up by name in kerasx's registry and
the caller's `custom_objects` only, at deserialization), Python bytecode (`__lambda__`) is decoded only when the
caller passed `safe_mode=False`, and unknown serialized kinds are refused.
"""

from __future__ import annotations

import base64
import inspect
import marshal
import types
from typing import Any

from kerasx import layers
from kerasx.backend import _config
from kerasx.saving import _errors, _keras_functional
from kerasx.serialization import _registry

_KERASX_TO_KERAS_MODULE = {
    "kerasx.layers": "keras.layers",
    "kerasx.initializers": "keras.initializers",
    "kerasx.regularizers": "keras.regularizers",
    "kerasx.constraints": "keras.constraints",
    "kerasx.optimizers": "keras.optimizers",
    "kerasx.losses": "keras.losses",
    "kerasx.metrics": "keras.metrics",
    "kerasx.models": "keras",
    "kerasx.quantizers": "keras.quantizers",
    "kerasx.dtype_policies": "keras.dtype_policies",
    # FeatureSpace's parts (Feature, Cross, ...) live in Keras 3's private module, FeatureSpace in keras.utils.
    "kerasx.utils._feature_specs": "keras.src.layers.preprocessing.feature_space",
    "kerasx.utils": "keras.utils",
}
_MODEL_MODULES = {"Functional": "keras.src.models.functional", "Sequential": "keras", "Model": "keras"}
OBJECT_KEYS = frozenset({"module", "class_name", "config", "registered_name", "build_config", "compile_config"})

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
    "autocast": True,
}
# Values of `numpy` dtype names a constant argument may have (anything else would make NumPy build objects).
_ARRAY_DTYPES = frozenset(
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
    + ["float16", "bfloat16", "float32", "float64"]
)
_DTYPE_POLICIES = {"DTypePolicy", "FloatDTypePolicy"}


# Export ---------------------------------------------------------------------------------------------------------
def _layer_class(name: str):
    candidate = getattr(layers, name, None)
    return candidate if isinstance(candidate, type) and issubclass(candidate, layers.Layer) else None


def _keras_module(obj) -> str | None:
    name = getattr(obj, "__name__", "")
    if name in _MODEL_MODULES and _registry.get_registered_object(name) is obj:
        return _MODEL_MODULES[name]
    module = getattr(obj, "__module__", "") or ""
    for prefix, keras_module in _KERASX_TO_KERAS_MODULE.items():
        if module == prefix or module.startswith(prefix + "."):
            return keras_module
    return module or None


def export_config(value, model=None, known=None) -> Any:
    """kerasx's serialized form (nested {"class_name", "config"}) -> the Keras 3 file form.

    `model`, when given, is the live model `value` serializes: its graph gives the tensors' shapes and dtypes.
    `known`: classes named in `value` that are not in the registry (the losses and metrics of a compile config).
    """
    known = known or {}

    def export(item, live=None):
        return export_config(item, live, known)

    if isinstance(value, dict) and set(value) == {"class_name", "config"} and isinstance(value["class_name"], str):
        name = value["class_name"]
        if name.startswith("__"):
            # Call arguments of a functional graph (slices, constants) are already in Keras's form.
            return value
        obj = _registry.get_registered_object(name, module_objects=known)
        if isinstance(value["config"], dict) and "trainable" in value["config"]:
            # A layer's config, under a bare name another family also has (the Identity layer and initializer).
            obj = _layer_class(name) or obj
        builtin = obj is not None and name == getattr(obj, "__name__", None)
        inner = value["config"]
        if isinstance(inner, dict) and "nodes" in inner and "layers" in inner:
            inner = _keras_functional.to_keras(inner, model, export)
        else:
            inner = export(inner)
        return {
            "module": _keras_module(obj),
            "class_name": getattr(obj, "__name__", name.split(">")[-1]),
            "config": inner,
            "registered_name": None if builtin else name,
        }
    if isinstance(value, dict) and value.get("class_name") == "function" and "registered_name" in value:
        # Already Keras's form of a function (an initializer's, regularizer's or constraint's): its config is the
        # function's name, which must stay a name.
        return value
    if isinstance(value, dict):
        return {k: export(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [export(v) for v in value]
    if isinstance(value, str) and ">" in value and inspect.isfunction(_registry.get_registered_object(value)):
        # A registered function ("package>name", e.g. an activation), written as Keras writes one.
        function = _registry.get_registered_object(value)
        return {"module": "builtins", "class_name": "function", "config": function.__name__, "registered_name": value}
    return value


# Import ---------------------------------------------------------------------------------------------------------
class Importer:
    """Turns a file's Keras-format config into kerasx's form; holds the load's options for the messages."""

    OBJECT_KEYS = OBJECT_KEYS

    def __init__(self, path: str, custom_objects: dict | None, safe_mode: bool, known: dict | None = None):
        """`known`: more names a config may use (losses and metrics of a compile config), after the registry."""
        self.path = path
        self.custom_objects = dict(custom_objects or {})
        # `kerasx.config.enable_unsafe_deserialization()` overrides the argument for the whole process, as in Keras 3.
        override = _config.SETTINGS.safe_mode
        self.safe_mode = (safe_mode if override is None else override) is not False
        self.known = dict(known or {})

    def bad(self, entry, why):
        return ValueError(_errors.BAD_CONFIG_ENTRY.format(path=self.path, entry=_short(entry), why=why))

    def _lookup(self, name: str, module, kind: str):
        obj = _registry.get_registered_object(name, self.custom_objects, module_objects=self.known)
        if obj is None:
            keras_module = isinstance(module, str) and (module == "keras" or module.startswith("keras."))
            message = _errors.UNKNOWN_KERAS_CLASS if keras_module and ">" not in name else _errors.UNKNOWN_CLASS
            raise ValueError(message.format(path=self.path, kind=kind, name=name, module=module))
        return obj

    def value(self, value) -> Any:
        """Any config value: objects, functions and special forms converted; plain values kept."""
        if isinstance(value, dict):
            if "class_name" in value:
                return self.object(value)
            return {self.key(k): self.value(v) for k, v in value.items()}
        # Tuples come from Keras's in-memory `serialize` output (a JSON file holds lists).
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        raise self.bad(value, "unexpected value type")

    def key(self, key):
        if not isinstance(key, str):
            raise self.bad(key, "keys must be strings")
        return key

    def object(self, entry: dict):
        class_name, inner = entry.get("class_name"), entry.get("config")
        if not isinstance(class_name, str):
            raise self.bad(entry, "class_name must be a string")
        registered = entry.get("registered_name")
        if registered is not None and not isinstance(registered, str):
            raise self.bad(entry, "registered_name must be a string or null")
        module = entry.get("module")
        if class_name == "__tuple__":
            return tuple(self.value((inner or {}).get("value", [])))
        if class_name == "__lambda__":
            return self.lambda_function(inner)
        if class_name in ("__slice__", "__ellipsis__", "__tensor__", "__numpy__"):
            return self.call_argument(class_name, inner)
        if class_name in ("__keras_tensor__", _keras_functional.OP_CLASS):
            raise self.bad(entry, "a graph reference outside a functional model's nodes")
        if class_name.startswith("__"):
            raise ValueError(_errors.UNSUPPORTED_VALUE.format(path=self.path, kind=class_name))
        if class_name in _DTYPE_POLICIES and (registered in (None, class_name)) and isinstance(inner, dict):
            return self.value(inner.get("name"))
        if class_name == "function":
            # Functions are referenced by name only; the name is resolved by the consumer, in the registry.
            name = registered if isinstance(registered, str) and registered != "function" else inner
            if not isinstance(name, str):
                raise self.bad(entry, "a function must be referenced by its name")
            self._lookup_function(name, module)
            return name
        name = registered if registered and registered != class_name and ">" in registered else class_name
        cls = self._lookup(name, module, "class")
        if not isinstance(inner, dict):
            if inner is None:
                inner = {}
            else:
                raise self.bad(entry, "config must be a dict")
        if isinstance(inner, dict) and "layers" in inner and ("input_layers" in inner or "output_layers" in inner):
            converted = _keras_functional.from_keras(self, inner)
        else:
            converted = {self.key(k): self.value(v) for k, v in inner.items()}
            converted = self._drop_keras_only(cls, class_name, converted)
        result = {"class_name": name, "config": converted}
        return result

    def _lookup_function(self, name, module):
        if _registry.get_registered_object(name, self.custom_objects, module_objects=self.known) is not None:
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

    def call_argument(self, class_name: str, inner) -> dict:
        """A slice, `...` or constant array given to an op of a functional graph, checked, in Keras's form."""
        entry = {"class_name": class_name, "config": inner}
        if not isinstance(inner, dict):
            raise self.bad(entry, "config must be a dict")
        if class_name == "__slice__":
            parts = [inner.get(k) for k in ("start", "stop", "step")]
            if not all(p is None or (isinstance(p, int) and not isinstance(p, bool)) for p in parts):
                raise self.bad(entry, "a slice's start, stop and step must be integers or null")
            return {"class_name": class_name, "config": dict(zip(("start", "stop", "step"), parts))}
        if class_name == "__ellipsis__":
            return {"class_name": class_name, "config": {}}
        dtype, value = inner.get("dtype"), inner.get("value")
        if dtype not in _ARRAY_DTYPES or not _is_numeric_nest(value):
            raise self.bad(entry, "a constant needs a numeric dtype and a (nested list of) numbers")
        return {"class_name": class_name, "config": {"value": value, "dtype": dtype}}

    def lambda_function(self, inner):
        if self.safe_mode:
            raise ValueError(_errors.UNSAFE_LAMBDA.format(path=self.path, what="Lambda function"))
        if not isinstance(inner, dict) or not isinstance(inner.get("code"), str):
            raise self.bad(inner, "a __lambda__ needs its base64 'code'")
        code = marshal.loads(base64.b64decode(inner["code"].encode("ascii")))
        defaults = inner.get("defaults")
        return types.FunctionType(code, {}, None, tuple(defaults) if defaults else None, None)


def _is_numeric_nest(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif not isinstance(item, (int, float, bool)):
            return False
    return True


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
