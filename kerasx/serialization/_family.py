"""`get` / `serialize` / `deserialize` of one family of named objects (activations, losses, optimizers, ...).

Each family's public functions are one-line calls into a `Family` built from the family's own name table, so the
nine families resolve names, aliases, registered objects, `custom_objects` and config dicts the same way, and say
the same things when they cannot.
"""

from __future__ import annotations

import inspect
from typing import Any

from kerasx.serialization import _registry

UNKNOWN_IDENTIFIER = (
    "Could not interpret {kind} identifier: {identifier!r}. Expected {expected}, or one of the names: {known}. "
    "Custom objects can be registered with `@kerasx.saving.register_keras_serializable()`."
)
UNKNOWN_CLASS = (
    "Could not deserialize {kind} '{name}': no object with that name is registered or passed in `custom_objects`. "
    "Known names: {known}. Pass `custom_objects={{'{name}': ...}}`, or register your class with "
    "`@kerasx.saving.register_keras_serializable()`."
)
BAD_CONFIG = (
    "Could not deserialize {kind} from {config!r}. Expected a dict with keys 'class_name' and 'config', as "
    "`{module}.serialize` returns{or_name}."
)
NEEDS_ARGUMENTS = (
    "{kind} {identifier!r} cannot be created from its name alone: {cls} requires the arguments {required}. "
    "Pass an instance instead, e.g. `{module}.{cls}({example})`."
)


