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

from kerasx.backend import _tree, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor

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
def cond(pred, true_fn, false_fn):
    """`true_fn()` if `pred` else `false_fn()`; traceable (both branches must return the same structure).

    Args:
        pred: scalar boolean tensor or Python bool.
        true_fn: callable with no arguments.
        false_fn: callable with no arguments.
    """
    _check_callable("cond", "true_fn", true_fn)
    _check_callable("cond", "false_fn", false_fn)
    return _core.cond(tensor(pred, "bool"), true_fn, false_fn)


def _switch_spec(index, branches, *operands):
    if not branches:
        raise ValueError(NO_BRANCHES.format(branches=branches))
    return _branches_spec("switch", [branch(*operands) for branch in branches])


@op(_switch_spec)
def switch(index, branches, *operands):
    """`branches[index](*operands)`, with `index` clamped to `[0, len(branches) - 1]`; traceable.

    Args:
        index: scalar integer tensor or Python int.
        branches: sequence of callables taking `*operands`.
        *operands: arguments passed to the selected branch.
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
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Repeat `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true; traceable.

    Args:
        cond: callable returning a scalar boolean tensor.
        body: callable returning new loop variables of the same structure, shapes and dtypes.
        loop_vars: a tensor, or a tuple/list of tensors (nested structures allowed inside).
        maximum_iterations: optional cap on the number of iterations.

    Returns:
        The final loop variables, in the container type of `loop_vars`.
    """
    _check_callable("while_loop", "cond", cond)
    _check_callable("while_loop", "body", body)
    if maximum_iterations is not None:
        maximum_iterations = int(maximum_iterations)
    return _core.while_loop(cond, body, _to_tensors(loop_vars), maximum_iterations)


def _fori_loop_spec(lower, upper, body_fun, init_val):
    return _specs(init_val)


@op(_fori_loop_spec)
def fori_loop(lower, upper, body_fun, init_val):
    """`val = body_fun(i, val)` for `i` in `range(lower, upper)`, starting from `init_val`; traceable.

    Args:
        lower, upper: Python ints or scalar integer tensors.
        body_fun: callable `(i, val) -> val`.
        init_val: initial value (a tensor or a structure of tensors).
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
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loop `carry, y = f(carry, x)` over the leading axis of `xs`, stacking the `y`s; traceable.

    Args:
        f: callable `(carry, x) -> (carry, y)`; `x` is None when `xs` is None, `y` may be None.
        init: initial carry (a tensor or a structure of tensors).
        xs: tensor or structure of tensors scanned along their leading axis, or None.
        length: number of steps; required when `xs` is None.
        reverse: scan from the last element to the first (outputs stay aligned with `xs`).
        unroll: loop unrolling factor, a hint used by jax only.

    Returns:
        `(final_carry, stacked_ys)`; `stacked_ys` has a leading axis of size `length`.
    """
    _check_callable("scan", "f", f)
    if xs is None and length is None:
        raise ValueError(SCAN_NEEDS_LENGTH)
    return _core.scan(f, _to_tensors(init), _to_tensors(xs), length, bool(reverse), unroll)


def _map_spec(f, xs):
    return _stacked_spec(_specs(f(_element_spec(_specs(xs)))), _num_steps(xs, None))


@op(_map_spec)
def map(f, xs):  # noqa: A001 - Keras 3 name
    """`f` applied to each slice of `xs` along its leading axis, results stacked; traceable (a scan).

    Args:
        f: callable taking one slice (same structure as `xs`).
        xs: tensor or structure of tensors.
    """
    _check_callable("map", "f", f)
    _, ys = scan(lambda carry, x: (carry, f(x)), (), xs)
    return ys


def _vectorized_map_spec(function, elements):
    return _map_spec(function, elements)


@op(_vectorized_map_spec)
def vectorized_map(function, elements):
    """`function` applied to every slice of `elements` along the leading axis, vectorized where the engine can
    (jax.vmap, tf.vectorized_map, torch.vmap).

    Args:
        function: callable taking one slice (same structure as `elements`).
        elements: tensor or structure of tensors.
    """
    _check_callable("vectorized_map", "function", function)
    return _core.vectorized_map(function, _to_tensors(elements))


def _stop_gradient_spec(variable):
    return _spec_of(variable)


@op(_stop_gradient_spec)
def stop_gradient(variable):
    """`variable`'s value as a tensor through which no gradient flows."""
    return _core.stop_gradient(tensor(variable))


def custom_gradient(f):
    """Decorator giving a function its own gradient.

    `f(*args)` returns `(output, grad_fn)`; `grad_fn(*upstream)` receives one upstream gradient per output
    (positionally) and returns the gradient for each positional argument of `f` (a single tensor when `f` has one
    argument). On the numpy backend (inference only) the decorated function just computes `output`.

    Args:
        f: the function to decorate.
    """
    _check_callable("custom_gradient", "f", f)
    return _core.custom_gradient(f)
