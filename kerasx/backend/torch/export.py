"""torch backend: the engine half of `kerasx.export` (torch.export programs, ONNX through torch.onnx) and of
`TFSMLayer`.

The exported function runs inside a small `torch.nn.Module` that holds the variables' Parameters, so torch.export
sees them as the program's weights (not constants) and ONNX stores them as initializers. Every unknown input size is
a `torch.export.Dim`; the first axes of all inputs share the one `batch` dimension.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch.utils import _pytree

from kerasx.backend import _onnx_file, _saved_model
from kerasx.backend._export_spec import ExportSpec, example_shape
from kerasx.backend.torch.core import convert_to_tensor

SAVED_MODEL_FROM_TORCH = (
    "format='tf_saved_model' is not available on the torch backend: TensorFlow cannot run a torch program, and "
    "Keras 3's route (torch_xla's StableHLO) needs torch_xla, which is not installed with kerasx. Export "
    "format='onnx' or format='torch' instead, or select the tensorflow or jax backend for a SavedModel (same model "
    "code; move the weights with `model.save_weights` / `load_weights`)."
)


class _Program(torch.nn.Module):
    """`fn` over flat inputs, with `variables`' Parameters registered as the module's own."""

    _fn: Callable[..., Any]

    def __init__(self, fn, variables):
        super().__init__()
        self.eval()  # the kerasx function decides training itself; eval mode silences torch's export warning
        self.weights = torch.nn.ParameterList([variable.value for variable in variables])
        # A plain attribute, not a submodule: a kerasx model is not a torch module to register.
        object.__setattr__(self, "_fn", fn)

    def forward(self, *flat):
        return self._fn(*flat)


def _examples_and_dims(specs: list[ExportSpec]):
    batch = torch.export.Dim("batch")
    examples, dims = [], []
    for index, spec in enumerate(specs):
        examples.append(convert_to_tensor(np.zeros(example_shape(spec), spec.dtype)))
        dims.append({
            axis: batch if axis == 0 else torch.export.Dim(f"d{index}_{axis}")
            for axis, size in enumerate(spec.shape) if size is None
        } or None)
    return tuple(examples), tuple(dims)


def write_torch_program(fn, specs: list[ExportSpec], variables, filepath: str, **kwargs) -> None:
    """Writes `fn` as a torch.export `.pt2` program (`torch.export.load(filepath).module()(*inputs)` runs it)."""
    examples, dims = _examples_and_dims(specs)
    kwargs.setdefault("dynamic_shapes", (dims,))  # one entry: `forward(*flat)` takes its inputs as one varargs
    kwargs.setdefault("strict", False)
    program = torch.export.export(_Program(fn, variables), examples, **kwargs)
    torch.export.save(program, filepath)


def write_onnx(fn, specs: list[ExportSpec], variables, filepath: str, opset_version=None) -> None:
    """Writes `fn` as one ONNX file through torch.onnx's torch.export-based exporter (which needs onnxscript)."""
    _onnx_file.load_package("onnx", "onnx")
    _onnx_file.load_package("onnxscript", "onnxscript", " from the torch backend")
    examples, dims = _examples_and_dims(specs)
    names = [spec.name or f"input_{index}" for index, spec in enumerate(specs)]
    torch.onnx.export(
        _Program(fn, variables), examples, filepath, input_names=names, dynamic_shapes=(dims,),
        opset_version=opset_version, dynamo=True, external_data=False, verbose=False,
    )


def saved_model_writer():
    raise ValueError(SAVED_MODEL_FROM_TORCH)


def call_saved_function(function, takes_keywords: bool, name: str, inputs):
    """Runs a reloaded SavedModel endpoint on host copies of torch tensors (inference: no gradient flows back)."""
    arrays = _pytree.tree_map(lambda x: np.asarray(x.detach().cpu().numpy()), inputs)
    outputs = _saved_model.to_numpy_structure(_saved_model.call_endpoint(function, takes_keywords, name, arrays))
    return _pytree.tree_map(convert_to_tensor, outputs)
