"""`Model.export`: one model's inference function as a TensorFlow SavedModel, an ONNX file or a torch.export
program, each written by the engine that can trace it (see `kerasx.backend.<engine>.export`)."""

from __future__ import annotations

import os

from kerasx._atomic_files import atomic_path
from kerasx.backend import _onnx_file, _tree, active, backend
from kerasx.export import _signature
from kerasx.export._archive import ExportArchive

FORMATS = ("tf_saved_model", "onnx", "openvino", "litert", "torch")
UNKNOWN_FORMAT = (
    "Unrecognized export format. Received: format={format!r}. Expected one of {formats}."
)
NOT_WRITTEN = (
    "format={format!r} is not written by kerasx: {why} Export format='onnx' (from any training backend) or "
    "'tf_saved_model' (from tensorflow or jax) and convert that artifact with the {tool}."
)
_CONVERTERS = {
    "openvino": ("the `openvino` package is not part of kerasx's extras.", "OpenVINO converter "
                 "(`openvino.convert_model(path_to_onnx)`)"),
    "litert": ("LiteRT's converter (`ai-edge-litert`) is not part of kerasx's extras.", "LiteRT converter "
               "(`tf.lite.TFLiteConverter.from_saved_model(path)`)"),
}
UNKNOWN_KEYWORDS = (
    "Model.export(format={format!r}) does not take {names}. Received: {received}. It takes: {accepted}."
)
DEFAULT_ENDPOINT = "serve"


def _check_keywords(format: str, kwargs: dict, accepted: tuple) -> None:
    unknown = sorted(set(kwargs) - set(accepted))
    if unknown:
        raise ValueError(UNKNOWN_KEYWORDS.format(format=format, names=unknown, received=kwargs,
                                                 accepted=list(accepted) or "no keyword arguments"))


def _flat_call(model, structure):
    # Engines trace a function of flat tensors; the model gets its inputs back in their nested structure.
    def call(*flat):
        return model(*_tree.pack_sequence_as(structure, list(flat)), training=False)

    return call


def export_model(model, filepath, format: str = "tf_saved_model", verbose=None, input_signature=None,
                 **kwargs) -> None:
    """Writes `model`'s inference function to `filepath` in `format` (see `kerasx.Model.export`)."""
    if format not in FORMATS:
        raise ValueError(UNKNOWN_FORMAT.format(format=format, formats=list(FORMATS)))
    if format in _CONVERTERS:
        why, tool = _CONVERTERS[format]
        raise ValueError(NOT_WRITTEN.format(format=format, why=why, tool=tool))
    if input_signature is None:
        input_signature = _signature.model_signature(model)
    structure, specs = _signature.standardize(input_signature)
    filepath = os.fspath(filepath)
    verbose = True if verbose is None else bool(verbose)
    if format == "tf_saved_model":
        _check_keywords(format, kwargs, ("jax2tf_kwargs", "is_static"))
        archive = ExportArchive()
        archive.track(model)
        archive.add_endpoint(DEFAULT_ENDPOINT, lambda *args: model(*args, training=False), structure, **kwargs)
        archive.write_out(filepath, verbose=verbose)
        return
    if format == "onnx":
        _check_keywords(format, kwargs, ("opset_version",))
        # Written beside the target and checked before it replaces it: a converter may write an invalid graph
        # without failing, and an old artifact at `filepath` stays whole when this one is refused.
        with atomic_path(filepath) as temporary:
            active.export.write_onnx(_flat_call(model, structure), specs, model.variables, temporary,
                                     opset_version=kwargs.get("opset_version"))
            _onnx_file.check_file(temporary, backend(), filepath)
    else:
        active.export.write_torch_program(_flat_call(model, structure), specs, model.variables, filepath, **kwargs)
    if verbose:
        print(f"Saved artifact at '{filepath}' ({format}, from the {backend()} backend).")
