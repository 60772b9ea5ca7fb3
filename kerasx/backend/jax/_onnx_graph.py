"""ONNX from jax: a jaxpr, traced with symbolic input sizes, written out equation by equation as an ONNX graph.

Keras 3 has no ONNX route from jax that installs beside kerasx (jax2onnx pins an older orbax-checkpoint and brings
a dozen packages; tf2onnx cannot read the StableHLO that jax2tf writes today). A jaxpr is small: the models kerasx
exports use about forty primitives, each one or a few ONNX operators (`_onnx_rules`). Calls (`jit`, custom
derivatives) are inlined and `scan` loops of a known length are unrolled; every unknown input size stays dynamic in
the file, read at run time from the input's shape where an operator needs it.
"""

from __future__ import annotations

import jax
import numpy as np
from jax import export as jax_export
from jax.extend import core as jax_core

from kerasx.backend import _onnx_file
from kerasx.backend._export_spec import ExportSpec, dynamic_shape_names
from kerasx.backend._stateless import StatelessScope
from kerasx.backend.jax import _onnx_rules

DEFAULT_OPSET = 17
OLD_OPSET = (
    "ONNX export from the jax backend writes opset 13 or newer (Einsum, Split and ReduceSum with tensor inputs). "
    "Received: opset_version={opset}. Pass opset_version=13 or more, or leave it out ({default})."
)
SYMBOLIC_EXPRESSION = (
    "ONNX export from the jax backend cannot write the size {dim} (an expression of unknown input sizes) that the "
    "jax primitive '{primitive}' needs. Give the inputs fixed sizes except the batch axis in `input_signature`, or "
    "export from the torch or tensorflow backend."
)


class OnnxGraph:
    """Collects ONNX nodes and initializers while `_onnx_rules` translate a jaxpr's equations."""

    def __init__(self, onnx, opset: int):
        self.onnx = onnx
        self.opset = opset
        self.nodes: list = []
        self.initializers: list = []
        self._count = 0
        self._dims: dict = {}  # symbol name -> int64[1] tensor with its size at run time
        self._constants: dict = {}

    def fresh(self, hint: str = "t") -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def node(self, op: str, inputs: list, **attributes) -> str:
        """Adds one node with one output; returns the output's name."""
        return self.multi_node(op, inputs, 1, **attributes)[0]

    def multi_node(self, op: str, inputs: list, num_outputs: int, **attributes) -> list[str]:
        """Adds one node with `num_outputs` outputs; returns their names."""
        outputs = [self.fresh(op.lower()) for _ in range(num_outputs)]
        self.nodes.append(self.onnx.helper.make_node(op, list(inputs), outputs, **attributes))
        return outputs

    def const(self, value, dtype=None) -> str:
        """An initializer holding `value` (cached for small arrays: scalars and shapes repeat)."""
        array = np.asarray(value, dtype=dtype)
        key = (array.dtype.str, array.shape, array.tobytes()) if array.size <= 16 else None
        if key is not None and key in self._constants:
            return self._constants[key]
        name = self.fresh("const")
        self.initializers.append(self.onnx.numpy_helper.from_array(array, name))
        if key is not None:
            self._constants[key] = name
        return name

    def ints(self, values) -> str:
        return self.const(np.asarray(list(values), dtype=np.int64).reshape(-1))

    def bind_dims(self, input_name: str, shape) -> None:
        """Remembers where each unknown size of a graph input can be read at run time."""
        for axis, dim in enumerate(shape):
            if not isinstance(dim, int) and str(dim) not in self._dims:
                self._dims[str(dim)] = self.node("Shape", [input_name], start=axis, end=axis + 1)

    def dim(self, dim, primitive: str) -> str:
        """An int64[1] tensor holding the size `dim` (an int, or an unknown input size)."""
        if isinstance(dim, (int, np.integer)):
            return self.ints([int(dim)])
        if str(dim) not in self._dims:
            raise ValueError(SYMBOLIC_EXPRESSION.format(dim=dim, primitive=primitive))
        return self._dims[str(dim)]

    def shape(self, dims, primitive: str) -> str:
        """An int64 shape tensor for `dims`, built at run time when some size is unknown."""
        if all(isinstance(dim, (int, np.integer)) for dim in dims):
            return self.ints(dims)
        return self.node("Concat", [self.dim(dim, primitive) for dim in dims], axis=0)

    def inline(self, jaxpr, consts, inputs: list) -> list:
        """Translates `jaxpr` (a `ClosedJaxpr`, or a `Jaxpr` with `consts` for its constvars) on `inputs`."""
        if hasattr(jaxpr, "consts"):
            jaxpr, consts = jaxpr.jaxpr, jaxpr.consts
        env = {}
        for var, const in zip(jaxpr.constvars, consts):
            env[var] = self.const(np.asarray(const))
        for var, name in zip(jaxpr.invars, inputs):
            env[var] = name

        def read(atom):
            if isinstance(atom, jax_core.Literal):
                return self.const(np.asarray(atom.val, dtype=getattr(atom.aval, "dtype", None)))
            return env[atom]

        for eqn in _live_equations(jaxpr):
            outputs = _onnx_rules.convert(self, eqn, [read(atom) for atom in eqn.invars])
            for var, name in zip(eqn.outvars, outputs):
                env[var] = name
        return [read(atom) for atom in jaxpr.outvars]


