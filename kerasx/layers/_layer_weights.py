"""The state half of `Layer`: tracked attributes, weights, freezing, and weight values.

Kept apart from the calling machinery in `_layer.py`. Sublayers and Variables are found through the attributes a
layer tracks (see `_tracking`); every query walks them afresh, so containers mutated after assignment count.
"""

from __future__ import annotations

import numpy as np

from kerasx import constraints, initializers, regularizers
from kerasx.backend import _name_scope, active, is_float, standardize_dtype
from kerasx.backend._variable import Variable
from kerasx.layers import _tracking

UNKNOWN_WEIGHT_SHAPE = (
    "Cannot create weight '{weight}' of layer '{name}': every dimension must be known. Received: shape={shape}. "
    "Build the layer from an input shape whose relevant dimensions are known."
)

NOT_BUILT_COUNT = (
    "You tried to call `count_params` on layer '{name}', but the layer isn't built. "
    "Build it first, e.g. `{name}.build(input_shape)` or by calling it on data."
)

WRONG_WEIGHT_COUNT = (
    "Layer '{name}' has {expected} weight(s) ({paths}), but `set_weights` received {received} array(s). "
    "Pass one array per weight, in the order of `layer.weights`."
)

WRONG_WEIGHT_SHAPE = (
    "Layer '{name}': weight '{path}' has shape {expected}, but `set_weights` received an array of shape "
    "{received} for it. Pass arrays with the shapes of `[w.shape for w in layer.weights]`."
)


