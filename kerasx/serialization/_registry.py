"""Names for serializable objects: `register_keras_serializable` and the lookups `from_config` relies on.

kerasx's own classes are registered under their bare class name ("Dense"); user classes under "package>Name"
("Custom>MyLayer"), as in Keras. Nothing here reads or writes files.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
from typing import Any

_OBJECTS: dict = {}  # registered name -> class or function
_NAMES: dict = {}  # class or function -> registered name
# Keras 3's global table of user objects (`saving.get_custom_objects()`): what `register_keras_serializable`
# registered, plus any name a user adds to it by hand. Kept apart from kerasx's own names, so clearing it is safe.
_CUSTOM_OBJECTS: dict = {}
# Tables pushed by `custom_object_scope`, innermost last; per thread so that concurrent loads do not mix them.
_SCOPES = threading.local()

NAME_TAKEN = (
    "Cannot register {obj!r} as '{name}': that name is already registered for {other!r}. "
    "Pass a different `package=` or `name=` to `register_keras_serializable`."
)
NO_GET_CONFIG = (
    "Cannot register class {name}: it has no `get_config` method, so it could not be serialized. "
    "Define `get_config(self)` returning its constructor arguments."
)
UNKNOWN_OBJECT = (
    "Could not deserialize {kind} '{name}': no object with that name is registered or passed in `custom_objects`. "
    "Register custom classes with `@kerasx.saving.register_keras_serializable()`, or pass "
    "`custom_objects={{'{name}': ...}}`."
)
BAD_CONFIG = (
    "Cannot deserialize {kind} from {config!r}. Expected a name (str) or a dict with keys 'class_name' and 'config'."
)


def _register(obj, name: str):
    other = _OBJECTS.get(name)
    if other is not None and other is not obj:
        raise ValueError(NAME_TAKEN.format(obj=obj, name=name, other=other))
    _OBJECTS[name] = obj
    _NAMES[obj] = name
    return obj


def register_keras_serializable(package: str = "Custom", name: str | None = None):
    """Decorator registering a class or function under "package>name" (name defaults to `__name__`).

    Registered objects are found by name when a model is loaded or a config is deserialized, without passing
    `custom_objects`.

    Args:
        package: the first part of the registered name.
        name: the second part; defaults to the object's `__name__`.

    Returns:
        A decorator that registers its argument and returns it unchanged.

    Example:
        >>> import kerasx
        >>> @kerasx.saving.register_keras_serializable(package="DocsExample")
        ... class Scale(kerasx.layers.Layer):
        ...     def __init__(self, factor=2.0, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.factor = factor
        ...     def call(self, inputs):
        ...         return inputs * self.factor
        ...     def get_config(self):
        ...         return {**super().get_config(), "factor": self.factor}
        >>> kerasx.saving.get_registered_name(Scale)
        'DocsExample>Scale'
        >>> config = kerasx.saving.serialize_keras_object(Scale(3.0))
        >>> kerasx.saving.deserialize_keras_object(config).factor
        3.0
    """

    def decorator(obj):
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(NO_GET_CONFIG.format(name=obj.__name__))
        registered = f"{package}>{name or obj.__name__}"
        _register(obj, registered)
        _CUSTOM_OBJECTS[registered] = obj
        return obj

    return decorator


def builtin(obj):
    """Registers one of kerasx's own classes or functions under its bare name."""
    return _register(obj, obj.__name__)


def get_registered_name(obj) -> str:
    """The name `obj` is registered under, or its `__name__` when it is not registered.

    Args:
        obj: a class or function.

    Returns:
        The registered name ("package>name"), kerasx's bare name for its own classes, or `obj.__name__`.

    Example:
        >>> import kerasx
        >>> @kerasx.saving.register_keras_serializable(package="DocsExample")
        ... def doubled(x):
        ...     return x * 2
        >>> kerasx.saving.get_registered_name(doubled)
        'DocsExample>doubled'
        >>> kerasx.saving.get_registered_name(kerasx.layers.Dense)
        'Dense'
    """
    return _NAMES.get(obj) or getattr(obj, "__name__", type(obj).__name__)


@contextlib.contextmanager
def custom_object_scope(custom_objects: dict | None):
    """Within the block, names in `custom_objects` resolve like registered ones (nested `from_config` calls that
    are not handed `custom_objects` find them too).

    Args:
        custom_objects: dict mapping names to classes or functions.

    Example:
        >>> import kerasx
        >>> def scaled_relu(x):
        ...     return kerasx.activations.relu(x) * 2.0
        >>> config = {"class_name": "Dense", "config": {"units": 2, "activation": "scaled_relu"}}
        >>> with kerasx.saving.custom_object_scope({"scaled_relu": scaled_relu}):
        ...     layer = kerasx.layers.deserialize(config)
        >>> layer.activation is scaled_relu
        True
    """
    stack = getattr(_SCOPES, "stack", None)
    if stack is None:
        stack = _SCOPES.stack = []
    stack.append(dict(custom_objects or {}))
    try:
        yield
    finally:
        stack.pop()


@contextlib.contextmanager
def object_sharing_scope():
    """Within the block (one model load), configs carrying the same `shared_object_id` give one object: a layer
    that several nested models call is rebuilt once."""
    previous = getattr(_SCOPES, "shared", None)
    _SCOPES.shared = {}
    try:
        yield
    finally:
        _SCOPES.shared = previous


@contextlib.contextmanager
def safe_mode_scope(safe_mode: bool):
    """Within the block (one load), `in_safe_mode()` gives the load's `safe_mode`: a `from_config` that would
    unpickle what its config holds (TorchModuleWrapper's module) asks it, as Keras 3's do."""
    previous = getattr(_SCOPES, "safe_mode", None)
    _SCOPES.safe_mode = bool(safe_mode)
    try:
        yield
    finally:
        _SCOPES.safe_mode = previous


def in_safe_mode() -> bool | None:
    """The `safe_mode` of the load in progress on this thread, or None outside any load."""
    return getattr(_SCOPES, "safe_mode", None)


@contextlib.contextmanager
def native_config_scope():
    """Within the block, models describe themselves in kerasx's own config form (a functional model's graph as an
    ordered `nodes` list, see `kerasx.models._functional_config`) rather than Keras 3's `get_config` form.

    Files are written from that form: it marks the layers that nested models share, which Keras 3's in-memory
    form cannot carry (Keras itself adds `shared_object_id`s only while saving, for the same reason).
    """
    previous = getattr(_SCOPES, "native_config", False)
    _SCOPES.native_config = True
    try:
        yield
    finally:
        _SCOPES.native_config = previous


def in_native_config_scope() -> bool:
    """Whether `native_config_scope` is active on this thread."""
    return getattr(_SCOPES, "native_config", False)


def shared_object(shared_id):
    """The object already built for `shared_id` in the current sharing scope, or None."""
    table = getattr(_SCOPES, "shared", None)
    return table.get(shared_id) if table is not None and shared_id is not None else None


def record_shared_object(shared_id, obj) -> None:
    table = getattr(_SCOPES, "shared", None)
    if table is not None and shared_id is not None:
        table[shared_id] = obj


def _scoped_objects() -> list:
    return list(reversed(getattr(_SCOPES, "stack", None) or []))


def get_custom_object(name: str, custom_objects: dict | None = None):
    """The object `name` denotes in `custom_objects` or an enclosing `custom_object_scope`, or None."""
    for table in (custom_objects or {}, *_scoped_objects(), _CUSTOM_OBJECTS):
        if name in table:
            return table[name]
    return None


def get_registered_object(
    name: str, custom_objects: dict | None = None, module_objects: dict | None = None
) -> Any:
    """The class or function named `name` (custom_objects and `custom_object_scope` tables first, then the
    registry, then module_objects).

    Args:
        name: the registered name ("package>name"), or a name in `custom_objects` or `module_objects`.
        custom_objects: optional dict of name -> object, searched first.
        module_objects: optional dict of name -> object, searched last.

    Returns:
        The object, or None when no table has the name.

    Example:
        >>> import kerasx
        >>> kerasx.saving.get_registered_object("Dense") is kerasx.layers.Dense
        True
        >>> kerasx.saving.get_registered_object("no_such_name") is None
        True
        >>> kerasx.saving.get_registered_object("f", custom_objects={"f": print}) is print
        True
    """
    for table in (custom_objects or {}, *_scoped_objects(), _CUSTOM_OBJECTS, _OBJECTS, module_objects or {}):
        if name in table:
            return table[name]
    return None


def serialize_keras_object(obj: Any) -> Any:
    """None -> None; a registered function -> its name; an object with `get_config` -> {"class_name", "config"}.

    Args:
        obj: None, a plain value, a registered function, or an object with `get_config` (layer, loss, initializer,
            ...).

    Returns:
        A JSON-serializable description that `deserialize_keras_object` turns back into an object.

    Example:
        >>> import kerasx
        >>> config = kerasx.saving.serialize_keras_object(kerasx.initializers.Constant(0.5))
        >>> config["class_name"], config["config"]
        ('Constant', {'value': 0.5})
        >>> kerasx.saving.serialize_keras_object(None) is None
        True
    """
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return get_registered_name(obj)
    # kerasx's own form, all the way down: files, clones and `kerasx.saving.serialize_keras_object` are made from
    # it (a model's `get_config()` outside this scope is Keras 3's in-memory form instead).
    with native_config_scope():
        return {"class_name": get_registered_name(type(obj)), "config": obj.get_config()}


def deserialize_keras_object(
    config: Any, custom_objects: dict | None = None, module_objects: dict | None = None, kind: str = "object"
) -> Any:
    """Inverse of `serialize_keras_object`: a name gives the registered object, a dict an instance via from_config.

    Args:
        config: a registered name, or a dict `{"class_name": ..., "config": ...}`.
        custom_objects: optional dict of name -> class or function for names that are not registered.
        module_objects: optional dict of name -> object searched after the registry.
        kind: what is being deserialized, used in error messages ("layer", "loss", ...).

    Returns:
        The registered object for a name; a new instance (`cls.from_config(config)`) for a dict; None for None.

    Example:
        >>> import kerasx
        >>> initializer = kerasx.saving.deserialize_keras_object({"class_name": "Constant", "config": {"value": 0.5}})
        >>> type(initializer).__name__, initializer.value
        ('Constant', 0.5)
    """
    if config is None:
        return None
    if isinstance(config, str):
        obj = get_registered_object(config, custom_objects, module_objects)
        if obj is None:
            raise ValueError(UNKNOWN_OBJECT.format(kind=kind, name=config))
        return obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(BAD_CONFIG.format(kind=kind, config=config))
    cls = get_registered_object(config["class_name"], custom_objects, module_objects)
    if cls is None:
        raise ValueError(UNKNOWN_OBJECT.format(kind=kind, name=config["class_name"]))
    inner = config.get("config") or {}
    if hasattr(cls, "from_config"):
        return cls.from_config(inner)
    return cls(**inner)
