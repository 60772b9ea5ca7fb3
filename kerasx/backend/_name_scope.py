"""`name_scope`: a prefix for the paths of the variables created inside it (`outer/inner/kernel`), as in Keras 3.

The stack of open scopes is per thread. `Variable` reads `current_path()` once, when it is created.
"""

from __future__ import annotations

import threading

BAD_SCOPE_NAME = (
    "A name scope's name is a string without '/' (the path separator). Received: name={name!r}. Pass one level "
    "at a time: `with name_scope('a'), name_scope('b'):` gives paths `a/b/...`."
)

_LOCAL = threading.local()


def _stack() -> list:
    stack = getattr(_LOCAL, "stack", None)
    if stack is None:
        stack = _LOCAL.stack = []
    return stack


class name_scope:  # noqa: N801 - Keras 3's public name is lowercase
    """Context manager that prefixes the paths of the variables created inside it with `name`.

    Args:
        name: this level of the path; a string without "/".
        caller: optional object opening the scope; with `deduplicate`, the same caller re-opening a scope of the
            same name inside its own does not add a level (a layer calling itself).
        deduplicate: see `caller`.
        override_parent: optional path ("a/b") used instead of the enclosing scopes' path.

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> with kerasx.name_scope("encoder"):
    ...     with kerasx.name_scope("block"):
    ...         weight = kerasx.Variable(np.zeros(2), name="weight")
    >>> weight.path
    'encoder/block/weight'
    """

    def __init__(self, name: str, caller=None, deduplicate: bool = True, override_parent: str | None = None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(BAD_SCOPE_NAME.format(name=name))
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pushed = False

    def __enter__(self):
        stack = _stack()
        if self.deduplicate and stack and self.caller is not None:
            parent = stack[-1]
            if parent.caller is self.caller and parent.name == self.name:
                return self
        stack.append(self)
        self._pushed = True
        return self

    def __exit__(self, *exc_info):
        if self._pushed:
            _stack().pop()
            self._pushed = False
        return False


def current_path() -> str:
    """The path of the open scopes ("" outside any)."""
    stack = getattr(_LOCAL, "stack", None)
    if not stack:
        return ""
    parts: list = []
    for scope in stack:
        if scope.override_parent is not None:
            parts = [part for part in scope.override_parent.split("/") if part]
        parts.append(scope.name)
    return "/".join(parts)


def prefixed(name: str) -> str:
    """`name` under the open scopes: "outer/inner/name", or `name` itself outside any."""
    path = current_path()
    return f"{path}/{name}" if path else name
