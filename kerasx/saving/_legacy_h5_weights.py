"""Weights-only legacy HDF5 files (`.h5`, `.hdf5`): what `save_weights("w.h5")` wrote in tf.keras 2, and the
layout of the pretrained weight files of `kerasx.applications` (the files Keras's applications download).

The root (or its `model_weights` group, in a whole-model file) lists the saved layers in the attribute
`layer_names`; each layer's group lists its arrays in `weight_names`. As in Keras 3, the arrays are matched to the
model by order, not by name: the saved layers that hold arrays, in order, go to the model's layers that have
weights, in order; within a layer, trainable then non-trainable weights.
"""

from __future__ import annotations

from typing import Any

import h5py
import numpy as np

LEGACY_SUFFIXES = (".h5", ".hdf5")

LAYER_COUNT = (
    "Cannot load weights from {path!r}: the model has {expected} layers with weights but the file holds weights "
    "for {received} layers ({names}). The file was saved from another architecture; build the same model (layer "
    "for layer) before loading."
)
WEIGHT_COUNT = (
    "Cannot load weights from {path!r} into layer #{index} '{layer}' (saved as '{saved}'): the layer has "
    "{expected} weights but the file holds {received}."
)
WEIGHT_SHAPE = (
    "Cannot load weights from {path!r} into layer '{layer}' (saved as '{saved}'): variable '{variable}' has shape "
    "{expected} but the saved array '{name}' has shape {received}."
)


def _strings(values) -> list:
    return [value.decode("utf8") if isinstance(value, bytes) else str(value) for value in values]


def load_weights(model, path: str) -> None:
    """Assigns the arrays of the legacy weights file at `path` to `model`'s variables, layer by layer in order;
    nothing is assigned when any layer does not match."""
    with h5py.File(path, "r") as file:
        group: Any = file
        if "layer_names" not in group.attrs and "model_weights" in group:
            group = group["model_weights"]
        saved = []
        for name in _strings(group.attrs["layer_names"]):
            layer_group: Any = group[name]
            weight_names = _strings(layer_group.attrs.get("weight_names", []))
            if weight_names:
                saved.append((name, [(n, np.asarray(layer_group[n])) for n in weight_names]))
        layers = [layer for layer in model.layers if layer.weights]
        if len(layers) != len(saved):
            raise ValueError(LAYER_COUNT.format(path=path, expected=len(layers), received=len(saved),
                                                names=", ".join(name for name, _ in saved)))
        plan = []
        for index, (layer, (saved_name, arrays)) in enumerate(zip(layers, saved)):
            variables = list(layer.trainable_weights) + list(layer.non_trainable_weights)
            if len(variables) != len(arrays):
                raise ValueError(WEIGHT_COUNT.format(path=path, index=index, layer=layer.name, saved=saved_name,
                                                     expected=len(variables), received=len(arrays)))
            for variable, (name, array) in zip(variables, arrays):
                if tuple(array.shape) != tuple(variable.shape):
                    raise ValueError(WEIGHT_SHAPE.format(path=path, layer=layer.name, saved=saved_name,
                                                         variable=variable.path, expected=tuple(variable.shape),
                                                         name=name, received=tuple(array.shape)))
                plan.append((variable, array))
    for variable, array in plan:
        variable.assign(array)