def _live_equations(jaxpr) -> list:
    """The equations whose results reach an output, in order (a jaxpr keeps unused ones; inference has no effects
    that would need them)."""
    needed = {var for var in jaxpr.outvars if not isinstance(var, jax_core.Literal)}
    live = []
    for eqn in reversed(jaxpr.eqns):
        if any(var in needed for var in eqn.outvars if not isinstance(var, jax_core.DropVar)):
            live.append(eqn)
            needed.update(var for var in eqn.invars if not isinstance(var, jax_core.Literal))
    return live[::-1]


def _symbolic_args(specs: list[ExportSpec]) -> list:
    scope = jax_export.SymbolicScope()
    args = []
    for spec, dims in zip(specs, dynamic_shape_names(specs)):
        shape = jax_export.symbolic_shape(dims, scope=scope) if spec.shape else ()
        args.append(jax.ShapeDtypeStruct(shape, np.dtype(spec.dtype)))
    return args


def _value_info(onnx, name: str, aval):
    dims = [dim if isinstance(dim, int) else str(dim) for dim in aval.shape]
    return onnx.helper.make_tensor_value_info(name, onnx.helper.np_dtype_to_tensor_dtype(np.dtype(aval.dtype)), dims)


def write_onnx(fn, specs: list[ExportSpec], variables, filepath: str, opset_version=None) -> None:
    """Traces `fn` (one argument per spec, reading `variables`) to a jaxpr and writes it as an ONNX file."""
    onnx = _onnx_file.load_package("onnx", "onnx")
    opset = DEFAULT_OPSET if opset_version is None else int(opset_version)
    if opset < 13:
        raise ValueError(OLD_OPSET.format(opset=opset_version, default=DEFAULT_OPSET))
    variables = list(variables)

    def stateless(values, *flat):
        with StatelessScope(state_mapping=zip(variables, values)):
            return fn(*flat)

    values = [np.asarray(variable.value) for variable in variables]
    closed = jax.make_jaxpr(stateless)(
        [jax.ShapeDtypeStruct(value.shape, value.dtype) for value in values], *_symbolic_args(specs)
    )
    graph = OnnxGraph(onnx, opset)
    weight_names = [graph.const(value) for value in values]
    input_vars = closed.jaxpr.invars[len(values):]
    names = [spec.name or f"input_{index}" for index, spec in enumerate(specs)]
    for name, var in zip(names, input_vars):
        graph.bind_dims(name, var.aval.shape)
    outputs = graph.inline(closed, None, weight_names + names)
    output_names = [f"output_{index}" for index in range(len(outputs))]
    for output, name in zip(outputs, output_names):
        graph.nodes.append(onnx.helper.make_node("Identity", [output], [name]))
    onnx_graph = onnx.helper.make_graph(
        graph.nodes, "kerasx_jax", [_value_info(onnx, n, v.aval) for n, v in zip(names, input_vars)],
        [_value_info(onnx, n, v.aval) for n, v in zip(output_names, closed.jaxpr.outvars)],
        initializer=graph.initializers,
    )
    model = onnx.helper.make_model(onnx_graph, opset_imports=[onnx.helper.make_opsetid("", opset)],
                                   producer_name="kerasx")
    onnx.checker.check_model(model)
    onnx.save(model, filepath)
