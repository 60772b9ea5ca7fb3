"""Keras 1 spellings (kerasx.legacy): each warns with its Keras 3 spelling and computes what that spelling does."""

import contextlib
import re

import numpy as np
import pytest

import kerasx.legacy
import support
from kerasx import layers, ops, regularizers
from kerasx.layers import Conv1D, Conv2D, Dense, Embedding, Input, MaxPooling1D, MaxPooling2D, merge
from kerasx.layers import Convolution1D, Convolution2D
from kerasx.models import Model


@contextlib.contextmanager
def _deprecations(*patterns):
    """Captures every DeprecationWarning of the block; each pattern must match one of them."""
    with pytest.warns(DeprecationWarning) as record:
        yield record
    messages = [str(w.message) for w in record]
    for pattern in patterns:
        assert any(re.search(pattern, m) for m in messages), (pattern, messages)


def _close(actual, expected, rtol=1e-5, atol=1e-6):
    support.assert_close(support.to_numpy(actual), support.to_numpy(expected), rtol=rtol, atol=atol)


def _copy_weights(source, target):
    target.set_weights(source.get_weights())


# merge -------------------------------------------------------------------------------------------------------------
def _np_cos(a, b):
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    b = b / np.linalg.norm(b, axis=-1, keepdims=True)
    return np.sum(a * b, axis=-1, keepdims=True)


MERGE_CASES = [
    pytest.param("concat", {"concat_axis": 1}, lambda xs: layers.concatenate(xs, axis=1),
                 lambda a, b: np.concatenate([a, b], axis=1), "concatenate", id="merge-concat"),
    pytest.param("concat", {}, lambda xs: layers.concatenate(xs),
                 lambda a, b: np.concatenate([a, b], axis=-1), "concatenate", id="merge-concat-default-axis"),
    pytest.param("sum", {}, layers.add, np.add, "add", id="merge-sum"),
    pytest.param("mul", {}, layers.multiply, np.multiply, "multiply", id="merge-mul"),
    pytest.param("ave", {}, layers.average, lambda a, b: (a + b) / 2, "average", id="merge-ave"),
    pytest.param("max", {}, layers.maximum, np.maximum, "maximum", id="merge-max"),
    pytest.param("dot", {"dot_axes": 1}, lambda xs: layers.dot(xs, axes=1),
                 lambda a, b: np.sum(a * b, axis=1, keepdims=True), "dot", id="merge-dot"),
    pytest.param("cos", {"dot_axes": 1}, lambda xs: layers.dot(xs, axes=1, normalize=True), _np_cos,
                 "normalize=True", id="merge-cos"),
]


