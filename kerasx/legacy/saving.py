"""Keras 3's `keras.legacy.saving` (also `keras.utils.legacy`): the tf.keras 2 config format of one object.

`serialize_keras_object` writes `{"class_name": ..., "config": ...}` with the object's `get_config()` as the config,
as tf.keras 2 did: no `module` or `registered_name` keys. Inside the config, strings, numbers, lists, dicts and None
stay as they are, a function becomes its registered name, and an object with `get_config` (one a config holds
unserialized) becomes a nested config marked `"__passive_serialization__": True`, which deserialization rebuilds.

`deserialize_keras_object` reads those dicts back. A class name is looked up where Keras 3 looks (an enclosing
`custom_object_scope`, the global custom objects, `custom_objects`, `module_objects`) and then among kerasx's own
names, so `{"class_name": "Dense", ...}` loads without a table of built-in classes.
"""

from __future__ import annotations

import inspect
from typing import Any

from kerasx import _missing
from kerasx.saving import _keras_config
from kerasx.serialization import custom_object_scope, get_registered_name, get_registered_object
from kerasx.serialization._registry import get_custom_object

# Marks a nested config that serialization made from an object (not a dict the config held as a dict).
PASSIVE = "__passive_serialization__"

NOT_SERIALIZABLE = (
    "Cannot serialize {obj!r}: it has no `get_config()` method and is not a named function. Pass a layer, loss, "
    "optimizer, initializer, ... (anything with `get_config()`), a function, or None."
)
BAD_CONFIG = (
    "Improper config format for {printable_module_name}: {config!r}. Expected a dict with keys 'class_name' and "
    "'config' (what `serialize_keras_object` returns), a name (str), or a function."
)
UNKNOWN = (
    "Unknown {printable_module_name}: '{name}'. It is neither one of kerasx's own names nor registered: pass "
    "`custom_objects={{'{name}': ...}}` (or `module_objects=`), use `kerasx.saving.custom_object_scope`, or "
    "register the class with `@kerasx.saving.register_keras_serializable()`."
)


def serialize_keras_object(instance: Any) -> Any:
    """The tf.keras 2 form of `instance`: `{"class_name", "config"}` for an object with `get_config`, the registered
    name for a function, None for None.

    Args:
        instance: an object with `get_config()` (layer, model, loss, optimizer, initializer, ...), a function, or
            None.

    Returns:
        A dict `{"class_name": ..., "config": ...}` (the config is the object's `get_config()`, with objects it
        holds serialized the same way), a name (str), or None.

    Raises:
        ValueError: `instance` has no `get_config()` and no `__name__`.

    Example:
        >>> import kerasx
        >>> config = kerasx.legacy.saving.serialize_keras_object(kerasx.layers.Dense(2, name="out"))
        >>> config["class_name"], config["config"]["units"], config["config"]["name"]
        ('Dense', 2, 'out')
        >>> kerasx.legacy.saving.serialize_keras_object(kerasx.activations.relu)
        'relu'
    """
    instance = inspect.unwrap(instance)
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        config = {key: _serialize_item(item) for key, item in instance.get_config().items()}
        return {"class_name": get_registered_name(type(instance)), "config": config}
    if hasattr(instance, "__name__"):
        return get_registered_name(instance)
    raise ValueError(NOT_SERIALIZABLE.format(obj=instance))


def _serialize_item(item: Any) -> Any:
    # A value of a config: what needs no serialization stays; an object becomes a marked nested config.
    if isinstance(item, (str, int, float, bool, list, tuple, dict)) or item is None:
        return item
    try:
        serialized = serialize_keras_object(item)
    except ValueError:
        return item
    if isinstance(serialized, dict):
        serialized[PASSIVE] = True
    return serialized


