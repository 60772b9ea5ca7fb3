"""One case per Keras 3 preprocessing layer: how to make it (from `kerasx.layers` or `keras.layers`), what to adapt
it on and what to call it on. Importable without Keras 3 or TensorFlow: `test_preprocessing_without_tensorflow.py`
runs every case in a subprocess that hides TensorFlow."""

from __future__ import annotations

import numpy as np

from preprocessing_color_cases import CASES as COLOUR_CASES

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (2, 8, 8, 3)).astype("float32")
NUMBERS = RNG.normal(size=(6, 2)).astype("float32")
INTEGERS = np.array([[3, 5, 5], [7, 7, 9]], dtype="int64")
WORDS = np.array([["cat", "dog"], ["bird", "cat"], ["cat", "fish"]])
DOCS = np.array(["the cat sat", "the dog ran far", "a cat and a dog"])
SIGNALS = RNG.normal(size=(2, 400)).astype("float32")
BOXES = {"boxes": RNG.uniform(0, 8, (2, 2, 4)).astype("float32"), "labels": np.array([[1, 2], [3, 4]])}


def _image_case(name: str, **kwargs):
    return lambda layers: (getattr(layers, name)(**kwargs), IMAGES)


def _adapted(layer, data):
    layer.adapt(data)
    return layer


# name -> function(layers namespace) -> (layer, inputs); layers are called as they are (the random ones train).
CASES = {
    **{name: _image_case(name, **kwargs) for name, kwargs in COLOUR_CASES.items()},
    "RandomFlip": _image_case("RandomFlip", seed=1),
    "RandomRotation": _image_case("RandomRotation", factor=0.2, seed=2),
    "RandomZoom": _image_case("RandomZoom", height_factor=0.2, seed=3),
    "RandomTranslation": _image_case("RandomTranslation", height_factor=0.2, width_factor=0.2, seed=4),
    "RandomShear": _image_case("RandomShear", x_factor=0.3, seed=5),
    "RandomCrop": _image_case("RandomCrop", height=4, width=5, seed=6),
    "RandomPerspective": _image_case("RandomPerspective", scale=0.5, seed=7),
    "RandomElasticTransform": _image_case("RandomElasticTransform", seed=8),
    "Rescaling": _image_case("Rescaling", scale=1 / 255.0, offset=-0.5),
    "Resizing": _image_case("Resizing", height=4, width=5),
    "CenterCrop": _image_case("CenterCrop", height=4, width=5),
    "Pipeline": lambda layers: (
        layers.Pipeline([layers.Rescaling(0.5), layers.CenterCrop(6, 6), layers.Resizing(3, 4)]), IMAGES
    ),
    "MaxNumBoundingBoxes": lambda layers: (
        layers.MaxNumBoundingBoxes(3, bounding_box_format="xyxy"),
        {"images": IMAGES, "bounding_boxes": dict(BOXES)},
    ),
    "Normalization": lambda layers: (_adapted(layers.Normalization(), NUMBERS), NUMBERS),
    "Discretization": lambda layers: (_adapted(layers.Discretization(num_bins=3), NUMBERS), NUMBERS),
    "CategoryEncoding": lambda layers: (layers.CategoryEncoding(num_tokens=10, output_mode="count"), INTEGERS),
    "Hashing": lambda layers: (layers.Hashing(num_bins=8, salt=3), WORDS),
    "HashedCrossing": lambda layers: (layers.HashedCrossing(num_bins=8), (WORDS[:, 0], np.arange(3))),
    "IntegerLookup": lambda layers: (
        _adapted(layers.IntegerLookup(output_mode="multi_hot"), INTEGERS), INTEGERS
    ),
    "StringLookup": lambda layers: (_adapted(layers.StringLookup(num_oov_indices=2), WORDS), WORDS[:, ::-1]),
    "TextVectorization": lambda layers: (
        _adapted(layers.TextVectorization(ngrams=2, output_sequence_length=6), DOCS), DOCS
    ),
    "STFTSpectrogram": lambda layers: (
        layers.STFTSpectrogram(mode="log", frame_length=64, frame_step=16, fft_length=64), SIGNALS[..., None]
    ),
    "MelSpectrogram": lambda layers: (
        layers.MelSpectrogram(fft_length=64, sequence_stride=16, sequence_length=64, num_mel_bins=8,
                              sampling_rate=8000),
        SIGNALS,
    ),
}

# Layers whose training output depends on their draws: kerasx's equals itself across engines and processes for a
# seed; Keras 3's draws are its own, so only its shapes and dtypes are compared.
RANDOM = {
    name for name in CASES
    if name.startswith("Random") or name in ("AugMix", "CutMix", "MixUp", "RandAugment", "Solarization")
}


def outputs(layers, to_numpy, names=None) -> dict:
    """{"<layer name>.<i>": the i-th output array of the layer's case} for the cases `names` (default all), built
    from `layers`; a layer that raises gives {"<layer name>.error": its message}."""
    results = {}
    for name in sorted(CASES if names is None else names):
        try:
            layer, inputs = CASES[name](layers)
            values = layer(inputs)
        except Exception as error:  # noqa: BLE001 - every failure is reported by the test, with its message
            results[f"{name}.error"] = f"{type(error).__name__}: {error}"
            continue
        for i, value in enumerate(_leaves(values)):
            results[f"{name}.{i}"] = np.asarray(to_numpy(value))
    return results


def _leaves(values) -> list:
    if isinstance(values, dict):
        return [leaf for key in sorted(values) for leaf in _leaves(values[key])]
    if isinstance(values, (list, tuple)):
        return [leaf for value in values for leaf in _leaves(value)]
    return [values]
