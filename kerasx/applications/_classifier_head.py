"""The end of the image classifiers that finish with a global average pooling and a `Dense` classifier (ResNet,
DenseNet, MobileNetV2, Xception, InceptionV3), or, without the classifier, with the optional global pooling.

Which of these layers Keras 3 names (and how) differs by family; the names matter to `by_name` weight loading, so
each family passes its own.
"""

from __future__ import annotations

from typing import Any

from kerasx import layers
from kerasx.applications import _imagenet_utils
from kerasx.ops import KerasTensor


def dense_classifier(x: KerasTensor, include_top: bool, pooling: str | None, classes: int,
                     classifier_activation: Any, weights: Any, top_pool_name: str | None = "avg_pool",
                     avg_name: str | None = "avg_pool", max_name: str | None = "max_pool") -> KerasTensor:
    """With `include_top`, the global average pooling (`top_pool_name`) and the `classes`-way "predictions"
    layer; otherwise the features pooled by `pooling` ("avg" -> `avg_name`, "max" -> `max_name`) or unchanged."""
    if include_top:
        x = layers.GlobalAveragePooling2D(name=top_pool_name)(x)
        _imagenet_utils.validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    return x
