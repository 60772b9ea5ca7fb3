"""Several optimizers for one model: each variable goes to the optimizer its path selects."""

from __future__ import annotations

import re
from collections.abc import MutableMapping

from kerasx.optimizers._loss_scale_optimizer import LossScaleOptimizer
from kerasx.optimizers._optimizer import Optimizer
from kerasx.serialization import _registry

NOT_AN_OPTIMIZER = (
    "{owner}: {what} must be a kerasx Optimizer instance. Received: {value!r}. Pass e.g. `kerasx.optimizers.Adam()`."
)
NOT_A_DICT = "OptimizerMap: `optimizer_map` must be a dict of pattern -> optimizer. Received: optimizer_map={value!r}."
NOT_A_KEY = "OptimizerMap: keys must be strings (a variable path or a regular expression). Received: key={key!r}."
DUPLICATE_KEY = (
    "OptimizerMap: '{key}' is already mapped to {current!r}. Each key can be set once; delete it first "
    "(`del optimizer_map['{key}']`) to map it again."
)
NOT_NESTABLE = (
    "{owner}: a {kind} cannot be used inside a MultiOptimizer. Received: {value!r}. Wrap the whole MultiOptimizer "
    "instead, or give the inner optimizers `loss_scale_factor`."
)
AMBIGUOUS = (
    "OptimizerMap: variable path '{key}' matches several patterns: {patterns}. Make the patterns exclusive, or add "
    "the exact path as a key (an exact key wins over the patterns)."
)
NO_LEARNING_RATE = (
    "A MultiOptimizer has no single learning rate: each inner optimizer has its own. Read or set it on them, e.g. "
    "`for optimizer in multi_optimizer.optimizers: optimizer.learning_rate = 0.01`."
)


def _check_inner(owner: str, optimizer, what: str):
    if not isinstance(optimizer, Optimizer):
        raise ValueError(NOT_AN_OPTIMIZER.format(owner=owner, what=what, value=optimizer))
    for kind in (LossScaleOptimizer, MultiOptimizer):
        if isinstance(optimizer, kind):
            raise ValueError(NOT_NESTABLE.format(owner=owner, kind=kind.__name__, value=optimizer))


