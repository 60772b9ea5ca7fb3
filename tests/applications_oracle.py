"""`check_application`: a kerasx application constructor against Keras 3's, in one call, on the selected backend (Keras
3 runs in-process on the same engine).

    check_application("VGG16", tmp_path, include_top=False, input_shape=(32, 32, 3), pooling="avg")

builds `kerasx.applications.VGG16(weights=None, **kwargs)` and `keras.applications.VGG16(weights=None, **kwargs)`
and checks:
1. structure: the same layers in the same order, with the same class names; the same names for every layer that has
   weights (weight files are matched by them; both libraries' automatic names count from zero first) and for the
   others up to the counter Keras and kerasx add to automatic names (`input_layer_3`); the same parameter count, trainable and not; the same output shape;
2. Keras-written weights: Keras's `save_weights(tmp/keras.weights.h5)` loads into kerasx with `load_weights`, and
   predictions on the same images equal Keras's to `atol` (1e-4) and `rtol` (1e-4);
3. the ImageNet layout: a legacy HDF5 weights file with the layout of the published ImageNet files (what
   `write_imagenet_layout` writes: `layer_names`, one group per layer with `weight_names`), made from Keras's
   weights, loads through `weights=<path>` in both libraries, with equal predictions (skipped with
   `imagenet_layout=False`, for constructors whose `weights=<path>` Keras refuses).

It returns `{"keras": keras_model, "kerasx": kerasx_model, "images": images}` for further checks.

## Which tests run where (CI time is tight)
Every application test lives in `tests/applications/` (one file per family); tests/conftest.py gives each the marker
`applications`, which the normal run leaves out (`pyproject.toml` adds `-m "not applications"` to pytest's options).
The nox sessions `applications-<backend>` run them all (`nox -s applications`: on every backend); CI runs them inside
its test sessions with `--applications-share`, so that every test runs on one backend, in one of two halves that
alternate by day (see tests/conftest.py). Use the smallest `input_shape` the architecture accepts.
"""

from __future__ import annotations

import re

import h5py
import numpy as np
import pytest

import kerasx

keras = pytest.importorskip("keras")

# Automatic layer names end with a counter that depends on what each library built before.
_COUNTER = re.compile(r"_\d+$")


def _keras_predict(model, images: np.ndarray) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(model(images, training=False)))


def _kerasx_predict(model, images: np.ndarray) -> np.ndarray:
    return np.asarray(kerasx.ops.convert_to_numpy(model(images, training=False)))


def _parameter_counts(model) -> tuple:
    def count(weights):
        return int(sum(np.prod(w.shape) for w in weights))

    return model.count_params(), count(model.trainable_weights), count(model.non_trainable_weights)


def check_structure(keras_model, kerasx_model) -> None:
    """Same layers (class and name), parameter counts and output shape."""
    keras_layers = [(type(layer).__name__, layer.name, bool(layer.weights)) for layer in keras_model.layers]
    kerasx_layers = [(type(layer).__name__, layer.name, bool(layer.weights)) for layer in kerasx_model.layers]
    assert [c for c, _, _ in kerasx_layers] == [c for c, _, _ in keras_layers], "layer classes differ"
    for (_, keras_name, has_weights), (_, kerasx_name, _) in zip(keras_layers, kerasx_layers):
        if has_weights:
            assert kerasx_name == keras_name
        else:
            assert _COUNTER.sub("", kerasx_name) == _COUNTER.sub("", keras_name)
    assert kerasx_model.name == keras_model.name
    assert _parameter_counts(kerasx_model) == _parameter_counts(keras_model)
    keras_shape = [tuple(o.shape) for o in keras_model.outputs]
    assert [tuple(o.shape) for o in kerasx_model.outputs] == keras_shape


