"""Control flow and gradient control: cond, switch, while_loop, fori_loop, scan, map, vectorized_map,
stop_gradient, custom_gradient.

Each engine runs these with its own traceable primitive (jax `lax`, TensorFlow `tf.cond`/`tf.while_loop`) or with
Python control flow (torch, numpy), so the same code works eagerly and inside `jax.jit` / `tf.function`. Loop
variables, carries and scanned inputs are converted to native tensors first (Python numbers take their default
dtype: int32 or floatx), so every engine starts from the same dtypes.

On symbolic inputs (KerasTensors) the ops trace the user functions on KerasTensors to get output shapes, as
Keras 3 does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kerasx.backend import _tree, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Tensor, TensorLike

_core = active.core

BRANCHES_DIFFER = (
    "The branches of `{name}` return different structures, shapes or dtypes. Received: {first} and {second}. "
    "Make every branch return tensors of the same structure, shape and dtype."
)
NO_BRANCHES = "`switch` needs at least one branch. Received: branches={branches!r}. Pass a list of callables."
NOT_CALLABLE = "`{name}` expects a callable for `{argument}`. Received: {argument}={value!r}."
SCAN_NEEDS_LENGTH = (
    "`scan` needs `xs` or `length` to know how many steps to run. Received: xs=None, length=None. "
    "Pass the sequence to scan over, or `length=n` to run `n` steps without inputs."
)


def _spec_of(x):
    """KerasTensor describing a leaf (a KerasTensor, a tensor, a Variable or a Python number)."""
    if x is None or isinstance(x, KerasTensor):
        return x
    return KerasTensor(shape_of(x), dtype_of(x))


def _specs(structure):
    return _tree.map_structure(_spec_of, structure)


def _to_tensors(structure):
    """Native tensors for every leaf of a structure; None leaves (empty outputs) stay None."""
    return _tree.map_structure(lambda leaf: None if leaf is None else tensor(leaf), structure)


def _describe(structure) -> list:
    return [None if leaf is None else (leaf.shape, leaf.dtype) for leaf in _tree.flatten(structure)]


def _check_callable(name: str, argument: str, value) -> None:
    if not callable(value):
        raise TypeError(NOT_CALLABLE.format(name=name, argument=argument, value=value))


def _branches_spec(name: str, outputs: list):
    specs = [_specs(output) for output in outputs]
    first = _describe(specs[0])
    for other in specs[1:]:
        if _describe(other) != first:
            raise ValueError(BRANCHES_DIFFER.format(name=name, first=first, second=_describe(other)))
    return specs[0]


def _cond_spec(pred, true_fn, false_fn):
    return _branches_spec("cond", [true_fn(), false_fn()])


@op(_cond_spec)
def cond(pred: TensorLike, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    """`true_fn()` if `pred` else `false_fn()`; traceable inside `jax.jit` and `tf.function`.

    Both branches must return the same structure of tensors with the same shapes and dtypes, since a traced
    program cannot know which one runs.

    Args:
        pred: a scalar bool tensor or Python bool.
        true_fn: a callable with no arguments, run when `pred` is true.
        false_fn: a callable with no arguments, run otherwise.

    Returns:
        The output of the branch that ran.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.cond(True, lambda: ops.ones(2), lambda: ops.zeros(2)))
        array([1., 1.], dtype=float32)
    """
    _check_callable("cond", "true_fn", true_fn)
    _check_callable("cond", "false_fn", false_fn)
    return _core.cond(tensor(pred, "bool"), true_fn, false_fn)


def _switch_spec(index, branches, *operands):
    if not branches:
        raise ValueError(NO_BRANCHES.format(branches=branches))
    return _branches_spec("switch", [branch(*operands) for branch in branches])


@op(_switch_spec)
def switch(index: TensorLike, branches: Sequence[Callable[..., Any]], *operands: Any) -> Any:
    """`branches[index](*operands)`; traceable. `index` is clamped to `[0, len(branches) - 1]`.

    Every branch must return the same structure of tensors with the same shapes and dtypes.

    Args:
        index: a scalar integer tensor or Python int.
        branches: the callables to choose from; each takes `*operands`.
        *operands: the arguments passed to the chosen branch.

    Returns:
        The output of the chosen branch.

    Example:
        >>> from kerasx import ops
        >>> x = ops.convert_to_tensor([1, 2])
        >>> ops.convert_to_numpy(ops.switch(1, [lambda v: v + 1, lambda v: v * 10], x))
        array([10, 20], dtype=int32)
    """
    if not branches:
        raise ValueError(NO_BRANCHES.format(branches=branches))
    for branch in branches:
        _check_callable("switch", "branches", branch)
    index = tensor(index, "int32")

    # A chain of conds: `index <= k` picks branch k, so negative indices land on the first branch and
    # indices past the end on the last one.
    def pick(k):
        if k == len(branches) - 1:
            return branches[k](*operands)
        return cond(index <= k, lambda: branches[k](*operands), lambda: pick(k + 1))

    return pick(0)


def _while_loop_spec(cond, body, loop_vars, maximum_iterations=None):
    return _specs(loop_vars)


@op(_while_loop_spec)
def while_loop(
    cond: Callable[..., Any],
    body: Callable[..., Any],
    loop_vars: Any,
    maximum_iterations: int | None = None,
) -> Any:
    """Repeats `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true; traceable.

    Args:
        cond: a callable taking the loop variables and returning a scalar bool tensor.
        body: a callable taking the loop variables and returning new ones of the same structure, shapes and
            dtypes.
        loop_vars: a tensor, or a tuple/list of tensors (nested structures allowed inside).
        maximum_iterations: an optional cap on the number of iterations.

    Returns:
        The final loop variables, in the container type of `loop_vars`.

    Example:
        >>> from kerasx import ops
        >>> (result,) = ops.while_loop(lambda i: i < 10, lambda i: (i * 2,), (1,))
        >>> ops.convert_to_numpy(result)
        array(16, dtype=int32)
    """
    _check_callable("while_loop", "cond", cond)
    _check_callable("while_loop", "body", body)
    if maximum_iterations is not None:
        maximum_iterations = int(maximum_iterations)
    return _core.while_loop(cond, body, _to_tensors(loop_vars), maximum_iterations)


def _fori_loop_spec(lower, upper, body_fun, init_val):
    return _specs(init_val)


@op(_fori_loop_spec)
def fori_loop(
    lower: int | TensorLike, upper: int | TensorLike, body_fun: Callable[[Any, Any], Any], init_val: Any
) -> Any:
    """`val = body_fun(i, val)` for `i` in `range(lower, upper)`, starting from `init_val`; traceable.

    Args:
        lower: the first index, a Python int or a scalar integer tensor.
        upper: the end index (excluded).
        body_fun: a callable `(i, val) -> val`, keeping the structure, shapes and dtypes of `val`.
        init_val: the initial value (a tensor or a structure of tensors).

    Returns:
        The final value.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.fori_loop(0, 5, lambda i, total: total + i, 0))
        array(10, dtype=int32)
    """
    _check_callable("fori_loop", "body_fun", body_fun)
    return _core.fori_loop(lower, upper, body_fun, _to_tensors(init_val))


def _element_spec(xs):
    return None if xs is None else _tree.map_structure(lambda leaf: KerasTensor(leaf.shape[1:], leaf.dtype), xs)


def _stacked_spec(structure, length):
    return _tree.map_structure(
        lambda leaf: None if leaf is None else KerasTensor((length,) + tuple(leaf.shape), leaf.dtype), structure
    )


def _num_steps(xs, length):
    if length is not None:
        return int(length)
    return shape_of(_tree.flatten(xs)[0])[0]


def _scan_spec(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError(SCAN_NEEDS_LENGTH)
    xs = None if xs is None else _specs(xs)
    carry, y = f(_specs(init), _element_spec(xs))
    return _specs(carry), _stacked_spec(_specs(y), _num_steps(xs, length))


@op(_scan_spec)
def scan(
    f: Callable[[Any, Any], tuple[Any, Any]],
    init: Any,
    xs: Any = None,
    length: int | None = None,
    reverse: bool = False,
    unroll: int | bool = 1,
) -> tuple[Any, Any]:
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`, stacking the `y`s; traceable.

    The building block of recurrent layers: the carry is the state, the `y`s are the outputs per step.

    Args:
        f: a callable `(carry, x) -> (carry, y)`; `x` is None when `xs` is None, and `y` may be None.
        init: the initial carry (a tensor or a structure of tensors).
        xs: a tensor or structure of tensors scanned along their leading axis, or None.
        length: the number of steps; required when `xs` is None.
        reverse: scan from the last element to the first (the stacked outputs stay aligned with `xs`).
        unroll: how many steps run as straight-line code per loop iteration; `True` (or a factor of at least the
            number of steps, when it is known) unrolls the whole loop on every engine.

    Returns:
        `(final_carry, stacked_ys)`; `stacked_ys` has a leading axis of size `length`.

    Example:
        >>> from kerasx import ops
        >>> running_sum = lambda carry, x: (carry + x, carry + x)
        >>> carry, ys = ops.scan(running_sum, 0, ops.convert_to_tensor([1, 2, 3]))
        >>> ops.convert_to_numpy(carry), ops.convert_to_numpy(ys)
        (array(6, dtype=int32), array([1, 3, 6], dtype=int32))
    """
    _check_callable("scan", "f", f)
    if xs is None and length is None:
        raise ValueError(SCAN_NEEDS_LENGTH)
    return _core.scan(f, _to_tensors(init), _to_tensors(xs), length, bool(reverse), unroll)


def _map_spec(f, xs):
    return _stacked_spec(_specs(f(_element_spec(_specs(xs)))), _num_steps(xs, None))


@op(_map_spec)
def map(f: Callable[[Any], Any], xs: Any) -> Any:  # noqa: A001 - Keras 3 name
    """`f` applied to each slice of `xs` along its leading axis, the results stacked; traceable (a `scan`).

    Args:
        f: a callable taking one slice (with the structure of `xs`).
        xs: a tensor or structure of tensors.

    Returns:
        The outputs of `f`, stacked along a new leading axis.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.map(lambda row: ops.sum(row), ops.convert_to_tensor([[1, 2], [3, 4]])))
        array([3, 7], dtype=int32)
    """
    _check_callable("map", "f", f)
    _, ys = scan(lambda carry, x: (carry, f(x)), (), xs)
    return ys


def _vectorized_map_spec(function, elements):
    return _map_spec(function, elements)


@op(_vectorized_map_spec)
def vectorized_map(function: Callable[[Any], Any], elements: Any) -> Any:
    """`function` applied to every slice of `elements` along the leading axis, vectorized where the engine can.

    jax uses `jax.vmap`, TensorFlow `tf.vectorized_map` and torch `torch.vmap`; the result equals `map`'s.

    Args:
        function: a callable taking one slice (with the structure of `elements`).
        elements: a tensor or structure of tensors.

    Returns:
        The outputs of `function`, stacked along a new leading axis.

    Example:
        >>> from kerasx import ops
        >>> rows = ops.convert_to_tensor([[1, 2], [3, 4]])
        >>> ops.convert_to_numpy(ops.vectorized_map(lambda row: ops.sum(row), rows))
        array([3, 7], dtype=int32)
    """
    _check_callable("vectorized_map", "function", function)
    return _core.vectorized_map(function, _to_tensors(elements))


def _stop_gradient_spec(variable):
    return _spec_of(variable)


@op(_stop_gradient_spec)
def stop_gradient(variable: TensorLike) -> Tensor:
    """The value of `variable` as a tensor through which no gradient flows.

    Args:
        variable: a tensor or Variable.

    Returns:
        A tensor with the same value; its gradient with respect to `variable` is zero.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.stop_gradient([1.0, 2.0]))
        array([1., 2.], dtype=float32)
    """
    return _core.stop_gradient(tensor(variable))


def custom_gradient(f: Callable[..., tuple[Any, Callable[..., Any]]]) -> Callable[..., Any]:
    """Decorator giving a function its own gradient.

    `f(*args)` returns `(output, grad_fn)`; `grad_fn(*upstream)` receives one upstream gradient per output
    (positionally) and returns the gradient for each positional argument of `f` (a single tensor when `f` has one
    argument). On the numpy backend (inference only) the decorated function just computes `output`.

    Args:
        f: the function to decorate.

    Returns:
        The decorated function, called like `f` but returning only `output`.

    Example:
        >>> from kerasx import ops
        >>> @ops.custom_gradient
        ... def clipped_identity(x):
        ...     def grad(upstream):
        ...         return ops.clip(upstream, -1.0, 1.0)
        ...     return x, grad
        >>> ops.convert_to_numpy(clipped_identity(ops.convert_to_tensor([5.0])))
        array([5.], dtype=float32)
    """
    _check_callable("custom_gradient", "f", f)
    return _core.custom_gradient(f)


__all__ = [
    "cond",
    "custom_gradient",
    "fori_loop",
    "map",
    "scan",
    "stop_gradient",
    "switch",
    "vectorized_map",
    "while_loop",
]
