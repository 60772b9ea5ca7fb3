"""Rematerialization (gradient checkpointing): `remat(f)` recomputes `f`'s intermediate values in the backward pass
instead of keeping them, trading compute for memory; `RematScope` applies it to the layers created inside it."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

import numpy as np

from kerasx.backend import _stateless, _tree
from kerasx.backend._select import ACTIVE
from kerasx.backend._stateless import StatelessScope

MODES = ("full", "activations", "larger_than", "list_of_layers", None)
BAD_MODE = (
    "Unknown rematerialization mode. Received: mode={mode!r}. Expected one of {modes}: 'full' (every layer), "
    "'activations' (the activation functions of layers that have one), 'larger_than' (layers whose outputs hold more "
    "than `output_size_threshold` values), 'list_of_layers' (the layers named in `layer_names`), None (off)."
)

_LOCAL = threading.local()


def remat(f: Callable) -> Callable:
    """`f` with the same results, whose intermediate values the backward pass recomputes instead of storing them:
    `jax.checkpoint`, `torch.utils.checkpoint` or `tf.recompute_grad` (the numpy backend, which computes no
    gradients, returns `f` itself and warns).

    The recomputation sees what the forward pass saw: the tensors among `f`'s arguments, the values of the
    variables it reads (also inside a `StatelessScope`), the same dropout masks and random draws. Arguments that are
    not tensors (`training=True`, a Python number) reach `f` unchanged, so `f` may branch on them. Variables that `f`
    assigns (seed states, moving statistics) are assigned once. On tensorflow, a tensor that `f` only closes over
    (neither an argument nor a variable's value) gets no gradient: pass it as an argument. Layers that add losses
    (activity regularizers) belong inside a `RematScope` instead, which carries their losses out.

    Args:
        f: a function of tensors (a layer's `call`, an activation, any computation written with kerasx ops).

    Returns:
        The rematerialized function, called as `f` is.

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the numpy backend warns that it has nothing to save
    ...     cube = kerasx.remat(lambda x: x * x * x)
    >>> kerasx.ops.convert_to_numpy(cube(np.array([2.0], "float32"))).tolist()
    [8.0]
    """
    if ACTIVE.core.remat(f) is f:
        return f  # the engine computes no gradients (it warned)

    @functools.wraps(f)
    def rematerialized(*args, **kwargs):
        return _call(f, args, kwargs)

    return rematerialized


def _is_array(x) -> bool:
    return isinstance(x, np.ndarray) or ACTIVE.core.is_tensor(x)


class _FirstRunScope(StatelessScope):
    """The scope of `f`'s first run. For each variable `f` assigns that no open scope replaces, it keeps the value
    from before the assignment in `before`: a recomputation must read that, not what the forward pass wrote."""

    def __init__(self, mapping, before: dict):
        super().__init__(mapping)
        self._before = before

    def add_update(self, variable, value):
        key = id(variable)
        if key not in self._values and key not in self._before:
            # A copy: torch assigns in place, after the forward pass and before the recomputation.
            self._before[key] = (variable, ACTIVE.numpy.copy(variable.value))
        super().add_update(variable, value)


def _call(f, args, kwargs):
    """`f(*args, **kwargs)` through the engine's rematerialization, as a pure function of tensors.

    The engine sees `pure(*tensors)`: the tensor arguments and the trainable values of the open scopes go in as
    arguments; the values every run reads are those of the open scopes when `f` was called (also after later
    assignments); the assignments `f` makes come out as results, assigned here once. A new `pure` per call:
    jax.checkpoint caches its trace by function, and a cached trace would replay the values of an earlier call.
    """
    leaves = _tree.flatten((args, kwargs))
    arg_positions = [i for i, leaf in enumerate(leaves) if _is_array(leaf)]
    # Trainable values go in as arguments, which every engine differentiates (tf.recompute_grad gives nothing to a
    # tensor the function closes over); the others (seeds, moving statistics) are closed over, so that a nested
    # rematerialization gets the same arguments in the forward pass and in the recomputation, which already holds
    # the values the forward pass assigned (torch checks that the recomputation saves the same tensors).
    traced_state, fixed_state = [], []
    for variable, value in _stateless.visible_values():
        (traced_state if variable.trainable and _is_array(value) else fixed_state).append((variable, value))
    num_args = len(arg_positions)
    before: dict = {}
    run: dict = {}  # what the latest run of `pure` returned, and how to read its flat results

    def pure(*tensors):
        full = list(leaves)
        for position, tensor in zip(arg_positions, tensors):
            full[position] = tensor
        call_args, call_kwargs = _tree.pack_sequence_as((args, kwargs), full)
        mapping = [*fixed_state, *zip((variable for variable, _ in traced_state), tensors[num_args:])]
        # A recomputation (after a first run) reads what the first run read and assigns nothing outside.
        scope = StatelessScope([*mapping, *before.values()]) if run else _FirstRunScope(mapping, before)
        with scope:
            outputs = f(*call_args, **call_kwargs)
        flat = _tree.flatten(outputs)
        positions = [i for i, leaf in enumerate(flat) if _is_array(leaf)]
        assigned = scope.assignments()
        run.update(outputs=outputs, flat=flat, positions=positions, assigned=[variable for variable, _ in assigned])
        return (*[flat[i] for i in positions], *[value for _, value in assigned])

    results = ACTIVE.core.remat(pure)(*[leaves[i] for i in arg_positions], *[value for _, value in traced_state])
    count = len(run["positions"])
    flat = list(run["flat"])
    for position, result in zip(run["positions"], results[:count]):
        flat[position] = result
    for variable, value in zip(run["assigned"], results[count:]):
        variable.assign(value)
    return _tree.pack_sequence_as(run["outputs"], flat)


class RematScope:
    """Context manager: layers created inside it rematerialize their calls (see `remat`) as `mode` says.

    The mode is read when a layer is created and applied whenever it runs on data, so build the model inside the
    scope; calls on KerasTensors (building a functional model) only compute shapes.

    Args:
        mode: "full" (every layer's call), "activations" (the `activation` of layers that have one),
            "larger_than" (layers whose outputs hold more than `output_size_threshold` values in a call),
            "list_of_layers" (the layers named in `layer_names`), or None (no rematerialization, e.g. inside an
            outer scope).
        output_size_threshold: the size for "larger_than".
        layer_names: the names for "list_of_layers".

    Example:

    >>> import warnings
    >>> import numpy as np
    >>> import kerasx
    >>> with kerasx.RematScope(mode="list_of_layers", layer_names=["big"]):
    ...     model = kerasx.Sequential([
    ...         kerasx.Input((8,)), kerasx.layers.Dense(512, activation="relu", name="big"), kerasx.layers.Dense(4),
    ...     ])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # the numpy backend warns that it has nothing to save
    ...     outputs = model(np.ones((2, 8), "float32"))  # "big" recomputes its activations in a backward pass
    >>> tuple(outputs.shape)
    (2, 4)
    """

    def __init__(
        self, mode: str | None = "full", output_size_threshold: int = 1024, layer_names: list[str] | None = None
    ):
        if mode not in MODES:
            raise ValueError(BAD_MODE.format(mode=mode, modes=MODES))
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = list(layer_names or [])

    def __enter__(self):
        stack = getattr(_LOCAL, "stack", None)
        if stack is None:
            stack = _LOCAL.stack = []
        stack.append(self)
        return self

    def __exit__(self, *exc_info):
        _LOCAL.stack.pop()
        return False

    def __repr__(self):
        return (
            f"RematScope(mode={self.mode!r}, output_size_threshold={self.output_size_threshold}, "
            f"layer_names={self.layer_names})"
        )


def current_mode() -> RematScope | None:
    """The innermost open `RematScope`, or None (also when that scope's mode is None)."""
    stack = getattr(_LOCAL, "stack", None)
    if not stack or stack[-1].mode is None:
        return None
    return stack[-1]
