"""Sibling mixins of one class must not define the same name: the later one in the MRO would be silently hidden.

A private helper named alike in two mixins (`_state_groups` once, with different arguments) only fails when the
hidden one is called, on whichever engine reaches it. This walks the classes users build on and lists every name two
unrelated bases both define; deliberate overrides are named here with the reason.
"""

import itertools

import pytest

import kerasx

# Names a base earlier in the MRO defines on purpose over a sibling's: the trainer's view of them wins over Layer's.
DELIBERATE = {
    "__init_subclass__",  # Trainer wraps train_step overrides, then defers to Layer's
    "__setattr__",  # Trainer tracks optimizers and metrics, then defers to the layer's tracking
    "metrics",  # a model's metrics include its compiled ones, not only those added to layers
    "metrics_variables",  # likewise for their variables
}
_PYTHON_MEMBERS = {
    "__module__", "__doc__", "__dict__", "__weakref__", "__qualname__", "__init__", "__annotations__",
    "__firstlineno__", "__static_attributes__", "__slots__", "__parameters__", "__orig_bases__", "_abc_impl",
    "__abstractmethods__",
}
_CLASSES = [
    kerasx.Model, kerasx.Sequential, kerasx.layers.Layer, kerasx.layers.LSTM, kerasx.layers.Bidirectional,
    kerasx.layers.MultiHeadAttention, kerasx.optimizers.Adam, kerasx.metrics.Mean, kerasx.callbacks.ModelCheckpoint,
]


def _clashes(cls) -> list:
    bases = [base for base in cls.__mro__ if base.__module__.startswith("kerasx")]
    found = []
    for first, second in itertools.combinations(bases, 2):
        if issubclass(first, second) or issubclass(second, first):
            continue
        shared = (set(vars(first)) & set(vars(second))) - _PYTHON_MEMBERS - DELIBERATE
        found += [f"{first.__name__}.{name} hides {second.__name__}.{name}" for name in sorted(shared)]
    return found


@pytest.mark.parametrize("cls", _CLASSES, ids=lambda cls: cls.__name__)
def test_no_sibling_mixins_define_the_same_name(cls):
    assert _clashes(cls) == []


def test_the_walk_sees_a_clash():
    class First:
        def _helper(self):
            return 1

    class Second:
        def _helper(self, mode):
            return mode

    class Both(First, Second):
        pass

    Both.__module__ = First.__module__ = Second.__module__ = "kerasx.test_only"
    assert _clashes(Both) == ["First._helper hides Second._helper"]
