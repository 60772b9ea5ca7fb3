"""`Config`: a dict of named values that also reads and writes them as attributes, can be frozen, and dumps to JSON."""

from __future__ import annotations

import copy
import difflib
import json

FROZEN = "Cannot mutate attribute(s) because the config is frozen. Call `config.unfreeze()` first."
UNKNOWN_ATTRIBUTE = "Unknown attribute: '{name}'."


class Config:
    """A dict-like container of named values, readable and writable as attributes or items.

    Iterating gives the keys in sorted order; `freeze()` makes every change raise ValueError until `unfreeze()`.

    Args:
        **kwargs: the initial values.

    Example:

    >>> from kerasx import utils
    >>> config = utils.Config(learning_rate=0.1)
    >>> config.momentum = 0.9
    >>> config["seed"] = 123
    >>> config.learning_rate, list(config), config.to_json()
    (0.1, ['learning_rate', 'momentum', 'seed'], '{"learning_rate": 0.1, "momentum": 0.9, "seed": 123}')
    >>> config.freeze()
    >>> config.seed = 1
    Traceback (most recent call last):
        ...
    ValueError: Cannot mutate attribute(s) because the config is frozen. Call `config.unfreeze()` first.
    """

    # Names that are the object's own attributes (methods, `_config`); every other attribute is a config value.
    _own_attributes: frozenset | None = None

    def __init__(self, **kwargs):
        self._config = kwargs
        self._frozen = False
        self._own_attributes = frozenset(dir(self))

    @property
    def frozen(self) -> bool:
        """Whether changes are refused."""
        return self._frozen

    def freeze(self) -> None:
        """Refuses every change from now on."""
        self._frozen = True

    def unfreeze(self) -> None:
        """Accepts changes again."""
        self._frozen = False

    def _refuse_if_frozen(self) -> None:
        if self._frozen:
            raise ValueError(FROZEN)

    def as_dict(self) -> dict:
        """A shallow copy of the values as a dict."""
        return copy.copy(self._config)

    def to_json(self) -> str:
        return json.dumps(self._config)

    def keys(self):
        return self._config.keys()

    def values(self):
        return self._config.values()

    def items(self):
        return self._config.items()

    def pop(self, *args):
        self._refuse_if_frozen()
        return self._config.pop(*args)

    def update(self, *args, **kwargs) -> None:
        self._refuse_if_frozen()
        self._config.update(*args, **kwargs)

    def get(self, keyname, value=None):
        return self._config.get(keyname, value)

    def __setattr__(self, name, value):
        own = object.__getattribute__(self, "_own_attributes")
        if own is None or name in own:
            object.__setattr__(self, name, value)
            return
        self._refuse_if_frozen()
        self._config[name] = value

    def __getattr__(self, name):
        # Reached only for names that are not the object's own attributes.
        config = object.__getattribute__(self, "__dict__").get("_config", {})
        if name in config:
            return config[name]
        message = UNKNOWN_ATTRIBUTE.format(name=name)
        close = difflib.get_close_matches(name, config.keys(), n=1, cutoff=0.7)
        if close:
            message += f" Did you mean '{close[0]}'?"
        raise AttributeError(message)

    def __setitem__(self, key, item):
        self._refuse_if_frozen()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __delitem__(self, key):
        self._refuse_if_frozen()
        del self._config[key]

    def __contains__(self, item) -> bool:
        return item in self._config

    def __iter__(self):
        return iter(sorted(self._config))

    def __len__(self) -> int:
        return len(self._config)

    def __repr__(self) -> str:
        return f"<Config {self._config}>"