class LayerWeightsMixin:
    """Weights of a layer and its sublayers. Expects `name`, `built`, `_trainable`, `_own_weights`, `_tracked_names`
    and `variable_dtype` from the layer."""

    name: str
    built: bool
    _trainable: bool
    _own_weights: list
    _tracked_names: dict
    variable_dtype: str

    # Attribute tracking -------------------------------------------------------------------------------------------
    def __setattr__(self, name, value):
        tracked = self.__dict__.get("_tracked_names")
        if tracked is not None:
            if _tracking.is_trackable(value, LayerWeightsMixin):
                tracked.setdefault(name, None)
            else:
                tracked.pop(name, None)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        self.__dict__.get("_tracked_names", {}).pop(name, None)
        object.__delattr__(self, name)

    def _children(self):
        """(own variables, state variables of helpers, direct sublayers), each in attribute order."""
        variables = list(self._own_weights)
        seen = {id(v) for v in variables}
        states, layers = [], []
        values = [self.__dict__[n] for n in self._tracked_names if n in self.__dict__]
        for value in _tracking.walk(values, LayerWeightsMixin):
            if isinstance(value, LayerWeightsMixin):
                if value is not self and all(value is not layer for layer in layers):
                    layers.append(value)
            elif isinstance(value, Variable):
                if id(value) not in seen:
                    seen.add(id(value))
                    variables.append(value)
            else:
                states.append(_tracking.state_variable(value))
        return variables, states, layers

    def _flatten_layers(self, include_self=True, recursive=True) -> list:
        """Unique layers reachable from this one, depth first, in attribute order."""
        result = [self] if include_self else []
        seen = {id(self)}
        stack = list(reversed(self._children()[2]))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            result.append(layer)
            if recursive:
                stack.extend(reversed(layer._children()[2]))
        return result

    def _gather_variables(self):
        """[(variable, counts_as_trainable)] per layer (own trainable, own non-trainable, then sublayers), states."""
        ordered, states = [], []
        seen_variables, seen_layers = set(), set()

        def visit(layer, frozen):
            seen_layers.add(id(layer))
            frozen = frozen or not layer._trainable
            own, own_states, sublayers = layer._children()
            # Keras 3 lists a weight where it was created: one made trainable and frozen later (a LoRA base kernel)
            # stays among the trainable ones in `weights`, though `trainable_weights` leaves it out.
            listed = [getattr(v, "_created_trainable", v.trainable) for v in own]
            for group in ([v for v, t in zip(own, listed) if t], [v for v, t in zip(own, listed) if not t]):
                for variable in group:
                    if id(variable) not in seen_variables:
                        seen_variables.add(id(variable))
                        ordered.append((variable, variable.trainable and not frozen))
            for state in own_states:
                if id(state) not in seen_variables:
                    seen_variables.add(id(state))
                    states.append(state)
            for sublayer in sublayers:
                if id(sublayer) not in seen_layers:
                    visit(sublayer, frozen)

        visit(self, False)
        return ordered, states

    @property
    def weights(self) -> list:
        """All weight variables of the layer and its sublayers, each once."""
        return [v for v, _ in self._gather_variables()[0]]

    @property
    def trainable_weights(self) -> list:
        return [v for v, trainable in self._gather_variables()[0] if trainable]

    @property
    def non_trainable_weights(self) -> list:
        return [v for v, trainable in self._gather_variables()[0] if not trainable]

    @property
    def variables(self) -> list:
        """Weights plus other state (e.g. random seed states), each once."""
        ordered, states = self._gather_variables()
        return [v for v, _ in ordered] + states

    @property
    def trainable_variables(self) -> list:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list:
        ordered, states = self._gather_variables()
        return [v for v, trainable in ordered if not trainable] + states

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        for layer in self._flatten_layers():
            object.__setattr__(layer, "_trainable", bool(value))

    # Weights ------------------------------------------------------------------------------------------------------
    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        overwrite_with_gradient=False,
        name=None,
    ):
        """Creates a Variable owned by this layer, with `path` "<layer name>/<name>" (under the layers it was
        built in: "sequential/dense/kernel").

        Args:
            shape: tuple of ints (default: scalar).
            initializer: initializer name, object or callable `(shape, dtype)`; default "glorot_uniform" for float
                dtypes and "zeros" otherwise.
            dtype: default the layer's variable dtype.
            trainable: whether optimizers train it.
            autocast: whether, inside a mixed-precision layer's `call`, the float variable reads in the compute
                dtype (False: always in its own dtype).
            regularizer: regularizer whose penalty on this weight is added to `losses`.
            constraint: projection an optimizer applies after each update.
            aggregation: how replicas' values combine in a distributed run ("none", "mean", "sum",
                "only_first_replica").
            overwrite_with_gradient: optimizers replace the variable's value by its "gradient" instead of
                updating it (state such as float8 scaling histories that a layer computes in its backward pass).
            name: the variable's name.
        """
        dtype = self.variable_dtype if dtype is None else standardize_dtype(dtype)
        shape = () if shape is None else tuple(shape)
        if name is None:
            name = "variable" if not self._own_weights else f"variable_{len(self._own_weights)}"
        if any(d is None for d in shape):
            raise ValueError(UNKNOWN_WEIGHT_SHAPE.format(weight=name, name=self.name, shape=shape))
        shape = tuple(int(d) for d in shape)
        if initializer is None:
            initializer = "glorot_uniform" if is_float(dtype) else "zeros"
        # Under the layer's name scope, its path is "<enclosing layers>/<layer name>/<name>" (Keras 3).
        with _name_scope.name_scope(self.name, caller=self):
            variable = active.core.Variable(
                initializers.get(initializer), shape=shape, dtype=dtype, trainable=trainable, name=name,
                autocast=autocast, aggregation=aggregation,
            )
        variable.overwrite_with_gradient = bool(overwrite_with_gradient)
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        variable._created_trainable = bool(trainable)
        self._own_weights.append(variable)
        return variable

    def get_weights(self) -> list:
        """NumPy copies of `weights`."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights) -> None:
        """Assigns arrays to `weights`, in order; all shapes are checked before anything is assigned."""
        variables = self.weights
        weights = list(weights)
        if len(weights) != len(variables):
            raise ValueError(
                WRONG_WEIGHT_COUNT.format(
                    name=self.name,
                    expected=len(variables),
                    paths=", ".join(v.path for v in variables) or "none",
                    received=len(weights),
                )
            )
        arrays = [np.asarray(w) for w in weights]
        for variable, array in zip(variables, arrays):
            if tuple(array.shape) != tuple(variable.shape):
                raise ValueError(
                    WRONG_WEIGHT_SHAPE.format(
                        name=self.name, path=variable.path, expected=tuple(variable.shape), received=array.shape
                    )
                )
        for variable, array in zip(variables, arrays):
            variable.assign(array)

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(NOT_BUILT_COUNT.format(name=self.name))
        return sum(int(np.prod(v.shape)) for v in self.weights)
