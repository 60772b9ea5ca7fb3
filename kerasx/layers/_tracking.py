"""What a layer owns: the Layers, Variables and stateful helpers reachable from its attributes.

A layer remembers which of its attributes hold trackable values (`note_attribute`); the values themselves are read
when asked, so `self.blocks = []` followed by `self.blocks.append(Dense(4))` is tracked. Containers (lists, tuples,
dict values) are searched recursively; layers are not entered (each layer reports its own).
"""

from __future__ import annotations

import re

from kerasx.backend._variable import Variable


def to_snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def state_variable(value):
    """The state Variable of a stateful helper such as a SeedGenerator (an object with a Variable `state`)."""
    state = getattr(value, "state", None)
    return state if isinstance(state, Variable) else None


def is_trackable(value, layer_type) -> bool:
    if isinstance(value, (layer_type, Variable, list, tuple, dict)):
        return True
    return state_variable(value) is not None


def walk(values, layer_type):
    """Yields the Layers, Variables and stateful helpers in `values`, in order, through nested containers."""
    stack = [iter(values)]
    while stack:
        for value in stack[-1]:
            if isinstance(value, (layer_type, Variable)):
                yield value
            elif isinstance(value, (list, tuple)):
                stack.append(iter(value))
                break
            elif isinstance(value, dict):
                stack.append(iter(value.values()))
                break
            elif state_variable(value) is not None:
                yield value
        else:
            stack.pop()
