"""`Operation`: the base class of a computation that runs on tensors and, on KerasTensors, returns KerasTensors and
records a node of the functional graph (what `keras.Operation` is; kerasx's own ops are plain `@op` functions).

A subclass implements `call`; `compute_output_spec` defaults to running `call` on the KerasTensors (kerasx ops
accept them) or, when `call` uses the engine's own ops, on engine placeholders. Like Keras 3, an operation
remembers the constructor arguments that are plain values (numbers, strings, None and lists/dicts of them), so
`get_config` / `from_config` work without being written.
"""

from __future__ import annotations

import abc
import inspect

from kerasx.backend import StatelessScope, _session, _tree, active
from kerasx.backend._keras_tensor import KerasTensor
from kerasx.backend._symbolic_scope import SymbolicScope
from kerasx.ops._keras_tensor import any_symbolic
from kerasx.ops._node import Node

NO_CALL = (
    "{cls} is an Operation without a `call` method. Subclasses of `kerasx.Operation` implement "
    "`call(self, *args, **kwargs)` with the computation."
)
NO_AUTO_CONFIG = (
    "{cls} cannot describe itself with `get_config()`: its constructor received {why}, which only `{cls}` knows how "
    "to store. Implement `get_config()` returning the constructor arguments (and `from_config` if they need "
    "rebuilding)."
)
BAD_CONFIG = "Cannot rebuild {cls} from config={config}: {cls}(**config) raised {error!r}."
NOT_CALLED = "Operation '{name}' has not been called on symbolic inputs yet, so it has no {what}."
_PLAIN_TYPES = (str, int, float, bool, type(None))


def _auto_config(cls, args, kwargs):
    """(the plain-valued constructor arguments, None) or (None, why they cannot be kept)."""
    signature = inspect.signature(cls.__init__)
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError:
        return None, "arguments that do not match its signature"
    bound.apply_defaults()
    config = {}
    for index, (name, value) in enumerate(bound.arguments.items()):
        kind = signature.parameters[name].kind
        if index == 0 or name == "name":
            continue
        if kind is inspect.Parameter.VAR_POSITIONAL:
            if value:
                return None, "positional arguments through *args"
            continue
        if kind is inspect.Parameter.POSITIONAL_ONLY:
            return None, "positional-only arguments"
        if kind is inspect.Parameter.VAR_KEYWORD:
            config.update(value)
            continue
        config[name] = value
    try:
        leaves = _tree.flatten(config)
    except TypeError:
        leaves = [object()]
    if not all(isinstance(leaf, _PLAIN_TYPES) for leaf in leaves):
        return None, "values that are not plain numbers, strings or None"
    return config, None


class Operation(metaclass=abc.ABCMeta):
    """Base class of a computation usable eagerly on tensors and symbolically on KerasTensors.

    Subclasses implement `call`. Called on a KerasTensor, the operation returns `compute_output_spec(...)` and
    records a graph node, so it can take part in a `kerasx.Function` or a functional model; called on data, it runs
    `call`. Layers count as operations (`isinstance(layer, kerasx.Operation)` is True), as in Keras 3.

    Args:
        name: the operation's name; default the snake-case class name, numbered (`scale`, `scale_1`, ...).

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> class Scale(kerasx.Operation):
    ...     def __init__(self, factor=2.0, name=None):
    ...         super().__init__(name=name)
    ...         self.factor = factor
    ...     def call(self, x):
    ...         return kerasx.ops.multiply(x, self.factor)
    >>> scale = Scale(3.0, name="scale")
    >>> kerasx.ops.convert_to_numpy(scale(np.ones(2, "float32"))).tolist()
    [3.0, 3.0]
    >>> scale(kerasx.KerasTensor((None, 2))).shape
    (None, 2)
    >>> scale.get_config()
    {'name': 'scale', 'factor': 3.0}
    """

    # Set by `__new__`: the constructor arguments as a config, or None and the reason they cannot be one.
    _auto_config: dict | None
    _auto_config_error: str | None

    def __new__(cls, *args, **kwargs):
        operation = super().__new__(cls)
        operation._auto_config, operation._auto_config_error = _auto_config(cls, args, kwargs)
        return operation

    def __init__(self, name: str | None = None):
        self.name = name or _session.unique_name(_session.to_snake_case(type(self).__name__))
        self._inbound_nodes = []

    def __call__(self, *args, **kwargs):
        if any_symbolic(args, kwargs):
            return self.symbolic_call(*args, **kwargs)
        return self.call(*args, **kwargs)

    def symbolic_call(self, *args, **kwargs):
        """The outputs' KerasTensors, with a node recording this call in the graph."""
        outputs = self.compute_output_spec(*args, **kwargs)
        self._inbound_nodes.append(Node(self, args, kwargs, outputs))
        return outputs

    def call(self, *args, **kwargs):
        raise TypeError(NO_CALL.format(cls=type(self).__name__))

    def compute_output_spec(self, *args, **kwargs):
        """KerasTensors of the outputs of `call` on these inputs: `call` run on the KerasTensors, or on the engine's
        placeholders when it computes with the engine's own ops (which refuse KerasTensors)."""
        try:
            return self.call(*args, **kwargs)
        except (TypeError, AttributeError):
            return self._placeholder_outputs(args, kwargs)

    def _placeholder_outputs(self, args, kwargs):
        flat = _tree.flatten((args, kwargs))
        positions = [i for i, x in enumerate(flat) if isinstance(x, KerasTensor)]
        structure = []

        def run(*tensors):
            leaves = list(flat)
            for position, tensor in zip(positions, tensors):
                leaves[position] = tensor
            call_args, call_kwargs = _tree.pack_sequence_as((args, kwargs), leaves)
            outputs = self.call(*call_args, **call_kwargs)
            structure[:] = [outputs]
            return _tree.flatten(outputs)

        with StatelessScope(), SymbolicScope():
            specs = active.core.output_specs(run, [(flat[i].shape, flat[i].dtype) for i in positions])
        leaves = _tree.flatten(structure[0])
        symbolic = [leaf if spec is None else KerasTensor(spec[0], spec[1]) for leaf, spec in zip(leaves, specs)]
        return _tree.pack_sequence_as(structure[0], symbolic)

    def get_config(self) -> dict:
        """`{"name": ...}` plus the constructor arguments, when they are plain values."""
        config = {"name": self.name}
        if self._auto_config is None:
            raise TypeError(NO_AUTO_CONFIG.format(cls=type(self).__name__, why=self._auto_config_error))
        config.update(self._auto_config)
        return config

    @classmethod
    def from_config(cls, config: dict):
        """`cls(**config)`: the operation `get_config` describes."""
        try:
            return cls(**config)
        except Exception as error:  # re-raised as one TypeError naming the class and config
            raise TypeError(BAD_CONFIG.format(cls=cls.__name__, config=config, error=error)) from error

    def _node_attribute(self, attribute: str):
        if not self._inbound_nodes:
            raise AttributeError(NOT_CALLED.format(name=self.name, what=attribute))
        tensors = getattr(self._inbound_nodes[0], f"{attribute}_tensors")
        return tensors[0] if len(tensors) == 1 else list(tensors)

    @property
    def input(self):
        """The input KerasTensor(s) of the first symbolic call."""
        return self._node_attribute("input")

    @property
    def output(self):
        """The output KerasTensor(s) of the first symbolic call."""
        return self._node_attribute("output")

    def __repr__(self):
        return f"<Operation name={self.name}>"
