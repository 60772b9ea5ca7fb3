"""Engine selection and settings. `active` is the selected engine package (`kerasx.backend.jax`, ...).

The engine packages implement the contract in `kerasx.backend._contract`; nothing in `kerasx/backend/` imports
the rest of kerasx.
"""

from collections.abc import Callable, Sequence
from typing import TypeGuard

from kerasx import _missing
from kerasx.backend import _config
from kerasx.backend._config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_image_data_format,
    standardize_data_format,
)
from kerasx.backend._dtypes import is_float, is_int, result_type, standardize_dtype
from kerasx.backend._keras_tensor import KerasTensor as _KerasTensor
from kerasx.backend._select import ACTIVE as active
from kerasx.backend._session import clear_session, get_uid
from kerasx.backend._stateless import StatelessScope
from kerasx.backend._variable import Variable as _VariableBase

Variable = active.core.Variable
# A floatx read from the config file needs the same engine setting as one set later (jax: 64-bit mode).
active.core.apply_floatx(floatx())


def set_floatx(value: str) -> None:
    """Sets the default float dtype of weights and Python floats; "float64" also makes jax compute in 64 bits.

    Example:

    >>> import kerasx
    >>> previous = kerasx.backend.floatx()
    >>> kerasx.backend.set_floatx("float64")
    >>> kerasx.ops.convert_to_tensor(1.0).dtype == kerasx.ops.convert_to_tensor(1.0, "float64").dtype
    True
    >>> kerasx.backend.set_floatx(previous)
    """
    _config.set_floatx(value)
    active.core.apply_floatx(_config.floatx())


def is_tensor(x) -> bool:
    """True for a native tensor of the selected engine.

    NumPy arrays, Python numbers and kerasx Variables are not native tensors; `kerasx.ops.convert_to_tensor` makes
    one.

    Args:
        x: any object.

    Returns:
        A bool.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> kerasx.backend.is_tensor(kerasx.ops.convert_to_tensor([1.0, 2.0]))
        True
        >>> kerasx.backend.is_tensor([1.0, 2.0])
        False
    """
    return active.core.is_tensor(x)


def value_and_grad(fn, has_aux=False):
    """`fn(params, *args)` -> function returning `(value, grads)` (or `((value, aux), grads)`) for a list of tensors.

    Raises on the numpy backend, which is inference only.

    Args:
        fn: a function `fn(params, *args)` of a list of tensors `params`, returning a scalar (or `(scalar, aux)`
            with `has_aux=True`), written with `kerasx.ops`.
        has_aux: whether `fn` returns auxiliary data besides the value.

    Returns:
        A function `(params, *args) -> (value, grads)`, `grads` holding one gradient per tensor of `params`.

    Example:
        The numpy backend computes no gradients, so the doctest runner skips the lines that call this function; on
        jax, torch and tensorflow they print what is shown.

        >>> import kerasx
        >>> def loss(params, x):
        ...     (w,) = params
        ...     return kerasx.ops.sum(kerasx.ops.square(kerasx.ops.multiply(w, x)))
        >>> w, x = kerasx.ops.convert_to_tensor([1.0, 2.0]), kerasx.ops.convert_to_tensor([3.0, 1.0])
        >>> value, (grad,) = kerasx.backend.value_and_grad(loss)([w], x)  # doctest: +SKIP
        >>> float(kerasx.ops.convert_to_numpy(value)), kerasx.ops.convert_to_numpy(grad).tolist()  # doctest: +SKIP
        (13.0, [18.0, 4.0])
    """
    return active.core.value_and_grad(fn, has_aux=has_aux)


def compile_step(fn: Callable, state_variables: Sequence[_VariableBase], jit_compile: bool = False) -> Callable:
    """`fn(data)` compiled once for the selected engine, for a hand-written training loop.

    `fn` reads and assigns kerasx Variables (a model's weights, an optimizer's slots) and returns tensors: the step
    of a hand-written loop, written once for every engine with `value_and_grad` and `optimizer.apply`. The compiled
    function does the same: on jax it is one `jax.jit` program over the variables' values (traced once per data
    shape), on TensorFlow a `tf.function` graph (XLA with `jit_compile=True`), on torch and numpy `fn` itself
    (eager).
    Run eagerly op by op, jax compiles every op of the step the first time and dispatches them one by one after
    that: a translation model's first step took 76 s and each later one 2 s on a loaded 2-core machine.

    Args:
        fn: a function of one argument (a batch: arrays or a nested structure of them) that may assign
            `state_variables` and returns tensors.
        state_variables: every Variable `fn` reads or assigns (e.g. `model.variables + optimizer.variables`; build
            the optimizer first with `optimizer.build(model.trainable_variables)`). On jax, an assignment to any
            other Variable raises a ValueError naming it.
        jit_compile: on TensorFlow, compile the graph with XLA. Off by default: XLA's compilation of a GRU's
            training step took 36 s where the plain graph's loop took 11 s in all (the text generator example's
            30 steps, on a loaded 2-core machine).

    Returns:
        A function `step(data)` returning what `fn` returns.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> total = kerasx.Variable(np.zeros(2, "float32"))
        >>> def add(batch):
        ...     total.assign(kerasx.ops.add(total, kerasx.ops.sum(batch, axis=0)))
        ...     return kerasx.ops.sum(total)
        >>> step = kerasx.backend.compile_step(add, [total])
        >>> for _ in range(2):
        ...     result = step(np.ones((3, 2), "float32"))
        >>> float(kerasx.ops.convert_to_numpy(result)), kerasx.ops.convert_to_numpy(total).tolist()
        (12.0, [6.0, 6.0])
    """
    return active.trainer.make_step(fn, list(state_variables), jit_compile=jit_compile)


def is_variable(x) -> TypeGuard[_VariableBase]:
    """True for a kerasx `Variable` (of any engine).

    Args:
        x: any object.

    Returns:
        A bool.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> kerasx.backend.is_variable(kerasx.Variable(np.zeros(2)))
        True
        >>> kerasx.backend.is_variable(np.zeros(2))
        False
    """
    return isinstance(x, _VariableBase)


def is_float_dtype(dtype) -> bool:
    """True for a floating-point dtype (given as a name, a NumPy or engine dtype, or a Python type).

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> kerasx.backend.is_float_dtype("bfloat16"), kerasx.backend.is_float_dtype(np.int32)
    (True, False)
    """
    return is_float(standardize_dtype(dtype))


def is_int_dtype(dtype) -> bool:
    """True for a signed or unsigned integer dtype; bool is not one.

    Example:

    >>> import kerasx
    >>> kerasx.backend.is_int_dtype("uint8"), kerasx.backend.is_int_dtype("bool")
    (True, False)
    """
    return is_int(standardize_dtype(dtype))


def is_keras_tensor(x) -> bool:
    """True for a symbolic `KerasTensor` (what `kerasx.Input` returns), False for data, tensors and variables.

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> kerasx.backend.is_keras_tensor(kerasx.Input((3,))), kerasx.backend.is_keras_tensor(np.ones(3))
    (True, False)
    """
    return isinstance(x, _KerasTensor)


__all__ = [
    "StatelessScope",
    "Variable",
    "active",
    "backend",
    "clear_session",
    "compile_step",
    "epsilon",
    "floatx",
    "get_uid",
    "image_data_format",
    "is_float",
    "is_float_dtype",
    "is_int",
    "is_int_dtype",
    "is_keras_tensor",
    "is_tensor",
    "is_variable",
    "result_type",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "standardize_data_format",
    "standardize_dtype",
    "value_and_grad",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
