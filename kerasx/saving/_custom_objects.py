"""Keras 3's custom-object API in `kerasx.saving`: the global table (`get_custom_objects`), the scope class
(`CustomObjectScope`), and `deserialize_keras_object` with its `safe_mode`."""

from __future__ import annotations

from typing import Any

from kerasx.saving import _keras_config
from kerasx.serialization import _registry

UNEXPECTED_ARGUMENTS = (
    "deserialize_keras_object got unexpected keyword arguments {names}. It takes config, custom_objects, "
    "safe_mode, and Keras 3's legacy module_objects and printable_module_name."
)


def get_custom_objects() -> dict:
    """The global table of user objects: name -> class or function, found by every deserialization.

    `register_keras_serializable` adds to it (under "package>name"); adding an entry by hand makes that name
    known too. It never holds kerasx's own classes, so clearing it only forgets user objects.

    Returns:
        The live dict (changes to it take effect).

    Example:
        >>> import kerasx
        >>> def double(x):
        ...     return 2 * x
        >>> kerasx.saving.get_custom_objects()["double"] = double
        >>> kerasx.saving.get_registered_object("double") is double
        True
        >>> del kerasx.saving.get_custom_objects()["double"]
    """
    return _registry._CUSTOM_OBJECTS


class CustomObjectScope:
    """Within a `with CustomObjectScope(objects):` block, the names in `objects` resolve like registered ones,
    also in nested deserializations that are not passed `custom_objects`.

    Args:
        custom_objects: dict of name -> class or function (None: nothing added).

    Example:
        >>> import kerasx
        >>> def double(x):
        ...     return 2 * x
        >>> with kerasx.saving.CustomObjectScope({"double": double}):
        ...     print(kerasx.saving.get_registered_object("double") is double)
        True
        >>> kerasx.saving.get_registered_object("double") is None
        True
    """

    def __init__(self, custom_objects: dict | None):
        self.custom_objects = dict(custom_objects or {})
        self._scope = None

    def __enter__(self):
        self._scope = _registry.custom_object_scope(self.custom_objects)
        self._scope.__enter__()
        return self

    def __exit__(self, *exc_info):
        scope, self._scope = self._scope, None
        return scope.__exit__(*exc_info)  # pyright: ignore[reportOptionalMemberAccess] - entered above


def serialize_keras_object(obj: Any) -> Any:
    """`obj` described in Keras 3's format: `{"module", "class_name", "config", "registered_name"}` for objects
    (nested objects alike), a name for a built-in function, None for None.

    Keras 3's `keras.saving.deserialize_keras_object` reads what this returns, and so does kerasx's.

    Args:
        obj: None, a plain value, a function, or an object with `get_config` (layer, loss, initializer, ...).

    Returns:
        A JSON-serializable description.

    Example:
        >>> import kerasx
        >>> config = kerasx.saving.serialize_keras_object(kerasx.initializers.Constant(0.5))
        >>> config["module"], config["class_name"], config["config"]
        ('keras.initializers', 'Constant', {'value': 0.5})
        >>> type(kerasx.saving.deserialize_keras_object(config)).__name__
        'Constant'
    """
    return _keras_config.export_config(_registry.serialize_keras_object(obj))


def deserialize_keras_object(config, custom_objects: dict | None = None, safe_mode: bool = True, **kwargs):
    """An object from a config of `serialize_keras_object`, kerasx's or Keras 3's (with `module` and
    `registered_name` keys); a name gives the registered object. None gives None.

    Nothing named in the config is imported: classes are looked up among kerasx's own, the registered ones and
    `custom_objects`. Python bytecode in the config (a `Lambda` layer's lambda) is refused unless
    `safe_mode=False` (or `kerasx.config.enable_unsafe_deserialization()`).

    Args:
        config: a dict with "class_name" and "config", or a name.
        custom_objects: dict of name -> class or function for names that are not registered.
        safe_mode: False allows stored Python bytecode and pickled objects (a TorchModuleWrapper's module); only
            for trusted configs.
        **kwargs: Keras 3's legacy `module_objects` (more names, searched last) and `printable_module_name`.

    Returns:
        A new object (`cls.from_config`), or the registered object a name denotes.

    Example:
        >>> import kerasx
        >>> config = {"module": "keras.layers", "class_name": "Dense", "config": {"units": 3},
        ...           "registered_name": None}
        >>> layer = kerasx.saving.deserialize_keras_object(config)
        >>> type(layer).__name__, layer.units
        ('Dense', 3)
    """
    module_objects = kwargs.pop("module_objects", None)
    kwargs.pop("printable_module_name", None)
    if kwargs:
        raise TypeError(UNEXPECTED_ARGUMENTS.format(names=sorted(kwargs)))
    if isinstance(config, dict) and "class_name" in config:
        importer = _keras_config.Importer("<config>", custom_objects, safe_mode, known=module_objects)
        config = importer.object(config)
    with _registry.custom_object_scope(custom_objects), _registry.safe_mode_scope(safe_mode is not False):
        return _registry.deserialize_keras_object(config, custom_objects, module_objects=module_objects)