def deserialize_keras_object(
    identifier: Any,
    module_objects: dict | None = None,
    custom_objects: dict | None = None,
    printable_module_name: str = "object",
) -> Any:
    """An object from the output of `serialize_keras_object` (tf.keras 2 format), or the object a name denotes.

    A dict gives a new instance (`cls.from_config(config)`, with `custom_objects` in scope, so nested configs find
    them too); a name gives the class or function it denotes (a class is instantiated without arguments, as Keras
    does); a function is returned as is; None gives None.

    Args:
        identifier: a dict `{"class_name": ..., "config": ...}`, a name, a function, or None.
        module_objects: dict of name -> class or function, searched after `custom_objects`.
        custom_objects: dict of name -> class or function for your own objects.
        printable_module_name: what is being deserialized, used in error messages ("layer", "loss", ...).

    Returns:
        The deserialized object.

    Raises:
        ValueError: the name is unknown, or `identifier` is neither a config dict, a name nor a function.

    Example:
        >>> import kerasx
        >>> class Scale:
        ...     def __init__(self, factor=1.0):
        ...         self.factor = factor
        ...     def get_config(self):
        ...         return {"factor": self.factor}
        >>> config = kerasx.legacy.saving.serialize_keras_object(Scale(3.0))
        >>> config
        {'class_name': 'Scale', 'config': {'factor': 3.0}}
        >>> kerasx.legacy.saving.deserialize_keras_object(config, custom_objects={"Scale": Scale}).factor
        3.0
        >>> layer = kerasx.legacy.saving.deserialize_keras_object({"class_name": "Dense", "config": {"units": 4}})
        >>> type(layer).__name__, layer.units
        ('Dense', 4)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return _from_config(identifier, module_objects, custom_objects, printable_module_name)
    if isinstance(identifier, str):
        obj = _lookup(identifier, module_objects, custom_objects)
        if obj is None:
            raise ValueError(UNKNOWN.format(printable_module_name=printable_module_name, name=identifier))
        return obj() if inspect.isclass(obj) else obj
    if inspect.isfunction(identifier):
        return identifier
    raise ValueError(BAD_CONFIG.format(printable_module_name=printable_module_name, config=identifier))


def _keras_tables_lookup(name: str, module_objects: dict | None, custom_objects: dict | None) -> Any:
    # The tables Keras 3 searches: enclosing scopes and global custom objects, custom_objects, module_objects.
    found = get_custom_object(name, custom_objects)
    if found is None and module_objects:
        found = module_objects.get(name)
    return found


def _lookup(name: str, module_objects: dict | None, custom_objects: dict | None) -> Any:
    found = _keras_tables_lookup(name, module_objects, custom_objects)
    return found if found is not None else get_registered_object(name)


def _from_config(config: dict, module_objects: dict | None, custom_objects: dict | None, printable_module_name: str):
    if "class_name" not in config or "config" not in config:
        raise ValueError(BAD_CONFIG.format(printable_module_name=printable_module_name, config=config))
    cls = _lookup(config["class_name"], module_objects, custom_objects)
    if cls is None:
        raise ValueError(UNKNOWN.format(printable_module_name=printable_module_name, name=config["class_name"]))
    cls_config = config["config"]
    if isinstance(cls_config, dict):
        # Keras 3 objects' get_config nests Keras 3 configs (with `module`, a DTypePolicy dict, Keras-only
        # arguments); the importer of Keras 3 files turns those into kerasx's form, refusing what it cannot read.
        importer = _keras_config.Importer("<config>", custom_objects, safe_mode=True, known=module_objects)
        cls_config = {
            key: _deserialize_item(key, item, module_objects, custom_objects, importer)
            for key, item in cls_config.items()
        }
        cls_config = importer._drop_keras_only(cls, config["class_name"], cls_config)
    # Keras 2's Sequential config was a list of layer configs; its from_config reads that list itself.
    with custom_object_scope(custom_objects):
        if not hasattr(cls, "from_config"):
            return cls(**cls_config)
        if "custom_objects" in inspect.signature(cls.from_config).parameters:
            return cls.from_config(cls_config, custom_objects=custom_objects)
        return cls.from_config(cls_config)


def _deserialize_item(
    key: str, item: Any, module_objects: dict | None, custom_objects: dict | None, importer: _keras_config.Importer
) -> Any:
    # "name" is a name even when a function has the same one.
    if key == "name":
        return item
    if isinstance(item, dict) and PASSIVE in item:
        return deserialize_keras_object(item, module_objects, custom_objects, printable_module_name="config_item")
    if isinstance(item, (dict, list, tuple)):
        return importer.value(_as_json(item))
    if isinstance(item, str):
        # A function was written as its name; only names a user table knows are read back, so a string option
        # that happens to spell one of kerasx's functions ("linear") stays a string.
        found = _keras_tables_lookup(item, module_objects, custom_objects)
        if inspect.isfunction(found):
            return found
    return item


def _as_json(item: Any) -> Any:
    # A config straight from `get_config` (not read from JSON) holds tuples, which the importer reads as lists do.
    if isinstance(item, dict):
        return {key: _as_json(value) for key, value in item.items()}
    if isinstance(item, (list, tuple)):
        return [_as_json(value) for value in item]
    return item


__all__ = ["deserialize_keras_object", "serialize_keras_object"]

# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`).
__getattr__ = _missing.missing_name_hook(__name__)
