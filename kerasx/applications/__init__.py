"""Image classification models with published ImageNet weights (Keras 3's `keras.applications`).

Each family has a module with its constructors, `preprocess_input` (the input convention its weights were
trained with) and `decode_predictions` (`kerasx.applications.vgg16`, `.resnet`, ...); the constructors are also
exported here. `weights="imagenet"` downloads the same files Keras 3 does, once, into kerasx's cache.
"""

from kerasx import _missing
from kerasx.applications import (
    convnext,
    densenet,
    efficientnet,
    efficientnet_v2,
    imagenet_utils,
    inception_resnet_v2,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    nasnet,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from kerasx.applications._vgg import VGG16, VGG19

__all__ = [
    # The family modules.
    "convnext",
    "densenet",
    "efficientnet",
    "efficientnet_v2",
    "imagenet_utils",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "nasnet",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
    # The constructors.
    "VGG16",
    "VGG19",
]

__getattr__ = _missing.missing_name_hook(__name__)