class OptimizerMap(MutableMapping):
    """Maps variable paths to optimizers: `map[path]` is the optimizer of the exact key `path`, else of the one
    key that matches `path` as a regular expression (`re.fullmatch`), else `default_optimizer`.

    Args:
        default_optimizer: the optimizer of the variables no key matches.
        optimizer_map: optional dict of path or pattern -> optimizer.

    Example:

    >>> import kerasx
    >>> adam, sgd = kerasx.optimizers.Adam(name="adam"), kerasx.optimizers.SGD(name="sgd")
    >>> optimizer_map = kerasx.optimizers.OptimizerMap(sgd, {"encoder/.*": adam})
    >>> optimizer_map["encoder/dense/kernel"].name, optimizer_map["head/kernel"].name
    ('adam', 'sgd')
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(NOT_AN_OPTIMIZER.format(owner="OptimizerMap", what="`default_optimizer`",
                                                    value=default_optimizer))
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(NOT_A_DICT.format(value=optimizer_map))
        self._default_optimizer = default_optimizer
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(AMBIGUOUS.format(key=key, patterns=matches))
        return self._optimizer_map[matches[0]] if matches else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if not isinstance(key, str):
            raise ValueError(NOT_A_KEY.format(key=key))
        if key in self._optimizer_map:
            raise ValueError(DUPLICATE_KEY.format(key=key, current=self._optimizer_map[key]))
        _check_inner("OptimizerMap", optimizer, f"the optimizer for '{key}'")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        """The optimizer of `variable` (looked up by its path)."""
        return self[variable.path]

    def get_config(self) -> dict:
        return {
            "default_optimizer": _registry.serialize_keras_object(self._default_optimizer),
            "optimizer_map": {key: _registry.serialize_keras_object(o) for key, o in self._optimizer_map.items()},
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        default = _registry.deserialize_keras_object(config["default_optimizer"], custom_objects, kind="optimizer")
        mapping = {
            key: _registry.deserialize_keras_object(value, custom_objects, kind="optimizer")
            for key, value in (config.get("optimizer_map") or {}).items()
        }
        return cls(default, mapping)


class MultiOptimizer(Optimizer):
    """Trains each variable with the optimizer that `optimizer_map` gives it: an `OptimizerMap` (by path) or any
    callable `variable -> optimizer`.

    Each inner optimizer is built on its own variables and updates them in `apply`; the wrapper counts its own
    `iterations`. `variables` holds the wrapper's iteration count and (unused) learning rate, then each inner
    optimizer's variables in the order the optimizers were first used. There is no single `learning_rate`: read
    and set it on the inner optimizers (`optimizers`). `loss_scale_factor` is set on every inner optimizer.

    Args:
        optimizer_map: an `OptimizerMap`, or a callable taking a variable and returning its optimizer.
        loss_scale_factor: see `Optimizer`; it replaces the inner optimizers' own.
        name: see `Optimizer` (default "multi_optimizer", numbered when taken).

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> encoder = kerasx.Variable(np.ones(2, "float32"), name="encoder_w")
    >>> head = kerasx.Variable(np.ones(2, "float32"), name="head_w")
    >>> optimizer = kerasx.optimizers.MultiOptimizer(
    ...     kerasx.optimizers.OptimizerMap(kerasx.optimizers.SGD(0.5), {"encoder.*": kerasx.optimizers.SGD(0.1)})
    ... )
    >>> optimizer.apply([np.ones(2, "float32"), np.ones(2, "float32")], [encoder, head])
    >>> print(kerasx.ops.convert_to_numpy(encoder), kerasx.ops.convert_to_numpy(head))
    [0.9 0.9] [0.5 0.5]
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        self._inner_optimizers = []
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        if not callable(optimizer_map):
            raise TypeError(NOT_AN_OPTIMIZER.format(owner="MultiOptimizer", what="`optimizer_map` (an "
                                                    "OptimizerMap or a callable)", value=optimizer_map))
        self._optimizer_map = optimizer_map
        known = list(optimizer_map.values()) if isinstance(optimizer_map, OptimizerMap) else []
        default = getattr(optimizer_map, "default_optimizer", None)
        for optimizer in known + ([default] if default is not None else []):
            self._adopt(optimizer)
        self._optimizer_of = {}

    def _adopt(self, optimizer) -> int:
        for i, known in enumerate(self._inner_optimizers):
            if known is optimizer:
                return i
        optimizer.loss_scale_factor = self.loss_scale_factor
        self._inner_optimizers.append(optimizer)
        return len(self._inner_optimizers) - 1

    @property
    def optimizers(self) -> list:
        """The inner optimizers."""
        return list(self._inner_optimizers)

    @property
    def loss_scale_factor(self):
        return self._loss_scale_factor

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for optimizer in self._inner_optimizers:
            optimizer.loss_scale_factor = value

    @property
    def learning_rate(self):
        raise AttributeError(NO_LEARNING_RATE)

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(NO_LEARNING_RATE)

    @property
    def variables(self) -> list:
        variables = list(self._variables)
        for optimizer in self._inner_optimizers:
            variables.extend(optimizer.variables)
        return variables

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        groups = {}
        for variable in var_list:
            optimizer = self._optimizer_map(variable)
            _check_inner("MultiOptimizer", optimizer, f"the optimizer for variable '{variable.path}'")
            index = self._adopt(optimizer)
            self._optimizer_of[id(variable)] = index
            groups.setdefault(index, []).append(variable)
        for index, optimizer in enumerate(self._inner_optimizers):
            if index in groups:
                optimizer.build(groups[index])
        super().build(var_list)

    def apply(self, grads, trainable_variables=None):
        """Hands each gradient to its variable's optimizer (one `apply` per inner optimizer), then counts the
        iteration."""
        grads = list(grads)
        if not grads:
            return
        variables = self._checked_variables(grads, trainable_variables)
        groups = {}
        for gradient, variable in zip(grads, variables):
            groups.setdefault(self._optimizer_of[id(variable)], []).append((gradient, variable))
        for index, optimizer in enumerate(self._inner_optimizers):
            pairs = groups.get(index)
            if pairs:
                optimizer.apply([g for g, _ in pairs], [v for _, v in pairs])
        self._iterations.assign_add(1)

    def update_step(self, gradient, variable, learning_rate):
        """The update of `variable`'s own optimizer (`apply` calls the inner optimizers' `apply` directly)."""
        self._inner_optimizers[self._optimizer_of[id(variable)]].update_step(gradient, variable, learning_rate)

    def finalize_variable_values(self, var_list):
        groups = {}
        for variable in var_list:
            index = self._optimizer_of.get(id(variable))
            if index is not None:  # a variable no inner optimizer trains has no moving average
                groups.setdefault(index, []).append(variable)
        for index, variables in groups.items():
            self._inner_optimizers[index].finalize_variable_values(variables)

    def _saved_children(self) -> list:
        return [("optimizers", self.optimizers)]

    def get_config(self) -> dict:
        return {
            "optimizer_map": _registry.serialize_keras_object(self._optimizer_map),
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        mapping = config["optimizer_map"]
        if isinstance(mapping, dict) and mapping.get("class_name") == "function":
            mapping = mapping["config"]  # Keras's form of a function: {"class_name": "function", "config": name}
        config["optimizer_map"] = _registry.deserialize_keras_object(mapping, custom_objects, kind="optimizer map")
        return cls(**config)
