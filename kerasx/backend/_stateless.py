"""Stateless scope: evaluate code that reads and assigns variables against replacement values.

Inside `StatelessScope(mapping)`, `variable.value` returns the mapped value and `variable.assign(v)` is recorded in
the scope instead of touching the variable. A compiled training step is built on this: it receives the state as
plain tensors, runs the model and optimizer inside a scope, and returns the new state, so JAX can trace it as a pure
function and torch/TensorFlow can run the same code.
"""

from __future__ import annotations

import threading

_STATE = threading.local()


def current():
    stack = getattr(_STATE, "stack", None)
    return stack[-1] if stack else None


def visible_values() -> list:
    """`(variable, value)` for every variable an open scope replaces, as `variable.value` reads it now (the innermost
    scope wins): a snapshot of the state, e.g. for a backward pass that recomputes a rematerialized function after
    the forward pass assigned new values."""
    stack = getattr(_STATE, "stack", None)
    if not stack:
        return []
    if len(stack) == 1:
        return list(stack[0]._values.values())
    merged = {}
    for scope in stack:
        merged.update(scope._values)
    return list(merged.values())


def lookup(variable):
    """Value of `variable` in the innermost scope that holds one, or None outside any such scope.

    Scopes nest: a gradient computation opens an inner scope over the trainable values inside the outer scope
    of a compiled step, and variables it does not replace still read the outer scope's values.
    """
    stack = getattr(_STATE, "stack", None)
    if not stack:
        return None
    key = id(variable)
    for scope in reversed(stack):
        entry = scope._values.get(key)
        if entry is not None:
            return entry[1]
    return None


class StatelessScope:
    """Context in which variables read from `state_mapping` and write into the scope.

    Args:
        state_mapping: iterable of `(variable, value)` pairs.
        collect_losses: layers' `add_loss` calls inside the scope (outside a `SymbolicScope`) also append their
            losses to `scope.losses`.
        initialize_variables: Keras 3 defers the initial values of variables created inside a stateless scope and
            computes them on exit when True; kerasx's variables hold their value from creation, so they are
            initialized either way.

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> v = kerasx.Variable(np.zeros(2))
    >>> with kerasx.StatelessScope([(v, np.ones(2))]) as scope:
    ...     _ = v.assign(v.value * 3.0)
    ...     seen = kerasx.ops.convert_to_numpy(v.value).tolist()
    >>> seen, v.numpy().tolist(), [kerasx.ops.convert_to_numpy(value).tolist() for _, value in scope.assignments()]
    ([3.0, 3.0], [0.0, 0.0], [[3.0, 3.0]])
    """

    def __init__(self, state_mapping=None, collect_losses: bool = False, initialize_variables: bool = True):
        self.collect_losses = bool(collect_losses)
        self.initialize_variables = bool(initialize_variables)
        self.losses = []
        self._values = {}
        self._assigned = {}
        for variable, value in state_mapping or ():
            self._values[id(variable)] = (variable, value)

    def add_loss(self, loss) -> None:
        self.losses.append(loss)

    def get_current_value(self, variable):
        entry = self._values.get(id(variable))
        return None if entry is None else entry[1]

    def add_update(self, variable, value):
        self._values[id(variable)] = (variable, value)
        self._assigned[id(variable)] = (variable, value)

    def assignments(self) -> list:
        """`(variable, new_value)` pairs for every variable assigned inside the scope, in assignment order."""
        return list(self._assigned.values())

    def __enter__(self):
        stack = getattr(_STATE, "stack", None)
        if stack is None:
            stack = _STATE.stack = []
        stack.append(self)
        return self

    def __exit__(self, *exc_info):
        _STATE.stack.pop()
        return False