def _required_arguments(cls) -> list:
    try:
        parameters = inspect.signature(cls.__init__).parameters.values()
    except (TypeError, ValueError):
        return []
    return [
        p.name
        for p in parameters
        if p.name != "self" and p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


class Family:
    """Resolves the identifiers of one family of objects from its table of names, as Keras 3's `get`,
    `serialize` and `deserialize` do for activations, losses, metrics, initializers, ...

    `get` takes None (gives `default`), a name (a class name gives a new instance with default arguments, a
    function name the function), a dict from `serialize`, a class (instantiated), an instance of `base`, or any
    other callable (returned as it is). Names are looked up in `custom_objects` and enclosing
    `custom_object_scope`s first, then in the family's table, then in the registry of
    `register_keras_serializable`.

    Args:
        kind: what one object is called in messages ("loss", "activation function").
        module: the public module of the family, for messages ("kerasx.losses").
        objects: name -> class or function: every name the family accepts, aliases included.
        functions: name -> function for the functions that serialize to their bare name (`relu`,
            `mean_squared_error`); a nested config key in `function_keys` is looked up here first.
        base: the family's base class; its instances pass `get` as they are.
        default: what `get(None)` returns.
        callables: whether `get` accepts any callable (False for optimizers, which are not called).
        ignore_case: whether names match in any case ("adam", "Adam").
        expected: the identifiers `get` accepts, in words, for its error message.
        function_keys: config keys holding a function by name (the `fn` of a loss wrapper).
        names: whether `deserialize` takes a bare name too (optimizers and schedules take only dicts).
        keras_module: the family's module in Keras 3 ("keras.initializers"). When given, `serialize` writes an
            object as Keras 3's does, with `module` and `registered_name` beside `class_name` and `config`.

    Example:
        >>> from kerasx.serialization import Family
        >>> def double(x):
        ...     return 2 * x
        >>> family = Family("scaler", "mymodule", objects={"double": double}, functions={"double": double})
        >>> family.get("double")(3)
        6
        >>> family.serialize(double)
        'double'
        >>> family.get(None) is None
        True
    """

    def __init__(
        self,
        kind: str,
        module: str,
        objects: dict,
        *,
        functions: dict | None = None,
        base: type | None = None,
        default=None,
        callables: bool = True,
        ignore_case: bool = False,
        expected: str = "None, an instance, a class, a callable or a dict from `serialize`",
        function_keys: tuple = (),
        names: bool = True,
        keras_module: str | None = None,
    ):
        self.kind = kind
        self.module = module
        self.objects = objects
        self.functions = functions or {}
        self.base = base
        self.default = default
        self.callables = callables
        self.ignore_case = ignore_case
        self.expected = expected
        self.function_keys = function_keys
        self.names = names
        self.keras_module = keras_module
        self._lower = {name.lower(): obj for name, obj in objects.items()} if ignore_case else {}

    # Lookups -------------------------------------------------------------------------------------------------
    def _known(self) -> str:
        if not self.objects:
            return f"the names of `{self.module}` and registered names"
        return ", ".join(sorted(self.objects, key=str.lower if self.ignore_case else None))

    def lookup(self, name: str, custom_objects: dict | None = None, functions_first: bool = False):
        """The class or function `name` denotes, or None."""
        found = _registry.get_custom_object(name, custom_objects)
        if found is None and functions_first:
            found = self.functions.get(name)
        if found is None:
            found = self.objects.get(name)
        if found is None and self.ignore_case:
            found = self._lower.get(name.lower())
        if found is None:
            found = self.functions.get(name)
        if found is None:
            found = _registry.get_registered_object(name)
        return found

    def _instantiate(self, cls, identifier):
        required = _required_arguments(cls)
        if required:
            example = ", ".join(f"{name}=..." for name in required)
            raise ValueError(
                NEEDS_ARGUMENTS.format(
                    kind=self.kind.capitalize(),
                    identifier=identifier,
                    cls=cls.__name__,
                    required=required,
                    example=example,
                    module=self.module,
                )
            )
        return cls()

    def _unknown(self, identifier) -> ValueError:
        return ValueError(
            UNKNOWN_IDENTIFIER.format(
                kind=self.kind, identifier=identifier, expected=self.expected, known=self._known()
            )
        )

    # The three public functions ------------------------------------------------------------------------------
    def get(self, identifier) -> Any:
        """The object `identifier` denotes (see the class docstring)."""
        if identifier is None:
            return self.default
        if isinstance(identifier, dict):
            obj = self.deserialize(identifier)
        elif isinstance(identifier, str):
            obj = self.lookup(identifier)
            if obj is None:
                raise self._unknown(identifier)
        else:
            obj = identifier
        if inspect.isclass(obj):
            obj = self._instantiate(obj, identifier)
        if (self.base is not None and isinstance(obj, self.base)) or (self.callables and callable(obj)):
            return obj
        raise self._unknown(identifier)

    def serialize(self, obj) -> Any:
        """A built-in function's name; otherwise `serialize_keras_object(obj)`, in Keras 3's four-key form when the
        family has a `keras_module` (None stays None)."""
        if obj is None:
            return None
        name = getattr(obj, "__name__", None)
        if isinstance(name, str) and self.functions.get(name) is obj:
            return name
        if self.keras_module is not None and inspect.isfunction(obj) and obj.__name__ != "<lambda>":
            # Keras 3 writes a user function as an object of the class "function" whose config is its name.
            config = _registry.get_registered_name(obj)
            return {"module": "builtins", "class_name": "function", "config": config, "registered_name": "function"}
        if not hasattr(obj, "get_config"):
            return _registry.get_registered_name(obj)
        if self.keras_module is None:
            return _registry.serialize_keras_object(obj)
        return self._keras_form(obj)

    def _keras_form(self, obj) -> dict:
        # Keras 3 names its own classes by their public module; any other class by its Python module and its
        # registered name ("package>Name", or the bare class name when it is not registered).
        cls = type(obj)
        own = self.objects.get(cls.__name__) is cls
        return {
            "module": self.keras_module if own else cls.__module__,
            "class_name": cls.__name__,
            "config": obj.get_config(),
            "registered_name": None if own else _registry.get_registered_name(cls),
        }

    def deserialize(self, config, custom_objects: dict | None = None) -> Any:
        """The object `serialize` described: a name gives the function, or a new instance of the class; a dict
        `{"class_name", "config"}` gives `cls.from_config(config)`. `custom_objects` maps names to your own
        classes and functions, also for the objects nested in the config."""
        if config is None:
            return None
        with _registry.custom_object_scope(custom_objects):
            return self._deserialize(config)

    def _deserialize(self, config):
        # Keras's form of a function: {"class_name": "function", "config": "relu"}
        function_config = isinstance(config, dict) and config.get("class_name") == "function"
        if function_config and isinstance(config.get("config"), str):
            config = config["config"]
        if isinstance(config, str) and self.names:
            obj = self.lookup(config)
            if obj is None:
                raise ValueError(UNKNOWN_CLASS.format(kind=self.kind, name=config, known=self._known()))
            return self._instantiate(obj, config) if inspect.isclass(obj) else obj
        if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
            or_name = ", or a name" if self.names else ""
            raise ValueError(BAD_CONFIG.format(kind=self.kind, config=config, module=self.module, or_name=or_name))
        name = config["class_name"]
        registered = config.get("registered_name")
        cls = (self.lookup(registered) if isinstance(registered, str) else None) or self.lookup(name)
        if cls is None:
            raise ValueError(UNKNOWN_CLASS.format(kind=self.kind, name=name, known=self._known()))
        inner = dict(config.get("config") or {})
        for key in self.function_keys:
            if isinstance(inner.get(key), str):
                function = self.lookup(inner[key], functions_first=True)
                if function is None:
                    raise ValueError(UNKNOWN_CLASS.format(kind=self.kind, name=inner[key], known=self._known()))
                inner[key] = function
        if not inspect.isclass(cls):
            return cls
        if hasattr(cls, "from_config"):
            return cls.from_config(inner)  # pyright: ignore[reportAttributeAccessIssue] - hasattr above
        return cls(**inner)