def write_imagenet_layout(keras_model, path) -> None:
    """A legacy HDF5 weights file laid out like the published ImageNet files (tf.keras 2's `save_weights("x.h5")`),
    from a Keras (or kerasx) model's weights:
    the root lists every layer in `layer_names`; each layer's group lists its arrays in `weight_names`
    (`"<layer>/<variable>:0"`, trainable then non-trainable) and holds them at those paths."""
    with h5py.File(path, "w") as file:
        # Fixed-length byte strings, as tf.keras wrote them.
        file.attrs["layer_names"] = np.array([layer.name.encode("utf8") for layer in keras_model.layers], "S")
        file.attrs["backend"] = b"tensorflow"
        file.attrs["keras_version"] = b"2.15.0"
        for layer in keras_model.layers:
            group = file.create_group(layer.name)
            names = []
            for variable in list(layer.trainable_weights) + list(layer.non_trainable_weights):
                name = f"{layer.name}/{variable.name}:0"
                names.append(name.encode("utf8"))
                group.create_dataset(name, data=np.asarray(variable.numpy()))  # a Keras or a kerasx variable
            group.attrs["weight_names"] = np.array(names, "S") if names else np.zeros((0,), "S1")


def _images(keras_model, seed: int = 0) -> np.ndarray:
    shape = tuple(keras_model.inputs[0].shape)
    shape = (2,) + tuple(32 if size is None else size for size in shape[1:])
    return np.random.RandomState(seed).uniform(-1.0, 1.0, size=shape).astype("float32")


def calm_statistics(keras_model, moving_variance: float = 1.2) -> None:
    """Sets every BatchNormalization's moving variance in `keras_model` to `moving_variance`.

    For the deepest networks on the numpy backend. There Keras 3 convolves with XLA (`jax.lax`) and kerasx with
    NumPy, and with initial weights (moving variance 1: the normalization passes its input through) EfficientNetV2L's
    1000 layers amplify float32's rounding differences ~10x every 40 layers until the outputs share nothing
    (measured: 1e-6 after 40 layers, as large as the outputs after 500). A variance a little above 1 shrinks each
    block's output, so the differences shrink too (the outputs as well, hence the tolerance relative to the outputs
    of `check_application(calm=True)`). On the other engines both libraries call the same kernels and agree with the
    initial weights."""
    for layer in keras_model.layers:
        if type(layer).__name__ == "BatchNormalization":
            layer.moving_variance.assign(np.full(layer.moving_variance.shape, moving_variance, "float32"))


def check_application(name: str, tmp_path, imagenet_layout: bool = True, atol: float = 1e-4, rtol: float = 1e-4,
                      calm: bool = False, **kwargs) -> dict:
    """Compares `kerasx.applications.<name>(weights=None, **kwargs)` with Keras 3's (see the module docstring).

    `calm=True` first gives Keras's model `calm_statistics` and compares predictions with `atol` relative to their
    largest magnitude."""
    # Some constructors (InceptionV3's convolutions, NASNet's cells) name weighted layers automatically, and the
    # weight files match layers by name: both libraries count from zero, whatever this worker built before.
    keras.backend.clear_session(free_memory=False)
    kerasx.backend.clear_session(free_memory=False)
    keras_model = getattr(keras.applications, name)(weights=None, **kwargs)
    kerasx_model = getattr(kerasx.applications, name)(weights=None, **kwargs)
    check_structure(keras_model, kerasx_model)
    if calm:
        calm_statistics(keras_model)

    images = _images(keras_model)
    expected = _keras_predict(keras_model, images)
    if calm:
        scale = float(np.max(np.abs(expected)))
        assert scale > 0.0, "calm_statistics left nothing to compare"
        atol *= scale
    weights_path = str(tmp_path / f"{name}_keras.weights.h5")
    keras_model.save_weights(weights_path)
    kerasx_model.load_weights(weights_path)
    np.testing.assert_allclose(_kerasx_predict(kerasx_model, images), expected, rtol=rtol, atol=atol)

    if imagenet_layout:
        legacy_path = str(tmp_path / f"{name}_imagenet_layout.h5")
        write_imagenet_layout(keras_model, legacy_path)
        keras_loaded = getattr(keras.applications, name)(weights=legacy_path, **kwargs)
        kerasx_loaded = getattr(kerasx.applications, name)(weights=legacy_path, **kwargs)
        np.testing.assert_allclose(_keras_predict(keras_loaded, images), expected, rtol=rtol, atol=atol)
        np.testing.assert_allclose(_kerasx_predict(kerasx_loaded, images), expected, rtol=rtol, atol=atol)
    return {"keras": keras_model, "kerasx": kerasx_model, "images": images}
