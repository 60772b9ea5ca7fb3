"""TensorFlow backend: the engine half of `kerasx.export` (SavedModel, ONNX through tf2onnx) and of `TFSMLayer`.

Endpoints are traced by `tf.function` as they are: the model's variables already are `tf.Variable`s, so the artifact
shares them. ONNX converts such a `tf.function` with tf2onnx, imported on first use (the `export` extra).
"""

from __future__ import annotations

import tensorflow as tf

from kerasx.backend import _onnx_file, _saved_model
from kerasx.backend._export_spec import ExportSpec

TORCH_PROGRAM = (
    "format='torch' writes a torch.export program, which only the torch backend can trace. Current backend: "
    "tensorflow. Select torch with KERAS_BACKEND=torch (move the weights with `model.save_weights` / "
    "`load_weights`), or export format='tf_saved_model' or 'onnx'."
)


def _tf_function(writer, fn, specs, structure, **kwargs):
    del writer, kwargs  # jax2tf's keywords (`jax2tf_kwargs`, `is_static`) mean nothing here, as in Keras 3
    signature = _saved_model.nested_tensor_specs(specs, structure)
    return tf.function(lambda *args: fn(*args), input_signature=signature, autograph=False)


def saved_model_writer() -> _saved_model.SavedModelWriter:
    """A SavedModel writer whose artifact holds the model's own `tf.Variable`s."""
    return _saved_model.SavedModelWriter(lambda variable: variable._value, _tf_function)


def write_onnx(fn, specs: list[ExportSpec], variables, filepath: str, opset_version=None) -> None:
    """Writes `fn` (one argument per spec) as an ONNX file, through tf2onnx."""
    del variables  # read by the traced function itself
    tf2onnx = _onnx_file.load_package("tf2onnx", "tf2onnx", " from the tensorflow backend")
    _onnx_file.load_package("onnx", "onnx")
    flat_signature = [_saved_model.tensor_spec(spec) for spec in specs]
    function = tf.function(lambda *flat: fn(*flat), input_signature=flat_signature, autograph=False)
    tf2onnx.convert.from_function(function, input_signature=flat_signature, opset=opset_version,
                                  output_path=filepath)
    _onnx_file.replace_erfc(filepath)


def write_torch_program(fn, specs, variables, filepath: str, **kwargs) -> None:
    raise ValueError(TORCH_PROGRAM)


def call_saved_function(function, takes_keywords: bool, name: str, inputs):
    """Runs a reloaded SavedModel endpoint on TensorFlow tensors, in eager mode and inside `tf.function` alike."""
    return _saved_model.call_endpoint(function, takes_keywords, name, inputs)
