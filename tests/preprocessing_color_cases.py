"""The layers, arguments and recorded outputs of `test_preprocessing_color.py`, importable without Keras 3 or
TensorFlow (its test of the engines that run without TensorFlow imports this module in a subprocess)."""

from __future__ import annotations

import numpy as np

import kerasx
from kerasx import ops

IMAGES = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
LABELS = np.eye(2, dtype="float32")

CASES = {
    "RandomContrast": {"factor": 0.5, "seed": 1},
    "RandomBrightness": {"factor": 0.2, "seed": 2},
    "RandomHue": {"factor": 0.3, "seed": 3},
    "RandomSaturation": {"factor": 0.4, "seed": 4},
    "RandomColorDegeneration": {"factor": 0.5, "seed": 5},
    "RandomGrayscale": {"factor": 0.5, "seed": 6},
    "RandomInvert": {"factor": 0.5, "seed": 7},
    "RandomPosterization": {"factor": (2, 6), "seed": 8},
    "Solarization": {"addition_factor": 0.2, "threshold_factor": (0.3, 0.6), "seed": 9},
    "RandomSharpness": {"factor": 0.4, "seed": 10},
    # A square kernel: Keras 3's own blur with a non-square one differs on tensorflow and fails on torch.
    "RandomGaussianBlur": {"factor": 0.8, "kernel_size": 5, "sigma": (0.2, 0.8), "seed": 11},
    "RandomErasing": {"factor": 0.8, "seed": 12},
    "MixUp": {"alpha": 0.3, "seed": 13},
    "CutMix": {"seed": 14},
    "RandomColorJitter": {
        "brightness_factor": 0.2, "contrast_factor": 0.3, "saturation_factor": 0.3, "hue_factor": 0.2, "seed": 15,
    },
    "RandAugment": {"seed": 16},
    "AugMix": {"seed": 17},
    "AutoContrast": {},
    "Equalization": {"bins": 16},
    "ContrastLimitedAdaptiveHistogramEqualization": {"tile_grid_size": (3, 3)},
}
# `(sum, sum * position weights)` of each layer's augmented IMAGES with the seed above, recorded on the numpy
# backend. The weights (0..1 over the flattened batch) make a permutation or a moved rectangle change the number.
FINGERPRINTS = {
    "AugMix": (41315.95541000366, 19386.985682146355),
    "AutoContrast": (51410.45838856697, 25316.376692941234),
    "ContrastLimitedAdaptiveHistogramEqualization": (51531.86266589165, 25397.60033840797),
    "CutMix": (51606.827353440225, 25417.399313899594),
    "Equalization": (49510.0, 24365.749347258483),
    "MixUp": (52261.010115504265, 26304.129098790432),
    "RandAugment": (49230.0, 24341.28459530026),
    "RandomBrightness": (46087.48586845398, 20135.958767460157),
    "RandomColorDegeneration": (51526.08619117737, 25355.229493330415),
    "RandomColorJitter": (82313.74737548828, 40966.09471721998),
    "RandomContrast": (51522.53207397461, 25335.03802587843),
    "RandomErasing": (49146.75809665769, 24852.79210946234),
    "RandomGaussianBlur": (48470.300063572824, 24601.762427141068),
    "RandomGrayscale": (52238.80954170227, 25552.215532626557),
    "RandomHue": (51481.42701333016, 25317.36854486543),
    "RandomInvert": (47826.18155618757, 24303.834213359216),
    "RandomPosterization": (50120.0, 24690.381201044387),
    "RandomSaturation": (76694.57432556152, 38062.5530029775),
    "RandomSharpness": (48443.14098739624, 24113.435103648015),
    "Solarization": (26690.65318107605, 14249.426064185001),
}


def to_numpy_tree(tree):
    if tree is None:
        return None
    return kerasx.tree.map_structure(lambda v: np.asarray(ops.convert_to_numpy(v)), tree)


def fingerprint(values) -> list:
    values = np.asarray(values, dtype="float64")
    weights = np.linspace(0.0, 1.0, values.size).reshape(values.shape)
    return [float(values.sum()), float((values * weights).sum())]


def augmented(name: str):
    return to_numpy_tree(getattr(kerasx.layers, name)(**CASES[name])(IMAGES, training=True))
