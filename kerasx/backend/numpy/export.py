"""numpy backend: the engine half of `TFSMLayer` (a reloaded SavedModel runs on NumPy arrays). The numpy backend
traces nothing, so it writes no artifact."""

from __future__ import annotations

from kerasx.backend import _saved_model

NO_TRACING = (
    "The numpy backend is a reference interpreter: it cannot trace a model, so it writes no {what}. Export from "
    "the jax, tensorflow or torch backend (same model code; move the weights with `model.save_weights` / "
    "`load_weights`)."
)


def saved_model_writer():
    raise ValueError(NO_TRACING.format(what="SavedModel"))


def write_onnx(fn, specs, variables, filepath: str, opset_version=None) -> None:
    raise ValueError(NO_TRACING.format(what="ONNX file"))


def write_torch_program(fn, specs, variables, filepath: str, **kwargs) -> None:
    raise ValueError(NO_TRACING.format(what="torch.export program"))


def call_saved_function(function, takes_keywords: bool, name: str, inputs):
    """Runs a reloaded SavedModel endpoint on NumPy arrays."""
    outputs = _saved_model.call_endpoint(function, takes_keywords, name, inputs)
    return _saved_model.to_numpy_structure(outputs)
