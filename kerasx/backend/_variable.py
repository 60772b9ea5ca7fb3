"""The engine-free half of `Variable`; each backend subclasses it to store the value natively.

A backend supplies `_store(value)` (make the native storage), `_read()` and `_write(value)`. Everything a user sees
(names, paths, trainable, assign, stateless reads) lives here once.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from kerasx.backend import _autocast, _deferred_init, _dtypes, _name_scope, _stateless

_UIDS = itertools.count()
_FLOAT_DTYPES = _dtypes.FLOAT_TYPES

BAD_ASSIGN_SHAPE = (
    "Cannot assign a value of shape {received} to variable '{path}' of shape {expected} (backend: {backend}). "
    "Assign a value with exactly the variable's shape, e.g. reshape it first."
)
NOT_A_SCALAR = (
    "Only a scalar variable converts to a Python {kind}. Received: variable '{path}' with shape={shape}. "
    "Convert one element (`{kind}(v[0])`) or the whole value with `v.numpy()`."
)
NO_LEN = (
    "Variable '{path}' is a scalar (shape ()), so it has no length and cannot be iterated. Use it as a number "
    "(`float(v)`, `int(v)`) or give it a shape with at least one dimension."
)
AMBIGUOUS_TRUTH = (
    "The truth value of variable '{path}' of shape {shape} is ambiguous: only a variable with one element is "
    "true or false. Reduce it first, e.g. `bool(kerasx.ops.any(v))` or `bool(kerasx.ops.all(v))`."
)
BAD_AGGREGATION = (
    "Invalid value for argument `{argument}` of variable '{name}'. Expected one of {valid}. Received: "
    "{argument}={value!r}."
)
AGGREGATIONS = (None, "none", "mean", "sum", "only_first_replica")
SYNCHRONIZATIONS = (None, "none", "on_read", "on_write", "auto")
BAD_INITIALIZER = (
    "Variable '{name}': the initializer is callable, so `shape` is required. Received: shape=None. "
    "Pass `shape=(...)`, or pass an array as the initial value."
)


def _checked(value, valid, argument, name):
    if value not in valid:
        raise ValueError(BAD_AGGREGATION.format(argument=argument, name=name, valid=valid, value=value))
    return value


class Variable:
    """A mutable tensor stored natively by the selected engine.

    Args:
        initializer: an array-like initial value, or a callable `initializer(shape, dtype)`.
        shape: required when `initializer` is callable.
        dtype: dtype name; defaults to the initial value's dtype, or `floatx()` for a callable.
        trainable: whether optimizers update it and gradients are taken with respect to it.
        autocast: whether a float variable reads in the compute dtype of the mixed-precision layer running it
            (see `kerasx.mixed_precision`); False keeps it in its own dtype there too.
        name: short name; `path` is the name prefixed by the open `name_scope`s, then by the owning layer's path
            once a layer adopts it.
        aggregation: how replicas' values of the variable combine in a distributed run: "none" (default), "mean",
            "sum" or "only_first_replica" (recorded as Keras 3 records it; kerasx's own distribution keeps one copy
            of each variable, so it does not read it).
        synchronization: when replicas synchronize it: "auto" (default), "none", "on_read" or "on_write" (recorded
            likewise).
        layout: a `kerasx.distribution.TensorLayout` placing the variable when a distribution places variables
            (sharded over its mesh as the layout says), instead of the layout the distribution would choose. Kept in
            `variable._layout`, as Keras 3 keeps it.

    Example:
    >>> from kerasx.backend import Variable  # the selected engine's subclass; this base class is abstract
    >>> v = Variable(np.zeros((2,)), name="bias")
    >>> _ = v.assign_add(np.ones((2,)))
    >>> v.numpy().tolist()
    [1.0, 1.0]
    """

    backend_name = "abstract"
    # Set by `Layer.add_weight` for the weights it creates: the optimizers apply `constraint` after each update and
    # assign a variable marked `overwrite_with_gradient` its gradient as it is; `regularizer` adds to the losses.
    regularizer = None
    constraint = None
    overwrite_with_gradient = False

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None, *, autocast=True,
                 aggregation="none", synchronization="auto", layout=None):
        self.name = name or "variable"
        self._autocast = bool(autocast)
        # Read by the distributions (`get_variable_layout`), where it wins over their own choice, as in Keras 3.
        self._layout = layout
        self.aggregation = _checked(aggregation, AGGREGATIONS, "aggregation", self.name) or "none"
        self.synchronization = _checked(synchronization, SYNCHRONIZATIONS, "synchronization", self.name) or "none"
        self.path = _name_scope.prefixed(self.name)
        self.trainable = bool(trainable)
        self._uid = next(_UIDS)
        if callable(initializer) and shape is None:
            raise ValueError(BAD_INITIALIZER.format(name=self.name))
        if callable(initializer) and _deferred_init.record(self):
            # Pending: no storage until it is assigned or read (`_deferred_init`, while a saved model is rebuilt).
            self._dtype = _dtypes.standardize_dtype(dtype)
            self._shape = tuple(int(d) for d in shape)  # pyright: ignore[reportOptionalIterable] - checked above
            self._pending_initializer = initializer
            return
        with self._creation_scope(initializer):
            if callable(initializer):
                self._dtype = _dtypes.standardize_dtype(dtype)
                value = initializer(tuple(shape), self._dtype)  # pyright: ignore[reportArgumentType] - a callable initializer comes with a shape
            else:
                value = initializer
                if dtype is None:
                    dtype = _dtypes.infer_dtype(value)
                self._dtype = _dtypes.standardize_dtype(dtype)
            self._store(self._convert(value, self._dtype))
        self._shape = tuple(int(d) for d in self._native_shape())
        if shape is not None and tuple(shape) != self._shape:
            raise ValueError(
                f"Variable '{self.name}': the initial value has shape {self._shape} but shape={tuple(shape)} "
                "was requested. Pass a value of the requested shape."
            )

    # Deferred initial value (`_deferred_init`) ----------------------------------------------------------------------
    # The initializer of a variable made pending, until its first assignment or read; None once it has storage.
    _pending_initializer: Callable | None = None

    if not TYPE_CHECKING:  # hidden from type checkers, which would otherwise accept any attribute of a Variable

        def __getattr__(self, name):
            # Python calls this only for an attribute not found otherwise: `_value` of a pending variable (every
            # engine keeps its storage there), which any read of the storage reaches, wherever it comes from.
            if name == "_value" and self._pending_initializer is not None:
                self._give_storage(run_initializer=True)
                return self.__dict__["_value"]
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _initialize_if_pending(self) -> None:
        """Runs the pending initializer of a variable nothing assigned or read yet."""
        if self._pending_initializer is not None:
            self._give_storage(run_initializer=True)

    def _give_storage(self, run_initializer: bool) -> None:
        """Stores the pending initializer's value, or zeros that an assignment is about to overwrite."""
        initializer = self._pending_initializer
        # Storage already there: an engine wrote it directly (jax's trainer sets `_value`), nothing is pending.
        if initializer is not None and "_value" not in self.__dict__:
            with self._creation_scope(initializer):
                value = initializer(self._shape, self._dtype) if run_initializer else self._zeros()
                self._store(self._convert(value, self._dtype))
        self._pending_initializer = None  # only now: an initializer that raised leaves the variable pending

    # Engine hooks -------------------------------------------------------------------------------------------------
    def _creation_scope(self, initializer):
        """Context in which the initial value is computed and stored. Engines that would capture it in a trace in
        progress (jax, a TensorFlow graph) step out of the trace: a variable made while a layer's `call` is traced
        for its output shapes (a sublayer built there) must hold a concrete value."""
        return contextlib.nullcontext()

    def _zeros(self):
        """Zeros of the variable's shape, made cheaply: `np.zeros` maps pages the OS fills lazily, so only the
        engine's copy of them touches memory; an engine that would copy twice overrides this."""
        try:
            return np.zeros(self._shape, self._dtype)
        except TypeError:  # a dtype NumPy does not know (bfloat16): the engine casts float32 zeros
            return np.zeros(self._shape, "float32")

    def _convert(self, value, dtype):
        raise TypeError(f"{type(self).__name__} is abstract; use the selected backend's Variable.")

    def _store(self, value):
        raise TypeError(f"{type(self).__name__} is abstract; use the selected backend's Variable.")

    def _read(self):
        raise TypeError(f"{type(self).__name__} is abstract; use the selected backend's Variable.")

    def _write(self, value):
        raise TypeError(f"{type(self).__name__} is abstract; use the selected backend's Variable.")

    def _native_shape(self):
        return self._read().shape

    # Public API ---------------------------------------------------------------------------------------------------
    @property
    def value(self):
        replaced = _stateless.lookup(self)
        value = self._read() if replaced is None else replaced
        cast_to = _autocast.current_dtype()
        if cast_to is not None and self._autocast and cast_to != self._dtype and self._dtype in _FLOAT_DTYPES:
            return self._convert(value, cast_to)
        return value

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def dtype(self) -> str:
        """The stored dtype; inside a mixed-precision layer's call, the dtype the variable reads in."""
        cast_to = _autocast.current_dtype()
        if cast_to is not None and self._autocast and self._dtype in _FLOAT_DTYPES:
            return cast_to
        return self._dtype

    def assign(self, value):
        value = self._convert(value, self._dtype)
        if tuple(value.shape) != self._shape:
            raise ValueError(
                BAD_ASSIGN_SHAPE.format(
                    received=tuple(value.shape), path=self.path, expected=self._shape, backend=self.backend_name
                )
            )
        scope = _stateless.current()
        if scope is not None:
            scope.add_update(self, value)
        else:
            if self._pending_initializer is not None:
                self._give_storage(run_initializer=False)  # assigned: its initializer never needs to run
            self._write(value)
        return value

    def assign_add(self, value):
        return self.assign(self._stored_value() + self._operand(value))

    def assign_sub(self, value):
        return self.assign(self._stored_value() - self._operand(value))

    def _stored_value(self):
        # In the variable's own dtype even inside an autocast scope: an update must not round through float16.
        replaced = _stateless.lookup(self)
        return self._read() if replaced is None else replaced

    def _operand(self, value):
        # A Python number added to a float variable stays a weak scalar on every engine (the result keeps the
        # variable's dtype) and needs no conversion through NumPy, which would cost more than the addition.
        if type(value) in (int, float) and self._dtype in _FLOAT_DTYPES:
            return value
        return self._convert(value, self._dtype)

    def numpy(self) -> np.ndarray:
        return np.array(self._to_numpy(self.value))

    def _to_numpy(self, value):
        return np.asarray(value)

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    # Python protocols: a variable reads as the number or array it holds, as Keras's do (`int(optimizer.iterations)`,
    # `float(v)`, `f"{v:.3f}"`), plus `len`, iteration and `bool` of a one-element variable, which Keras lacks.
    def _scalar_value(self, kind: str):
        if self._shape:
            raise TypeError(NOT_A_SCALAR.format(kind=kind, path=self.path, shape=self._shape))
        return self.value

    def __int__(self):
        return int(self._scalar_value("int"))

    def __float__(self):
        return float(self._scalar_value("float"))

    def __complex__(self):
        return complex(self._scalar_value("complex"))

    def __bool__(self):
        if self._shape and int(np.prod(self._shape)) != 1:
            raise ValueError(AMBIGUOUS_TRUTH.format(path=self.path, shape=self._shape))
        return bool(self.value)

    def __len__(self):
        if not self._shape:
            raise TypeError(NO_LEN.format(path=self.path))
        return self._shape[0]

    def __iter__(self):
        # Without it Python would iterate through `__getitem__` until an IndexError, which jax never raises (it
        # clamps indices): an endless loop.
        value = self.value
        return (value[i] for i in range(len(self)))

    def __format__(self, format_spec: str) -> str:
        if not format_spec:
            return str(self)
        array = self.numpy()
        return format(array.item() if array.ndim == 0 else array, format_spec)

    def __repr__(self):
        try:
            value = f", value={self.numpy()}"
        except Exception:  # noqa: BLE001 - a traced value (jax tracer, graph tensor) has no digits to show
            value = ""
        return f"<Variable path={self.path}, shape={self._shape}, dtype={self._dtype}{value}>"

    def __hash__(self):
        return self._uid
