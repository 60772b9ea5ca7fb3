"""jax backend: the engine half of `kerasx.export` (SavedModel through jax2tf, ONNX from the jaxpr) and of
`TFSMLayer`.

An endpoint runs the kerasx function statelessly (its variables read from a `StatelessScope`), so jax2tf converts a
pure function of `(variable values, inputs)`; the artifact stores copies of the values as `tf.Variable`s and every
unknown input size stays symbolic (one `batch` symbol for all first axes). TensorFlow is needed and imported only
when exporting.
"""

from __future__ import annotations

import importlib

import jax
import numpy as np

from kerasx.backend import _saved_model
from kerasx.backend._export_spec import ExportSpec, dynamic_shape_names
from kerasx.backend._stateless import StatelessScope
from kerasx.backend.jax import _onnx_graph

TORCH_PROGRAM = (
    "format='torch' writes a torch.export program, which only the torch backend can trace. Current backend: jax. "
    "Select torch with KERAS_BACKEND=torch (move the weights with `model.save_weights` / `load_weights`), or "
    "export format='tf_saved_model'."
)


def _tf_variable(variable):
    tf = _saved_model.tensorflow()
    return tf.Variable(np.asarray(variable.value), trainable=variable.trainable, name=variable.name.replace("/", "_"))


def _tf_function(writer, fn, specs, structure, jax2tf_kwargs=None, is_static=None):
    del is_static  # every endpoint is converted as a pure function of the variable values: state never changes
    tf = writer.tf
    jax2tf = importlib.import_module("jax.experimental.jax2tf")
    variables = writer.tracked()
    tf_variables = writer.tf_variables(variables)

    def stateless(values, *flat):
        with StatelessScope(state_mapping=zip(variables, values)):
            return fn(*tf.nest.pack_sequence_as(structure, list(flat)))

    options = dict(jax2tf_kwargs or {})
    options.setdefault("polymorphic_shapes", [None, *dynamic_shape_names(specs)])
    converted = jax2tf.convert(stateless, **options)
    signature = _saved_model.nested_tensor_specs(specs, structure)
    return tf.function(
        lambda *args: converted(list(tf_variables), *tf.nest.flatten(args)), input_signature=signature,
        autograph=False,
    )


def saved_model_writer() -> _saved_model.SavedModelWriter:
    """A SavedModel writer converting endpoints with jax2tf; the artifact holds copies of the variables."""
    return _saved_model.SavedModelWriter(_tf_variable, _tf_function)


def write_onnx(fn, specs: list[ExportSpec], variables, filepath: str, opset_version=None) -> None:
    """Writes `fn` (one argument per spec) as an ONNX file, translated from its jaxpr (see `_onnx_graph`)."""
    _onnx_graph.write_onnx(fn, specs, variables, filepath, opset_version=opset_version)


def write_torch_program(fn, specs, variables, filepath: str, **kwargs) -> None:
    raise ValueError(TORCH_PROGRAM)


def call_saved_function(function, takes_keywords: bool, name: str, inputs):
    """Runs a reloaded SavedModel endpoint from jax, through a host callback so that it works under `jax.jit`."""
    tf = _saved_model.tensorflow()
    flat = jax.tree_util.tree_leaves(inputs)
    batch = flat[0].shape[0] if flat and flat[0].ndim else None
    shapes = tf.nest.map_structure(
        lambda spec: jax.ShapeDtypeStruct(spec.shape, np.dtype(spec.dtype)),
        _saved_model.output_shapes(function, takes_keywords, batch),
    )

    def host(*arrays):
        args = jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(inputs), [np.asarray(a) for a in arrays])
        result = _saved_model.call_endpoint(function, takes_keywords, name, args)
        return _saved_model.to_numpy_structure(result)

    return jax.pure_callback(host, shapes, *flat)
