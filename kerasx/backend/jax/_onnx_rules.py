"""One jaxpr equation -> ONNX nodes: a rule per jax primitive, used by `_onnx_graph`.

A rule takes the graph being built, the equation (its params and the abstract values of its operands) and the ONNX
names of its operands, and returns the names of its results. Sizes that are unknown when tracing (the batch axis)
are read from the graph inputs at run time (`graph.dim`), and operators that broadcast are given 1 where the
operand already has the size, so that most graphs need no run-time shape at all.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np

UNSUPPORTED_PRIMITIVE = (
    "ONNX export from the jax backend does not convert the jax primitive '{primitive}' that this model uses. "
    "Export from the torch or tensorflow backend instead (same model code; move the weights with "
    "`model.save_weights` / `load_weights`), or export format='tf_saved_model'."
)
UNKNOWN_LOOP_LENGTH = (
    "ONNX export from the jax backend unrolls `scan` loops (an RNN's steps) and so needs their length: this model "
    "loops over an axis of unknown size (length {length}). Give the sequence axis a fixed size (e.g. "
    "`kerasx.Input((timesteps, features))` or `input_signature=[kerasx.InputSpec(shape=(None, 5, 4))]`), or export "
    "from the torch or tensorflow backend."
)
UNSUPPORTED_CASE = (
    "ONNX export from the jax backend does not convert the jax primitive '{primitive}' with {what}. Export from "
    "the torch or tensorflow backend instead."
)

INT64_MAX = int(np.iinfo(np.int64).max)  # a Slice end past any size: "to the end" of an axis of unknown size
_UNARY = {
    "neg": "Neg", "exp": "Exp", "log": "Log", "tanh": "Tanh", "logistic": "Sigmoid", "sqrt": "Sqrt", "abs": "Abs",
    "sign": "Sign", "floor": "Floor", "ceil": "Ceil", "erf": "Erf", "sin": "Sin", "cos": "Cos", "not": "Not",
    "stop_gradient": "Identity", "copy": "Identity", "copy_p": "Identity", "reduce_precision": "Identity",
    "round": "Round",
}
_BINARY = {
    "add": "Add", "add_any": "Add", "sub": "Sub", "mul": "Mul", "div": "Div", "max": "Max", "min": "Min",
    "pow": "Pow", "gt": "Greater", "lt": "Less", "ge": "GreaterOrEqual", "le": "LessOrEqual", "eq": "Equal",
    "and": "And", "or": "Or", "atan2": "Atan2",
}
_REDUCTIONS = {"reduce_sum": "ReduceSum", "reduce_max": "ReduceMax", "reduce_min": "ReduceMin",
               "reduce_prod": "ReduceProd"}
_CALL_PARAMS = ("jaxpr", "call_jaxpr", "fun_jaxpr")


def _dtype(graph, dtype) -> int:
    return graph.onnx.helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


def _scalar(graph, value, aval) -> str:
    return graph.const(np.asarray(value, dtype=aval.dtype))


def _inline(graph, eqn, inputs):
    jaxpr = next(eqn.params[key] for key in _CALL_PARAMS if key in eqn.params)
    return graph.inline(jaxpr, getattr(jaxpr, "consts", ()), inputs)


def _reduce(graph, op: str, x: str, axes) -> str:
    # ReduceSum takes its axes as an input from opset 13, the others from opset 18.
    if op == "ReduceSum" or graph.opset >= 18:
        return graph.node(op, [x, graph.ints(axes)], keepdims=0)
    return graph.node(op, [x], axes=list(axes), keepdims=0)


def _dot_general(graph, eqn, lhs, rhs):
    (lhs_contract, rhs_contract), (lhs_batch, rhs_batch) = eqn.params["dimension_numbers"]
    lhs_rank, rhs_rank = len(eqn.invars[0].aval.shape), len(eqn.invars[1].aval.shape)
    letters = iter(string.ascii_letters)
    lhs_letters = [next(letters) for _ in range(lhs_rank)]
    rhs_letters = [next(letters) for _ in range(rhs_rank)]
    for left, right in zip(list(lhs_contract) + list(lhs_batch), list(rhs_contract) + list(rhs_batch)):
        rhs_letters[right] = lhs_letters[left]
    # jax's result order: batch axes, then the free axes of lhs, then those of rhs.
    output = [lhs_letters[axis] for axis in lhs_batch]
    output += [lhs_letters[a] for a in range(lhs_rank) if a not in lhs_contract and a not in lhs_batch]
    output += [rhs_letters[a] for a in range(rhs_rank) if a not in rhs_contract and a not in rhs_batch]
    equation = f"{''.join(lhs_letters)},{''.join(rhs_letters)}->{''.join(output)}"
    result = graph.node("Einsum", [lhs, rhs], equation=equation)
    out_dtype = eqn.outvars[0].aval.dtype
    if np.dtype(out_dtype) != np.dtype(eqn.invars[0].aval.dtype):
        result = graph.node("Cast", [result], to=_dtype(graph, out_dtype))
    return [result]


def _conv(graph, eqn, lhs, rhs):
    params = eqn.params
    numbers = params["dimension_numbers"]
    if any(d != 1 for d in params["lhs_dilation"]) or params["batch_group_count"] != 1:
        raise ValueError(UNSUPPORTED_CASE.format(primitive="conv_general_dilated",
                                                 what="input dilation or batch groups (a transposed convolution)"))
    # ONNX's Conv reads NC<spatial> inputs and OI<spatial> kernels: transpose into that layout and back.
    x = graph.node("Transpose", [lhs], perm=list(numbers.lhs_spec))
    kernel = graph.node("Transpose", [rhs], perm=list(numbers.rhs_spec))
    padding = list(params["padding"])
    y = graph.node(
        "Conv", [x, kernel], strides=list(params["window_strides"]), dilations=list(params["rhs_dilation"]),
        pads=[low for low, _ in padding] + [high for _, high in padding], group=params["feature_group_count"],
    )
    return [graph.node("Transpose", [y], perm=[int(i) for i in np.argsort(numbers.out_spec)])]


def _broadcast_in_dim(graph, eqn, x):
    shape = tuple(eqn.params["shape"])
    kept = tuple(eqn.params["broadcast_dimensions"])
    operand = eqn.invars[0].aval.shape
    new_axes = [axis for axis in range(len(shape)) if axis not in kept]
    if new_axes:
        x = graph.node("Unsqueeze", [x, graph.ints(new_axes)])
    full = [1] * len(shape)
    for axis, size in zip(kept, operand):
        full[axis] = size
    if all(_same(a, b) for a, b in zip(full, shape)):
        return [x]
    # Expand broadcasts both ways: 1 keeps the operand's size, so only sizes the operand lacks are spelled out.
    target = [1 if _same(have, want) else want for have, want in zip(full, shape)]
    return [graph.node("Expand", [x, graph.shape(target, "broadcast_in_dim")])]


def _same(a, b) -> bool:
    return (isinstance(a, int) and isinstance(b, int) and a == b) or (not isinstance(a, int) and str(a) == str(b))


def _reshape(graph, eqn, x):
    if eqn.params.get("dimensions") is not None:
        raise ValueError(UNSUPPORTED_CASE.format(primitive="reshape", what="`dimensions`"))
    sizes = list(eqn.params["new_sizes"])
    unknown = [axis for axis, size in enumerate(sizes) if not isinstance(size, int)]
    if len(unknown) == 1:
        sizes[unknown[0]] = -1  # Reshape infers the one unknown size from the element count
    return [graph.node("Reshape", [x, graph.shape(sizes, "reshape")])]


def _slice(graph, eqn, x):
    shape = eqn.invars[0].aval.shape
    starts = list(eqn.params["start_indices"])
    limits = [INT64_MAX if not isinstance(limit, int) and _same(limit, size) else limit
              for limit, size in zip(eqn.params["limit_indices"], shape)]
    if not all(isinstance(value, int) for value in starts + limits):
        raise ValueError(UNSUPPORTED_CASE.format(primitive="slice", what="bounds of unknown size"))
    steps = eqn.params["strides"] or [1] * len(shape)
    axes = list(range(len(shape)))
    return [graph.node("Slice", [x, graph.ints(starts), graph.ints(limits), graph.ints(axes), graph.ints(steps)])]


def _scan(graph, eqn, inputs):
    params = eqn.params
    length = params["length"]
    if not isinstance(length, int):
        raise ValueError(UNKNOWN_LOOP_LENGTH.format(length=length))
    num_consts, num_carry = params["num_consts"], params["num_carry"]
    consts, carry, xs = inputs[:num_consts], inputs[num_consts:num_consts + num_carry], inputs[num_consts + num_carry:]
    steps = range(length - 1, -1, -1) if params["reverse"] else range(length)
    ys: dict = {}
    for step in steps:
        index = graph.const(np.asarray(step, dtype=np.int64))
        x_step = [graph.node("Gather", [x, index], axis=0) for x in xs]
        outputs = graph.inline(params["jaxpr"], None, consts + carry + x_step)
        carry = outputs[:num_carry]
        ys[step] = outputs[num_carry:]
    stacked = []
    for position in range(len(eqn.outvars) - num_carry):
        slices = [graph.node("Unsqueeze", [ys[step][position], graph.ints([0])]) for step in range(length)]
        stacked.append(graph.node("Concat", slices, axis=0) if len(slices) > 1 else slices[0])
    return carry + stacked


def convert(graph, eqn, inputs: list) -> list:
    """The ONNX names of `eqn`'s results, after adding the nodes that compute them from `inputs`."""
    name = eqn.primitive.name
    params = eqn.params
    aval: Any = eqn.invars[0].aval if eqn.invars else None
    if name in _UNARY:
        return [graph.node(_UNARY[name], inputs)]
    if name in _BINARY:
        return [graph.node(_BINARY[name], inputs)]
    if name in _REDUCTIONS:
        return [_reduce(graph, _REDUCTIONS[name], inputs[0], params["axes"])]
    if any(key in params for key in _CALL_PARAMS) and name != "scan":
        return _inline(graph, eqn, inputs)
    if name == "ne":
        return [graph.node("Not", [graph.node("Equal", inputs)])]
    if name == "rsqrt":
        return [graph.node("Reciprocal", [graph.node("Sqrt", inputs)])]
    if name == "square":
        return [graph.node("Mul", [inputs[0], inputs[0]])]
    if name == "integer_pow":
        power = params["y"]
        if power == 2:
            return [graph.node("Mul", [inputs[0], inputs[0]])]
        return [graph.node("Pow", [inputs[0], _scalar(graph, power, aval)])]
    if name == "erfc":  # ONNX has Erf only
        return [graph.node("Sub", [_scalar(graph, 1, aval), graph.node("Erf", inputs)])]
    if name == "log1p":
        return [graph.node("Log", [graph.node("Add", [inputs[0], _scalar(graph, 1, aval)])])]
    if name == "expm1":
        return [graph.node("Sub", [graph.node("Exp", inputs), _scalar(graph, 1, aval)])]
    if name == "rem":
        return [graph.node("Mod", inputs, fmod=int(np.issubdtype(aval.dtype, np.floating)))]
    if name == "clamp":
        low, x, high = inputs
        return [graph.node("Max", [graph.node("Min", [x, high]), low])]
    if name == "convert_element_type":
        return [graph.node("Cast", inputs, to=_dtype(graph, params["new_dtype"]))]
    if name == "select_n":
        if len(inputs) != 3:
            raise ValueError(UNSUPPORTED_CASE.format(primitive=name, what=f"{len(inputs) - 1} cases"))
        predicate = inputs[0]
        if np.dtype(aval.dtype) != np.bool_:
            predicate = graph.node("Cast", [predicate], to=_dtype(graph, np.bool_))
        return [graph.node("Where", [predicate, inputs[2], inputs[1]])]
    if name == "dot_general":
        return _dot_general(graph, eqn, *inputs)
    if name == "conv_general_dilated":
        return _conv(graph, eqn, *inputs)
    if name == "broadcast_in_dim":
        return _broadcast_in_dim(graph, eqn, inputs[0])
    if name == "reshape":
        return _reshape(graph, eqn, inputs[0])
    if name == "transpose":
        return [graph.node("Transpose", inputs, perm=list(params["permutation"]))]
    if name == "squeeze":
        return [graph.node("Squeeze", [inputs[0], graph.ints(params["dimensions"])])]
    if name == "expand_dims":
        return [graph.node("Unsqueeze", [inputs[0], graph.ints(params["dimensions"])])]
    if name == "concatenate":
        return [graph.node("Concat", inputs, axis=params["dimension"])]
    if name == "split":
        sizes = params["sizes"]
        return graph.multi_node("Split", [inputs[0], graph.ints(sizes)], len(sizes), axis=params["axis"])
    if name == "slice":
        return _slice(graph, eqn, inputs[0])
    if name == "argmax" or name == "argmin":
        index = graph.node("ArgMax" if name == "argmax" else "ArgMin", inputs, axis=params["axes"][0], keepdims=0)
        return [graph.node("Cast", [index], to=_dtype(graph, params["index_dtype"]))]
    if name == "cumsum":
        axis = graph.const(np.asarray(params["axis"], dtype=np.int64))
        return [graph.node("CumSum", [inputs[0], axis], reverse=int(params["reverse"]))]
    if name == "scan":
        return _scan(graph, eqn, inputs)
    raise ValueError(UNSUPPORTED_PRIMITIVE.format(primitive=name))
