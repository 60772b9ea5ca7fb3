"""Control flow as plain Python loops, shared by the engines that run eagerly (numpy, torch).

Each function has the semantics of the ops contract (`kerasx.backend._contract.core`); `stack` is the engine's
function that stacks a list of tensors along a new leading axis, `zeros` makes a zero tensor of a shape and dtype
like a given tensor. Python loops are what torch wants (its autograd records through them); jax and TensorFlow use
their own traceable primitives instead.
"""

from __future__ import annotations

from kerasx.backend import _tree


def as_state(loop_vars) -> tuple:
    """Loop variables as a tuple: a single (non-sequence) loop variable becomes a 1-tuple."""
    return tuple(loop_vars) if isinstance(loop_vars, (list, tuple)) else (loop_vars,)


def from_state(loop_vars, state: tuple):
    """Inverse of `as_state`: the same container type as the caller's `loop_vars`."""
    if isinstance(loop_vars, (list, tuple)):
        return type(loop_vars)(state)
    return state[0]


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    state = as_state(loop_vars)
    iteration = 0
    while (maximum_iterations is None or iteration < maximum_iterations) and bool(cond(*state)):
        state = as_state(body(*state))
        iteration += 1
    return from_state(loop_vars, state)


def fori_loop(lower, upper, body_fun, init_val):
    value = init_val
    for i in range(int(lower), int(upper)):
        value = body_fun(i, value)
    return value


def scan_length(xs, length) -> int:
    """Number of scan steps: `length`, else the leading dimension of the leaves of `xs` (which must agree)."""
    leaves = [] if xs is None else _tree.flatten(xs)
    sizes = {int(leaf.shape[0]) for leaf in leaves}
    if length is not None:
        sizes.add(int(length))
    if len(sizes) != 1:
        raise ValueError(
            "scan: `xs` leaves and `length` disagree on the number of steps. "
            f"Received: leading dimensions and length {sorted(sizes)}. Pass leaves with one leading dimension "
            "and a matching `length` (or only one of `xs`, `length`)."
        )
    return sizes.pop()


def element(xs, index):
    """The `index`-th slice of every leaf of `xs`, in the structure of `xs` (None when `xs` is None)."""
    if xs is None:
        return None
    return _tree.pack_sequence_as(xs, [leaf[index] for leaf in _tree.flatten(xs)])


def stack_structure(outputs: list, stack):
    """Stack a list of equally structured outputs leaf by leaf; None when the outputs hold no tensors."""
    if not outputs or outputs[0] is None:
        return None
    return _tree.map_structure(lambda *leaves: stack(list(leaves)), *outputs)


def scan(f, init, xs, length, reverse, stack, zeros, unstack=None):
    """`unstack`, when given, splits a leaf into its leading-axis slices in one call (torch's `unbind`): for an
    autograd engine that is one backward node for the whole sequence instead of one `x[i]` per step, whose
    backward would each write a zero tensor the size of the whole sequence (O(steps^2) memory traffic)."""
    steps = scan_length(xs, length)
    if steps == 0:
        return init, empty_outputs(f, init, xs, zeros)
    order = range(steps - 1, -1, -1) if reverse else range(steps)
    if unstack is None or xs is None:
        elements = None
    else:
        slices = [unstack(leaf) for leaf in _tree.flatten(xs)]
        elements = [_tree.pack_sequence_as(xs, [leaf[i] for leaf in slices]) for i in range(steps)]
    carry = init
    ys = [None] * steps
    for i in order:
        carry, ys[i] = f(carry, element(xs, i) if elements is None else elements[i])
    return carry, stack_structure(ys, stack)


def empty_outputs(f, init, xs, zeros):
    """Zero-length stacked outputs of a scan of no steps, shaped by calling `f` once on a zero element."""
    dummy = None if xs is None else _tree.map_structure(lambda leaf: zeros(leaf.shape[1:], leaf), xs)
    _, y = f(init, dummy)
    if y is None:
        return None
    return _tree.map_structure(lambda leaf: zeros((0,) + tuple(leaf.shape), leaf), y)


def vectorized_map(function, elements, stack):
    steps = scan_length(elements, None)
    return stack_structure([function(element(elements, i)) for i in range(steps)], stack)