@pytest.mark.parametrize("mode, options, modern, reference, spelling", MERGE_CASES)
def test_merge_equals_modern_function(mode, options, modern, reference, spelling):
    a = support.random_array((3, 4))
    b = support.random_array((3, 4))
    with _deprecations(rf"`merge\(inputs, mode='{mode}'.*kerasx\.layers\..*{spelling}"):
        legacy = merge([ops.convert_to_tensor(a), ops.convert_to_tensor(b)], mode=mode, **options)
    _close(legacy, modern([ops.convert_to_tensor(a), ops.convert_to_tensor(b)]))
    _close(legacy, reference(a, b), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode, options, modern, reference, spelling", MERGE_CASES)
def test_merge_symbolic_matches_modern(mode, options, modern, reference, spelling):
    x, y = Input(shape=(4,)), Input(shape=(4,))
    with pytest.deprecated_call():
        legacy = merge([x, y], mode=mode, name=f"legacy_{mode}", **options)
    expected = modern([x, y])
    assert legacy.shape == expected.shape and legacy.dtype == expected.dtype
    layer = legacy._history[0].operation
    assert layer.name == f"legacy_{mode}" and type(layer) is type(expected._history[0].operation)


def test_merge_warning_points_at_the_caller():
    x = Input(shape=(2,))
    with pytest.warns(DeprecationWarning) as record:
        merge([x, x], mode="sum")
    assert [w.filename for w in record] == [__file__]


def test_merge_errors():
    x = Input(shape=(2,))
    with pytest.raises(ValueError, match=r"merge: unknown mode. Received: mode='avg'. Expected one of"):
        merge([x, x], mode="avg")
    with pytest.raises(TypeError, match=r"`inputs` must be a list of at least two tensors. Received: inputs of type"):
        merge(x, mode="sum")


# Convolutions ------------------------------------------------------------------------------------------------------
def test_convolution2d_equals_conv2d():
    images = support.random_array((2, 3, 9, 8))  # channels first, as `dim_ordering='th'` says
    with pytest.warns(DeprecationWarning) as record:
        legacy = Convolution2D(
            5, 3, 2, border_mode="same", subsample=(2, 1), dim_ordering="th", init="he_normal",
            W_regularizer=regularizers.L2(0.1), bias=True,
        )
    messages = [str(w.message) for w in record]
    assert messages[0].startswith(
        "`Convolution2D(5, 3, 2)` is the Keras 1 spelling; use `kerasx.layers.Conv2D(5, (3, 2))`"
    )
    expected = [
        "`Conv2D(border_mode='same')` is the Keras 1 spelling; use `Conv2D(padding='same')`",
        "`Conv2D(subsample=(2, 1))` is the Keras 1 spelling; use `Conv2D(strides=(2, 1))`",
        "`Conv2D(dim_ordering='th')` is the Keras 1 spelling; use `Conv2D(data_format='channels_first')`",
        "`Conv2D(init='he_normal')` is the Keras 1 spelling; use `Conv2D(kernel_initializer='he_normal')`",
        "`Conv2D(bias=True)` is the Keras 1 spelling; use `Conv2D(use_bias=True)`",
    ]
    for prefix in expected:
        assert any(m.startswith(prefix) for m in messages), prefix
    assert any("W_regularizer" in m and "kernel_regularizer" in m for m in messages)
    assert all(w.filename == __file__ for w in record)

    modern = Conv2D(5, (3, 2), strides=(2, 1), padding="same", data_format="channels_first",
                    kernel_initializer="he_normal", kernel_regularizer=regularizers.L2(0.1))
    assert type(legacy) is Conv2D
    legacy_out = legacy(ops.convert_to_tensor(images))
    modern(ops.convert_to_tensor(images))
    _copy_weights(legacy, modern)
    _close(legacy_out, modern(ops.convert_to_tensor(images)))
    assert tuple(legacy_out.shape) == (2, 5, 5, 8)
    _close(legacy.losses[0], modern.losses[0])
    # The layer was created with Keras 3 arguments: its config has no trace of the Keras 1 names.
    config = legacy.get_config()
    assert config["padding"] == "same" and config["data_format"] == "channels_first" and "border_mode" not in config


def test_convolution2d_keras3_arguments_pass_through():
    with pytest.warns(DeprecationWarning) as record:
        legacy = Convolution2D(4, 3, 3, padding="same", activation="relu")
    assert len(record) == 1 and legacy.padding == "same" and legacy.kernel_size == (3, 3)


def test_convolution1d_equals_conv1d():
    sequences = support.random_array((2, 10, 3))
    with _deprecations(r"use `kerasx.layers.Conv1D\(6, 4\)`"):
        legacy = Convolution1D(6, 4, subsample_length=2, border_mode="valid", input_dim=3, input_length=10)
    modern = Conv1D(6, 4, strides=2, padding="valid", input_shape=(10, 3))
    assert legacy._batch_input_shape == modern._batch_input_shape == (None, 10, 3)
    legacy(ops.convert_to_tensor(sequences))
    modern(ops.convert_to_tensor(sequences))
    _copy_weights(legacy, modern)
    _close(legacy(ops.convert_to_tensor(sequences)), modern(ops.convert_to_tensor(sequences)))


def test_convolution1d_keyword_spelling():
    with pytest.deprecated_call():
        layer = Conv1D(nb_filter=3, filter_length=2)
    assert layer.filters == 3 and layer.kernel_size == (2,)


# Other layers ------------------------------------------------------------------------------------------------------
def test_dense_output_dim_and_init():
    x = support.random_array((4, 3))
    with _deprecations(r"`Dense\(output_dim=7\)` is the Keras 1 spelling; use `Dense\(units=7\)`"):
        legacy = Dense(output_dim=7, init="uniform", b_regularizer=regularizers.L1(0.5))
    modern = Dense(7, kernel_initializer="random_uniform", bias_regularizer=regularizers.L1(0.5))
    legacy(ops.convert_to_tensor(x))
    modern(ops.convert_to_tensor(x))
    # Keras 1 "uniform" is U(-0.05, 0.05), Keras 3's "random_uniform".
    kernel = support.to_numpy(legacy.kernel)
    assert np.all(np.abs(kernel) <= 0.05) and kernel.std() > 0
    assert type(legacy.kernel_initializer) is type(modern.kernel_initializer)
    _copy_weights(legacy, modern)
    _close(legacy(ops.convert_to_tensor(x)), modern(ops.convert_to_tensor(x)))
    _close(legacy.losses[0], modern.losses[0])


@pytest.mark.parametrize(
    "legacy_kwargs, modern_kwargs",
    [
        pytest.param({"border_mode": "same", "dim_ordering": "th"},
                     {"padding": "same", "data_format": "channels_first"}, id="MaxPooling2D-th"),
        pytest.param({"border_mode": "valid", "dim_ordering": "tf"},
                     {"padding": "valid", "data_format": "channels_last"}, id="MaxPooling2D-tf"),
    ],
)
def test_max_pooling2d_arguments(legacy_kwargs, modern_kwargs):
    images = support.random_array((2, 3, 7, 6))
    with _deprecations(r"`MaxPooling2D\(border_mode="):
        legacy = MaxPooling2D((3, 3), strides=(1, 1), **legacy_kwargs)
    modern = MaxPooling2D((3, 3), strides=(1, 1), **modern_kwargs)
    _close(legacy(ops.convert_to_tensor(images)), modern(ops.convert_to_tensor(images)))


def test_max_pooling1d_pool_length_and_stride():
    sequences = support.random_array((2, 9, 3))
    with _deprecations(r"`MaxPooling1D\(pool_length=3\)`.*`MaxPooling1D\(pool_size=3\)`"):
        legacy = MaxPooling1D(pool_length=3, stride=2)
    _close(legacy(ops.convert_to_tensor(sequences)), MaxPooling1D(3, 2)(ops.convert_to_tensor(sequences)))


def test_embedding_init_and_regularizer():
    ids = np.array([[1, 2, 0], [3, 3, 1]], dtype="int32")
    with _deprecations(r"use `Embedding\(embeddings_regularizer="):
        legacy = Embedding(5, 4, init="normal", W_regularizer=regularizers.L2(0.01))
    modern = Embedding(5, 4, embeddings_initializer="random_normal", embeddings_regularizer=regularizers.L2(0.01))
    legacy(ids), modern(ids)
    _copy_weights(legacy, modern)
    _close(legacy(ids), modern(ids))
    _close(legacy.losses[0], modern.losses[0])


def test_layer_argument_errors():
    with pytest.raises(TypeError, match=r"both the Keras 1 argument `border_mode` and its Keras 3 spelling `padding`"):
        Conv2D(2, 3, border_mode="same", padding="valid")
    with pytest.raises(ValueError, match=r"unknown Keras 1 `dim_ordering`. Received: dim_ordering='nchw'"):
        MaxPooling2D(dim_ordering="nchw")


# Models ------------------------------------------------------------------------------------------------------------
def _mlp():
    inputs = Input(shape=(4,))
    outputs = Dense(3, activation="softmax")(Dense(5, activation="relu")(inputs))
    return inputs, outputs


def test_model_input_output_keywords():
    inputs, outputs = _mlp()
    with pytest.warns(DeprecationWarning) as record:
        legacy = Model(input=inputs, output=outputs)
    assert [str(w.message) for w in record] == [
        "`Model(input=...)` is the Keras 1 spelling; use `Model(inputs=...)` (or `Model(inputs, outputs)`) instead.",
        "`Model(output=...)` is the Keras 1 spelling; use `Model(outputs=...)` (or `Model(inputs, outputs)`) instead.",
    ]
    modern = Model(inputs, outputs)
    assert type(legacy) is type(modern)
    assert all(a is b for a, b in zip(legacy.weights, modern.weights))
    x = support.random_array((2, 4))
    _close(legacy(ops.convert_to_tensor(x)), modern(ops.convert_to_tensor(x)))


def test_model_input_output_lists():
    a, b = Input(shape=(2,)), Input(shape=(3,))
    with pytest.deprecated_call():
        model = Model(input=[a, b], output=[Dense(1)(a), Dense(2)(b)])
    assert model.output_shape == [(None, 1), (None, 2)]


def test_model_both_spellings_rejected():
    inputs, outputs = _mlp()
    with pytest.raises(TypeError, match=r"both the Keras 1 argument `input` and its Keras 3 spelling `inputs`"):
        Model(input=inputs, inputs=inputs, outputs=outputs)


def _fit_twice(legacy: bool):
    inputs, outputs = _mlp()
    model = Model(inputs, outputs)
    model.set_weights([np.full(w.shape, 0.1 * (i + 1), dtype="float32") for i, w in enumerate(model.get_weights())])
    # Eager steps: the translation happens before any step runs, and no compilation keeps the test fast.
    model.compile(optimizer="sgd", loss="categorical_crossentropy", run_eagerly=True)
    x = np.linspace(-1, 1, 32, dtype="float32").reshape(8, 4)
    y = np.eye(3, dtype="float32")[np.arange(8) % 3]
    if legacy:
        with _deprecations(r"`fit\(nb_epoch=2\)` is the Keras 1 spelling; use `fit\(epochs=2\)`"):
            history = model.fit(x, y, nb_epoch=2, batch_size=4, shuffle=False, verbose=0)
    else:
        history = model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    return model, history


@support.needs_gradients
def test_fit_nb_epoch_equals_epochs():
    legacy, legacy_history = _fit_twice(legacy=True)
    modern, modern_history = _fit_twice(legacy=False)
    assert len(legacy_history.history["loss"]) == 2
    _close(np.array(legacy_history.history["loss"]), np.array(modern_history.history["loss"]))
    for a, b in zip(legacy.get_weights(), modern.get_weights()):
        _close(a, b)


def test_fit_nb_epoch_with_epochs_rejected():
    inputs, outputs = _mlp()
    model = Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(TypeError, match=r"fit\(\) received both the Keras 1 argument `nb_epoch`"):
        model.fit(np.ones((2, 4)), np.ones((2, 3)), nb_epoch=2, epochs=3, verbose=0)
    with pytest.raises(TypeError, match=r"fit\(\) got unexpected keyword arguments \['nb_epochs'\]"):
        model.fit(np.ones((2, 4)), np.ones((2, 3)), nb_epochs=2, verbose=0)


def test_legacy_names_exported():
    assert kerasx.legacy.merge is merge and kerasx.legacy.Convolution2D is Convolution2D
    assert {"merge", "Convolution1D", "Convolution2D"} <= set(layers.__all__)


def test_import_order_legacy_first(tmp_path):
    # kerasx.legacy imported before kerasx.layers still exports `merge` from both and registers the translators.
    code = (
        "import kerasx.legacy, warnings\n"
        "from kerasx.layers import merge, Dense\n"
        "from kerasx.models import Model\n"
        "assert merge is kerasx.legacy.merge\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    Dense(output_dim=2)\n"
        "print(len(w))\n"
    )
    # The import order is the same on every engine: checked on the one that starts fastest.
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": "numpy"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
