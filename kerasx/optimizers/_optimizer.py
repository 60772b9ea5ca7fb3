"""The optimizer base: state in kerasx Variables, the update written once with kerasx ops.

All state (iteration count, learning rate, slots such as Adam's moments) lives in Variables and every update goes
through `Variable.assign`, so one `apply` serves every engine: eagerly it assigns in place; inside a
`StatelessScope` (a JAX-jitted step, or `stateless_apply`) it records new values instead.
"""

from __future__ import annotations

import abc
import math
import re
import warnings
from typing import Any, overload

import numpy as np

from kerasx import backend, initializers, ops
from kerasx.backend import active
from kerasx.backend._session import unique_name
from kerasx.optimizers import _averaging, _checks, _clipping, _errors
from kerasx.optimizers import schedules as _schedules


def to_snake_case(name: str) -> str:
    """A class name as Keras 3 turns it into a default name: "RMSprop" -> "rm_sprop", "AdamW" -> "adam_w"."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


class Optimizer(abc.ABC):
    """Base class of the optimizers: state handling, clipping, weight decay and the `apply` loop.

    A subclass creates its slot variables in `build(var_list)` and defines `update_step(gradient, variable,
    learning_rate)`, which assigns the new values of `variable` and of its slots with kerasx ops.

    Args:
        learning_rate: a float, a `kerasx.optimizers.schedules.LearningRateSchedule` (evaluated at the number of
            `apply` calls so far), or a callable with no arguments returning the rate.
        weight_decay: if set, decoupled weight decay: each update first multiplies every variable not excluded
            with `exclude_from_weight_decay` by `1 - learning_rate * weight_decay`.
        clipnorm: if set, each gradient is rescaled so that its L2 norm is at most this value.
        clipvalue: if set, each gradient is clipped elementwise to `[-clipvalue, clipvalue]`.
        global_clipnorm: if set, all gradients are rescaled together so that their joint L2 norm is at most this.
        use_ema: keep an exponential moving average of each trainable variable ("<var>_average" slots);
            `finalize_variable_values` copies the averages into the variables (`fit` does it when training ends).
        ema_momentum: `average = ema_momentum * average + (1 - ema_momentum) * variable` after each step (the
            first update copies the variable).
        ema_overwrite_frequency: if set (with `use_ema`), every this many updates the variables are overwritten
            by their averages.
        loss_scale_factor: if set, `scale_loss(loss)` multiplies the loss by it and `apply` divides the gradients
            by it (static loss scaling for float16 training).
        gradient_accumulation_steps: if set (>= 2), gradients are summed over this many `apply` calls and the
            variables are updated with their mean on every last call of a group. `iterations` then counts updates
            (calls // steps), which the moving averages follow; learning-rate schedules see the number of calls.
        name: prefix of the paths of the optimizer's variables ("adam/iteration", "adam/dense_kernel_momentum");
            default the snake-case class name, numbered when taken ("adam", "adam_1", ...).

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> class HalfStep(kerasx.optimizers.Optimizer):
    ...     def update_step(self, gradient, variable, learning_rate):
    ...         self.assign_sub(variable, kerasx.ops.multiply(gradient, learning_rate * 0.5))
    >>> w = kerasx.Variable(np.ones(2, "float32"))
    >>> optimizer = HalfStep(learning_rate=1.0)
    >>> optimizer.apply([np.ones(2, "float32")], [w])
    >>> w.numpy().tolist(), int(optimizer.iterations)
    ([0.5, 0.5], 1)
    """

    # The ids of the trained variables marked `overwrite_with_gradient` (set by `build`).
    _overwritten_ids: frozenset = frozenset()

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        owner = type(self).__name__
        _checks.reject_unknown(owner, kwargs)
        self.name = unique_name(to_snake_case(owner)) if name is None else str(name)
        if weight_decay is not None:
            weight_decay = _checks.in_range(owner, "weight_decay", weight_decay, low=0.0)
        self.weight_decay = weight_decay
        clips = (clipnorm, clipvalue, global_clipnorm)
        if sum(c is not None for c in clips) > 1:
            raise ValueError(
                _errors.ONE_CLIP_ONLY.format(clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm)
            )
        self.clipnorm = _checks.optional_positive(owner, "clipnorm", clipnorm)
        self.clipvalue = _checks.optional_positive(owner, "clipvalue", clipvalue)
        self.global_clipnorm = _checks.optional_positive(owner, "global_clipnorm", global_clipnorm)
        self.use_ema = bool(use_ema)
        self.ema_momentum = _checks.in_range(owner, "ema_momentum", ema_momentum, 0.0, 1.0)
        self.ema_overwrite_frequency = _checks.optional_count(
            owner, "ema_overwrite_frequency", ema_overwrite_frequency, 1
        )
        self.loss_scale_factor = _checks.optional_positive(owner, "loss_scale_factor", loss_scale_factor)
        self.gradient_accumulation_steps = _checks.optional_count(
            owner, "gradient_accumulation_steps", gradient_accumulation_steps, 2
        )
        self._averages = []
        self._accumulated_gradients = []
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._variable_index = {}
        self._excluded_ids = frozenset()
        self._excluded_patterns = ()
        self._decays = {}
        self._step_cache = {}
        counter_dtype = active.trainer.iterations_dtype()
        self._iterations = self._tracked_variable(np.asarray(0, counter_dtype), "iteration", counter_dtype)
        self._learning_rate = self._make_learning_rate(learning_rate)

    # State -------------------------------------------------------------------------------------------------------
    def _tracked_variable(self, initializer, name, dtype, shape=None):
        variable = backend.Variable(initializer, shape=shape, dtype=dtype, trainable=False, name=name)
        variable.path = f"{self.name}/{name}"
        self._variables.append(variable)
        return variable

    def _make_learning_rate(self, learning_rate):
        if isinstance(learning_rate, _schedules.LearningRateSchedule):
            return learning_rate
        if callable(learning_rate) and not backend.is_variable(learning_rate):
            return learning_rate
        value = self._learning_rate_value(learning_rate)
        # float32 whatever floatx is: the rate is cast to each variable's dtype when used.
        return self._tracked_variable(np.asarray(value, np.float32), "learning_rate", "float32")

    def _learning_rate_value(self, learning_rate) -> float:
        if isinstance(learning_rate, (bool, str)):
            raise ValueError(_errors.BAD_LEARNING_RATE.format(name=self.name, value=learning_rate))
        try:
            value = float(np.asarray(ops.convert_to_numpy(learning_rate)).reshape(()))
        except (TypeError, ValueError) as error:
            raise ValueError(_errors.BAD_LEARNING_RATE.format(name=self.name, value=learning_rate)) from error
        if not value >= 0:
            raise ValueError(_errors.BAD_LEARNING_RATE.format(name=self.name, value=learning_rate))
        return value

    @property
    def variables(self) -> list:
        """All optimizer state in a stable order: iteration count, learning rate (unless a schedule), then slots."""
        return list(self._variables)

    @property
    def iterations(self):
        """The number of updates so far: the Variable counting `apply` calls (int64 on TensorFlow, int32
        elsewhere, as in Keras), or with gradient accumulation that count floor-divided by
        `gradient_accumulation_steps` (a tensor)."""
        if self.gradient_accumulation_steps:
            return ops.floor_divide(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    @property
    def learning_rate(self):
        """The current rate as a float32 tensor (`float(optimizer.learning_rate)` works eagerly)."""
        return self._current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, _schedules.LearningRateSchedule) or (callable(value) and not backend.is_variable(value)):
            self._learning_rate = value
            return
        if not backend.is_variable(self._learning_rate):
            raise TypeError(_errors.LR_NOT_SETTABLE.format(name=self.name, current=self._learning_rate, value=value))
        self._learning_rate.assign(np.asarray(self._learning_rate_value(value), np.float32))

    def _current_learning_rate(self):
        rate = self._learning_rate
        if backend.is_variable(rate):
            return rate.value
        if isinstance(rate, _schedules.LearningRateSchedule):
            return rate(self._iterations.value)
        return ops.convert_to_tensor(rate(), "float32")

    def add_variable(
        self, shape, initializer: Any = "zeros", dtype=None, aggregation="none", layout=None, name=None
    ):
        """Creates a non-trainable state Variable with path "<optimizer name>/<name>" tracked in `variables`.

        `initializer` is "zeros", "ones", a number, an initializer name or object, or a callable `(shape, dtype)`;
        `dtype` defaults to floatx. `aggregation` and `layout` are accepted for Keras compatibility (kerasx keeps
        optimizer state whole on each device).
        """
        # An unnamed variable gets Keras's automatic name ("variable", "variable_1", ... since clear_session).
        name = name or unique_name("variable")
        dtype = backend.standardize_dtype(dtype)
        shape = tuple(int(d) for d in shape)
        if isinstance(initializer, str) and initializer not in ("zeros", "ones"):
            try:
                initializer = initializers.get(initializer)
            except ValueError as error:
                raise ValueError(
                    _errors.BAD_INITIALIZER.format(name=self.name, variable=name, initializer=initializer)
                ) from error
        if callable(initializer):
            return self._tracked_variable(initializer, name, dtype, shape=shape)
        fill = {"zeros": 0.0, "ones": 1.0}.get(initializer, initializer)
        if isinstance(fill, bool) or not isinstance(fill, (int, float)):
            raise ValueError(_errors.BAD_INITIALIZER.format(name=self.name, variable=name, initializer=initializer))
        return self._tracked_variable(np.full(shape, fill, np.float64), name, dtype)

    def add_variable_from_reference(self, reference_variable, name=None, initializer: Any = "zeros"):
        """A state Variable shaped like `reference_variable`, named "<reference path with _>_<name>"."""
        slot_name = f"{reference_variable.path.replace('/', '_')}_{name or 'var'}"
        return self.add_variable(reference_variable.shape, initializer, reference_variable.dtype, name=slot_name)

    @overload
    def add_optimizer_variables(self, trainable_variables, name: str, initializer: Any = "zeros") -> list: ...
    @overload
    def add_optimizer_variables(
        self, trainable_variables, name: list[str] | tuple[str, ...], initializer: Any = "zeros"
    ) -> tuple[list, ...]: ...
    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per trainable variable for each name: a list for a str `name`, a tuple of lists for a list.

        Slots are created variable by variable (all of a variable's slots, then the next variable's).
        `initializer` is one for all names or, with a list of names, a list of the same length.
        """
        names = [name] if isinstance(name, str) else list(name)
        if isinstance(initializer, (list, tuple)):
            inits = list(initializer)
            if len(inits) != len(names):
                raise ValueError(_errors.INITIALIZER_COUNT.format(name=self.name, names=names, initializer=inits))
        else:
            inits = [initializer] * len(names)
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            for column, slot_name, init in zip(slots, names, inits):
                column.append(self.add_variable_from_reference(variable, slot_name, init))
        return slots[0] if isinstance(name, str) else slots

    def build(self, var_list):
        """Records the trainable variables and creates the moving averages and gradient accumulators if used;
        subclasses then create their slots (and return early once built)."""
        self._trainable_variables = list(var_list)
        self._variable_index = {id(v): i for i, v in enumerate(self._trainable_variables)}
        # Found once here, not at every step: `apply` skips the overwrite pass when none is marked.
        self._overwritten_ids = frozenset(id(v) for v in var_list if v.overwrite_with_gradient)
        if self.use_ema:
            self._averages = self.add_optimizer_variables(var_list, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(var_list, "gradient_accumulator")
        self.built = True

    def _index(self, variable) -> int:
        return self._variable_index[id(variable)]

    # Keras 3 spelling, which optimizers written for Keras call in their `update_step`.
    _get_variable_index = _index

    def assign(self, variable, value):
        """`variable.assign(value)`; for optimizers written for Keras 3, whose `update_step` calls it."""
        variable.assign(value)

    def assign_add(self, variable, value):
        """`variable.assign_add(value)` (see `assign`)."""
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        """`variable.assign_sub(value)` (see `assign`)."""
        variable.assign_sub(value)

    # Weight decay ------------------------------------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables from weight decay: those in `var_list`, and those whose name matches (re.search) a
        pattern in `var_names`. Must be called before the optimizer is built."""
        if self.built:
            raise ValueError(_errors.EXCLUDE_AFTER_BUILD.format(name=self.name))
        self._excluded_ids = frozenset(id(v) for v in var_list or ())
        self._excluded_patterns = tuple(var_names or ())
        self._decays = {}

    def _use_weight_decay(self, variable) -> bool:
        decision = self._decays.get(id(variable))
        if decision is None:
            decision = id(variable) not in self._excluded_ids and not any(
                re.search(pattern, variable.name) for pattern in self._excluded_patterns
            )
            self._decays[id(variable)] = decision
        return decision

    def _apply_weight_decay(self, variables, learning_rates):
        """`variable -= variable * learning_rate * weight_decay` for each variable not excluded."""
        if not self.weight_decay:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                factor = ops.multiply(learning_rates[variable.dtype], self.weight_decay)
                variable.assign(ops.subtract(variable, ops.multiply(variable, factor)))

    # Applying gradients ------------------------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """`apply` for a list of `(gradient, variable)` pairs; returns `iterations`."""
        grads_and_vars = list(grads_and_vars)
        self.apply([g for g, _ in grads_and_vars], [v for _, v in grads_and_vars])
        return self._iterations

    def scale_loss(self, loss):
        """`loss * loss_scale_factor` when a factor is set (`apply` divides the gradients by it), else `loss`."""
        return loss if self.loss_scale_factor is None else ops.multiply(loss, self.loss_scale_factor)

    def _checked_variables(self, grads, trainable_variables):
        """The variables `grads` are for (building the optimizer on the first call), checked against them."""
        if trainable_variables is None:
            if not self.built:
                raise ValueError(_errors.NOT_BUILT.format(name=self.name))
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
            if not self.built:
                self.build(variables)
            else:
                for variable in variables:
                    if id(variable) not in self._variable_index:
                        raise ValueError(_errors.UNKNOWN_VARIABLE.format(name=self.name, path=variable.path))
        if len(grads) != len(variables):
            raise ValueError(
                _errors.LENGTH_MISMATCH.format(
                    name=self.name, received=len(grads), what="gradients", expected=len(variables),
                    reason="one per trainable variable",
                )
            )
        return variables

    def apply(self, grads, trainable_variables=None):
        """One optimization step: clip, decay, update each variable, constrain, then count the iteration.

        Args:
            grads: one gradient (tensor or array) per variable; None entries leave their variable unchanged.
            trainable_variables: the variables; default the ones the optimizer was built with. The optimizer is
                built on the first call if needed.
        """
        grads = list(grads)
        if not grads:
            return
        variables = self._checked_variables(grads, trainable_variables)
        grads, variables = self._filter_empty_gradients(grads, variables)
        grads = [ops.convert_to_tensor(g, v.dtype) for g, v in zip(grads, variables)]
        grads, variables = self._overwrite_with_gradients(grads, variables)
        if not grads:
            self._iterations.assign(ops.add(self._iterations, 1))
            return
        if self.loss_scale_factor is not None:
            grads = [ops.divide(g, self.loss_scale_factor) for g in grads]
        self._step_cache = {}
        try:
            if self.gradient_accumulation_steps:
                _averaging.apply_accumulated(self, grads, variables)
            else:
                self._apply_update(grads, variables)
            if self.use_ema:
                _averaging.update_moving_averages(self)
        finally:
            # Under jax tracing the cached scalars are tracers: do not keep them past the step.
            self._step_cache = {}
        # After the moving averages, on every call, as Keras applies them.
        for variable in variables:
            constraint = getattr(variable, "constraint", None)
            if constraint is not None:
                variable.assign(constraint(variable))
        self._iterations.assign(ops.add(self._iterations, 1))

    def _overwrite_with_gradients(self, grads, variables):
        """Assigns each variable marked `overwrite_with_gradient` its gradient as it is (no scaling, clipping, decay
        or update rule: the value a layer computed in its backward pass, e.g. float8 scaling state), and returns
        the other pairs, as Keras 3 does."""
        if not self._overwritten_ids:
            return grads, variables
        marked = [id(v) in self._overwritten_ids for v in variables]
        if self.gradient_accumulation_steps:
            raise ValueError(_errors.OVERWRITE_WITH_ACCUMULATION.format(
                name=self.name, paths=[v.path for v, m in zip(variables, marked) if m]
            ))
        for gradient, variable, overwrite in zip(grads, variables, marked):
            if overwrite:
                variable.assign(gradient)
        kept = [(g, v) for g, v, m in zip(grads, variables, marked) if not m]
        return [g for g, _ in kept], [v for _, v in kept]

    def _apply_update(self, grads, variables):
        """Clipping, weight decay and the per-variable updates."""
        if self.clipnorm is not None:
            grads = [_clipping.clip_by_norm(g, self.clipnorm) for g in grads]
        elif self.clipvalue is not None:
            grads = [ops.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        elif self.global_clipnorm is not None:
            grads = _clipping.clip_by_global_norm(grads, self.global_clipnorm)
        rate = self._current_learning_rate()
        learning_rates = {dtype: ops.cast(rate, dtype) for dtype in {v.dtype for v in variables}}
        self._apply_weight_decay(variables, learning_rates)
        self._update_variables(grads, variables, learning_rates)

    def finalize_variable_values(self, var_list):
        """With `use_ema`, sets each variable in `var_list` to its moving average (`fit` calls it when training
        ends)."""
        if self.use_ema:
            for variable in var_list:
                index = self._variable_index.get(id(variable))
                if index is not None:  # a variable the optimizer does not train has no average
                    variable.assign(self._averages[index])

    def _filter_empty_gradients(self, grads, variables):
        if all(g is not None for g in grads):
            return grads, variables
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError(_errors.NO_GRADIENTS.format(name=self.name, paths=[v.path for v in variables]))
        missing = [v.path for g, v in zip(grads, variables) if g is None]
        warnings.warn(_errors.MISSING_GRADIENTS.format(paths=missing), stacklevel=3)
        return [g for g, _ in kept], [v for _, v in kept]

    def _update_variables(self, grads, variables, learning_rates):
        """Runs `update_step` per variable; an optimizer with state shared across variables overrides this."""
        update_step = self.update_step
        for gradient, variable in zip(grads, variables):
            update_step(gradient, variable, learning_rates[variable.dtype])

    @abc.abstractmethod
    def update_step(self, gradient, variable, learning_rate):
        """Assigns the new value of `variable` (and of its slots) given its `gradient` and the rate (a scalar of
        the variable's dtype)."""

    def _per_step(self, key, compute):
        """`compute()` once per `apply` call for `key` (per-step scalars such as bias corrections, per dtype)."""
        value = self._step_cache.get(key)
        if value is None:
            value = self._step_cache[key] = compute()
        return value

    def _constant(self, value: float, dtype):
        """`value` as a scalar tensor of `dtype`, converted once per step rather than once per variable and op.

        Kept per step only: inside a traced step (tf.function) the tensor belongs to that trace.
        """
        return self._per_step(("constant", value, dtype), lambda: ops.convert_to_tensor(value, dtype))

    def _local_step(self, dtype):
        """`iterations + 1` (the update being made) as a scalar of `dtype`."""
        return self._per_step(("local_step", dtype), lambda: ops.cast(ops.add(self.iterations, 1), dtype))

    def _one_minus_power(self, beta: float, dtype):
        """`1 - beta ** (iterations + 1)` as a scalar of `dtype`, for bias corrections.

        Computed as `-expm1(t * log(beta))`: the direct form loses about four digits in float32 when beta is close
        to 1 (beta = 0.999 rounds to 0.99900001, a 1e-5 relative error in `1 - beta` at t = 1).
        """

        def compute():
            if beta == 0:
                return ops.convert_to_tensor(1.0, dtype)
            return ops.negative(ops.expm1(ops.multiply(self._local_step(dtype), math.log(beta))))

        return self._per_step(("one_minus_power", beta, dtype), compute)

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """`apply` as a pure function of state values: returns `(new_trainable_values, new_optimizer_values)`.

        Args:
            optimizer_variables: values of `optimizer.variables`, in order.
            grads: one gradient per built trainable variable (None leaves it unchanged).
            trainable_variables: values of the variables the optimizer was built with, in order.

        No Variable is modified, so the function can be traced by `jax.jit`.
        """
        if not self.built:
            raise ValueError(_errors.NOT_BUILT_STATELESS.format(name=self.name))
        state = self.variables
        for values, expected, what in (
            (optimizer_variables, state, "optimizer variable values"),
            (trainable_variables, self._trainable_variables, "trainable variable values"),
        ):
            if len(values) != len(expected):
                raise ValueError(
                    _errors.LENGTH_MISMATCH.format(
                        name=self.name, received=len(values), what=what, expected=len(expected),
                        reason="one per entry of the list the optimizer tracks",
                    )
                )
        variables = self._trainable_variables + state
        given = list(trainable_variables) + list(optimizer_variables)
        values = [ops.convert_to_tensor(x, v.dtype) for v, x in zip(variables, given)]
        with backend.StatelessScope(zip(variables, values)) as scope:
            self.apply(grads)
        new_values = [scope.get_current_value(v) for v in variables]
        num_trainable = len(self._trainable_variables)
        return new_values[:num_trainable], new_values[num_trainable:]

    # Saving ------------------------------------------------------------------------------------------------------
    def _saved_children(self) -> list:
        """[(attribute, optimizer or list of optimizers)]: the optimizers this one wraps, whose state Keras 3's
        weight files also keep in groups of their own (empty for a plain optimizer)."""
        return []

    def set_weights(self, weights):
        """Assigns `weights` (arrays, one per entry of `variables`, in order) to the optimizer's state."""
        if not self.built:
            raise ValueError(_errors.SET_WEIGHTS_NOT_BUILT.format(name=self.name))
        variables = self.variables
        if len(weights) != len(variables):
            raise ValueError(
                _errors.LENGTH_MISMATCH.format(
                    name=self.name, received=len(weights), what="weights", expected=len(variables),
                    reason="one per entry of `optimizer.variables`",
                )
            )
        for variable, weight in zip(variables, weights):
            if tuple(np.shape(weight)) != tuple(variable.shape):
                raise ValueError(
                    _errors.SET_WEIGHTS_SHAPE.format(
                        name=self.name, path=variable.path, expected=variable.shape, received=np.shape(weight)
                    )
                )
            variable.assign(weight)

    def save_own_variables(self, store):
        """Writes `variables` as NumPy arrays into the dict-like `store` under keys "0", "1", ..."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Reads `variables` back from `store`; warns and loads nothing when the counts differ (not built yet)."""
        variables = self.variables
        if len(store.keys()) != len(variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}': it has {len(variables)} variables "
                f"but the saved state has {len(store.keys())}. Build the optimizer on the model's trainable "
                "variables (`optimizer.build(model.trainable_variables)`) before loading.",
                stacklevel=2,
            )
            return
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    # Config ------------------------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        rate = self._learning_rate
        if backend.is_variable(rate):
            rate = float(rate.numpy())
        elif isinstance(rate, _schedules.LearningRateSchedule):
            rate = _schedules.serialize(rate)
        return {
            "name": self.name,
            "learning_rate": rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _schedules.deserialize(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"
