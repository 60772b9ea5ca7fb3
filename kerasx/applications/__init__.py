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
from kerasx.applications._convnext import ConvNeXtBase, ConvNeXtLarge, ConvNeXtSmall, ConvNeXtTiny, ConvNeXtXLarge
from kerasx.applications._densenet import DenseNet121, DenseNet169, DenseNet201
from kerasx.applications._efficientnet import (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from kerasx.applications._efficientnet_v2 import (
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from kerasx.applications._inception_resnet_v2 import InceptionResNetV2
from kerasx.applications._inception_v3 import InceptionV3
from kerasx.applications._mobilenet import MobileNet
from kerasx.applications._mobilenet_v2 import MobileNetV2
from kerasx.applications._mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from kerasx.applications._nasnet import NASNetLarge, NASNetMobile
from kerasx.applications._resnet import ResNet50, ResNet50V2, ResNet101, ResNet101V2, ResNet152, ResNet152V2
from kerasx.applications._vgg import VGG16, VGG19
from kerasx.applications._xception import Xception

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
    # ResNet, DenseNet, MobileNet V1-V3, Xception, InceptionV3.
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
    "InceptionV3",
    "MobileNet",
    "MobileNetV2",
    "MobileNetV3Large",
    "MobileNetV3Small",
    "ResNet101",
    "ResNet101V2",
    "ResNet152",
    "ResNet152V2",
    "ResNet50",
    "ResNet50V2",
    "Xception",
    "VGG16",
    "VGG19",
    # EfficientNet, EfficientNetV2, ConvNeXt, InceptionResNetV2, NASNet.
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "InceptionResNetV2",
    "NASNetLarge",
    "NASNetMobile",
]

__getattr__ = _missing.missing_name_hook(__name__)
