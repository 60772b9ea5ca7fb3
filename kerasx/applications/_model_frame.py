"""The frame around every application's network: the checks of `weights`/`classes`, the image input (a new
`Input` or the user's `input_tensor`), the optional global pooling of the features, and the functional model.

The networks themselves (`_inception_resnet_v2.py`, `_nasnet.py`, `_efficientnet.py`, ...) only build layers.
"""

from __future__ import annotations

import os
from typing import Any

from kerasx import layers
from kerasx.backend import is_keras_tensor
from kerasx.models import Functional
from kerasx.ops import KerasTensor

BAD_WEIGHTS = (
    "{model}: `weights` must be None (random initialization), 'imagenet' (pre-training on ImageNet) or the path "
    "to an existing weights file. Received: weights={weights!r}."
)
IMAGENET_CLASSES = (
    "{model}: the ImageNet classifier has 1000 classes, so with weights='imagenet' and include_top=True, `classes` "
    "must be 1000. Received: classes={classes}. Pass include_top=False to put your own classifier on top, or "
    "weights=None to train this one from scratch."
)
BAD_POOLING = "{model}: `pooling` must be None, 'avg' or 'max'. Received: pooling={pooling!r}."


def check_weights(model: str, weights: Any, include_top: bool, classes: int) -> None:
    """Rejects `weights` that are neither None, 'imagenet' nor an existing file, and a classifier of other than
    1000 classes on top of the ImageNet weights (the errors Keras 3 raises before building anything)."""
    is_path = isinstance(weights, (str, os.PathLike)) and weights != "imagenet" and os.path.exists(weights)
    if not (weights is None or weights == "imagenet" or is_path):
        raise ValueError(BAD_WEIGHTS.format(model=model, weights=weights))
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(IMAGENET_CLASSES.format(model=model, classes=classes))


def image_input(input_tensor: Any, input_shape: tuple) -> KerasTensor:
    """The tensor the network starts from: a new `Input`, the user's symbolic `input_tensor`, or an `Input`
    wrapping a concrete tensor the user passed."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if is_keras_tensor(input_tensor):
        return input_tensor
    return layers.Input(tensor=input_tensor, shape=input_shape)


def global_pooling(x: KerasTensor, pooling: str | None, avg_name: str | None = None,
                   max_name: str | None = None) -> KerasTensor:
    """The feature map pooled to one vector per image (`pooling="avg"` or `"max"`), or unchanged (None)."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x


def functional_model(input_tensor: Any, img_input: KerasTensor, outputs: KerasTensor, name: str) -> Functional:
    """The model from the network's first tensor (or, for a user's `input_tensor`, from the `Input`s it was
    computed from) to `outputs`."""
    inputs: Any = img_input
    if input_tensor is not None:
        inputs = source_inputs(input_tensor)
    return Functional(inputs, outputs, name=name)


def source_inputs(tensor: KerasTensor) -> list:
    """The `Input` tensors `tensor` was computed from, each once, in the order met."""
    history = tensor._history
    if history is None:
        return [tensor]
    node = history[0]
    if not node.input_tensors:
        return list(node.output_tensors)
    sources: list = []
    for parent in node.input_tensors:
        for source in source_inputs(parent):
            if all(source is not known for known in sources):
                sources.append(source)
    return sources

