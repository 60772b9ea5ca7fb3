"""Regularization layers against Keras 3: GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout1D/2D/3D and
ActivityRegularization. At inference they are the identity (checked by the shared oracle: outputs, configs, files,
gradients); while training their noise is compared with Keras's by its statistics (the generators differ), and with
the same numbers on every engine for the same seed (against the numpy backend, run in a subprocess)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import kerasx
import support
from keras_layer_oracle import check_layer_against_keras
from kerasx import layers, ops, random
from kerasx.backend import active

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
X2 = RNG.normal(size=(3, 5)).astype("float32")
X3 = RNG.normal(size=(2, 4, 3)).astype("float32")
X4 = RNG.normal(size=(2, 3, 3, 2)).astype("float32")
X5 = RNG.normal(size=(2, 2, 3, 2, 2)).astype("float32")

SELU_SATURATION = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946

INFERENCE_CASES = [
    ("GaussianNoise", {"stddev": 0.3, "seed": 1}, X2),
    ("GaussianNoise", {"stddev": 0.0}, X3),
    ("GaussianDropout", {"rate": 0.4, "seed": 2}, X3),
    ("AlphaDropout", {"rate": 0.2, "noise_shape": (None, 1, 3), "seed": 3}, X3),
    ("AlphaDropout", {"rate": 0.0}, X2),
    ("SpatialDropout1D", {"rate": 0.5, "seed": 4}, X3),
    ("SpatialDropout2D", {"rate": 0.3, "data_format": "channels_last"}, X4),
    ("SpatialDropout2D", {"rate": 0.3, "data_format": "channels_first"}, X4),
    ("SpatialDropout3D", {"rate": 0.3, "data_format": "channels_last", "seed": 5}, X5),
    ("SpatialDropout3D", {"rate": 0.3, "data_format": "channels_first"}, X5),
    ("ActivityRegularization", {"l1": 0.1, "l2": 0.01}, X3),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "inputs"), INFERENCE_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(INFERENCE_CASES)]
)
def test_identity_at_inference_matches_keras(name, kwargs, inputs, tmp_path):
    check_layer_against_keras(name, kwargs, inputs, tmp_path=tmp_path)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("GaussianNoise", {"stddev": 0.1}), ("GaussianDropout", {"rate": 0.1}), ("AlphaDropout", {"rate": 0.1}),
     ("SpatialDropout1D", {"rate": 0.1}), ("ActivityRegularization", {"l1": 0.1})],
)
def test_the_mask_passes_through_like_keras(name, kwargs):
    # Keras's `__call__` refuses `mask=` for these layers (their `call` does not take it): the mask of a tensor
    # passes through, in a model from an Embedding(mask_zero=True).
    mask = np.array([[True, True, False, False], [True, False, True, False]])
    theirs = getattr(keras.layers, name)(**kwargs).compute_mask(X3, keras.ops.convert_to_tensor(mask))
    ours = getattr(layers, name)(**kwargs).compute_mask(X3, ops.convert_to_tensor(mask))
    np.testing.assert_array_equal(support.to_numpy(ours), np.asarray(keras.ops.convert_to_numpy(theirs)))
    tokens = kerasx.Input((4,), dtype="int32")
    embedded = layers.Embedding(5, 3, mask_zero=True)(tokens)
    outputs = getattr(layers, name)(**kwargs)(embedded)
    assert outputs._keras_mask is not None and tuple(outputs._keras_mask.shape) == (None, 4)


# Training: statistics against Keras ------------------------------------------------------------------------------
def _both(name, kwargs, x, training=True):
    ours = support.to_numpy(getattr(layers, name)(**kwargs)(x, training=training))
    theirs = np.asarray(keras.ops.convert_to_numpy(getattr(keras.layers, name)(**kwargs)(x, training=training)))
    return ours, theirs


@support.needs_gradients
def test_GaussianNoise_training_noise_has_keras_statistics():
    x = RNG.normal(size=(200, 100)).astype("float32")
    ours, theirs = _both("GaussianNoise", {"stddev": 0.3, "seed": 7}, x)
    for y in (ours, theirs):
        noise = y - x
        assert abs(noise.mean()) < 0.01 and abs(noise.std() - 0.3) < 0.01
    assert abs((ours - x).std() - (theirs - x).std()) < 0.01


@support.needs_gradients
@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_GaussianDropout_training_noise_has_keras_statistics(rate):
    x = np.full((200, 100), 2.0, "float32")
    ours, theirs = _both("GaussianDropout", {"rate": rate, "seed": 7}, x)
    expected_std = math.sqrt(rate / (1 - rate))
    for y in (ours, theirs):
        factor = y / x
        assert abs(factor.mean() - 1.0) < 0.02 and abs(factor.std() - expected_std) < 0.02 * expected_std + 0.01
    assert abs((ours / x).std() - (theirs / x).std()) < 0.03


@support.needs_gradients
@pytest.mark.parametrize("rate", [0.1, 0.3])
def test_AlphaDropout_keeps_mean_and_variance_with_keras_affine_correction(rate):
    x = RNG.normal(size=(200, 100)).astype("float32")
    ours, theirs = _both("AlphaDropout", {"rate": rate, "seed": 3}, x)
    keras_values = {}
    for label, y in (("kerasx", ours), ("keras", theirs)):
        # Self-normalizing: zero mean and unit variance in, about the same out.
        assert abs(y.mean()) < 0.03 and abs(y.std() - 1.0) < 0.03, label
        values, counts = np.unique(y, return_counts=True)
        dropped_value = values[np.argmax(counts)]
        dropped = np.isclose(y, dropped_value, rtol=0, atol=1e-6)
        assert abs(dropped.mean() - rate) < 0.015, f"{label} dropped {dropped.mean()} of the entries, rate {rate}"
        # The kept entries are an affine map of the inputs: recover it.
        a, b = np.polyfit(x[~dropped], y[~dropped], 1)
        keras_values[label] = (dropped_value, a, b)
    for ours_value, keras_value in zip(keras_values["kerasx"], keras_values["keras"]):
        assert ours_value == pytest.approx(keras_value, rel=1e-5, abs=1e-6)
    a = ((1 - rate) * (1 + rate * SELU_SATURATION**2)) ** -0.5
    assert keras_values["kerasx"][1] == pytest.approx(a, rel=1e-5)


@support.needs_gradients
def test_AlphaDropout_noise_shape_drops_the_same_entries_along_axes_of_size_one():
    x = np.ones((4, 6, 5), "float32")
    layer = layers.AlphaDropout(0.5, noise_shape=(None, 1, None), seed=2)
    y = support.to_numpy(layer(x, training=True))
    assert np.all(y == y[:, :1, :])
    assert len(np.unique(y)) == 2


# 6000 (sample, channel) pairs: the dropped fraction is within 0.03 of the rate with a margin of almost 5 sigma.
SPATIAL_CASES = [
    ("SpatialDropout1D", {}, (100, 3, 60), (1,)),
    ("SpatialDropout2D", {"data_format": "channels_last"}, (100, 2, 3, 60), (1, 2)),
    ("SpatialDropout2D", {"data_format": "channels_first"}, (100, 60, 3, 2), (2, 3)),
    ("SpatialDropout3D", {"data_format": "channels_last"}, (100, 2, 2, 2, 60), (1, 2, 3)),
    ("SpatialDropout3D", {"data_format": "channels_first"}, (100, 60, 2, 2, 2), (2, 3, 4)),
]


@support.needs_gradients
@pytest.mark.parametrize(("name", "kwargs", "shape", "spatial_axes"), SPATIAL_CASES)
def test_SpatialDropout_drops_whole_channels_like_keras(name, kwargs, shape, spatial_axes):
    rate = 0.4
    x = np.ones(shape, "float32")
    ours, theirs = _both(name, {"rate": rate, "seed": 5, **kwargs}, x)
    for label, y in (("kerasx", ours), ("keras", theirs)):
        first = y[tuple(slice(0, 1) if axis in spatial_axes else slice(None) for axis in range(len(shape)))]
        assert np.all(y == first), f"{label}: a channel is not dropped as a whole"
        assert set(np.unique(y).tolist()) <= {0.0, np.float32(1 / (1 - rate))}
        assert abs((first == 0).mean() - rate) < 0.03, f"{label}: dropped {(first == 0).mean()}, rate {rate}"


@support.needs_gradients
def test_GaussianDropout_gradient_in_training_is_the_noise():
    layer = layers.GaussianDropout(0.3, seed=4)
    x = support.random_array((3, 4))
    state = [v.value for v in layer.non_trainable_variables]

    def value(inputs):
        outputs, _ = layer.stateless_call([], state, inputs, training=True)
        return ops.sum(outputs)

    noise = support.to_numpy(layer.stateless_call([], state, np.ones((3, 4), "float32"), training=True)[0])
    support.assert_close(support.grad_of(value, x)[0], noise, rtol=1e-6)


# Training: the same numbers on every engine ------------------------------------------------------------------------
SEEDED_CASES = {
    "GaussianNoise": ({"stddev": 0.5, "seed": 11}, X3),
    "GaussianDropout": ({"rate": 0.3, "seed": 12}, X3),
    "AlphaDropout": ({"rate": 0.4, "noise_shape": [None, 1, None], "seed": 13}, X3),
    "SpatialDropout1D": ({"rate": 0.5, "seed": 14}, X3),
    "SpatialDropout2D": ({"rate": 0.5, "data_format": "channels_first", "seed": 15}, X4),
    "SpatialDropout3D": ({"rate": 0.5, "seed": 16}, X5),
}

# Two training calls of each layer (its SeedGenerator advances between them), written to a .npz file.
SEEDED_PROGRAM = """
import json, sys
import numpy as np
import kerasx
cases = json.loads(sys.argv[1])
inputs = np.load(sys.argv[2])
out = {}
for name, kwargs in cases.items():
    layer = getattr(kerasx.layers, name)(**kwargs)
    for call in range(2):
        out[f"{name}-{call}"] = kerasx.ops.convert_to_numpy(layer(inputs[name], training=True))
np.savez(sys.argv[3], **out)
"""


@pytest.fixture(scope="module")
def numpy_backend_noise(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seeded")
    np.savez(folder / "inputs.npz", **{name: x for name, (_, x) in SEEDED_CASES.items()})
    cases = json.dumps({name: kwargs for name, (kwargs, _) in SEEDED_CASES.items()})
    program = folder / "program.py"
    program.write_text(SEEDED_PROGRAM)
    process = support.run_python(
        f"import runpy, sys; sys.argv = ['p', {cases!r}, {str(folder / 'inputs.npz')!r}, "
        f"{str(folder / 'out.npz')!r}]; runpy.run_path({str(program)!r})",
        folder,
        env={"KERAS_BACKEND": "numpy"},
    )
    assert process.returncode == 0, process.stderr.decode()[-2000:]
    return dict(np.load(folder / "out.npz"))


@pytest.mark.parametrize("name", sorted(SEEDED_CASES))
def test_same_seed_gives_the_same_noise_on_every_engine(name, numpy_backend_noise):
    kwargs, x = SEEDED_CASES[name]
    layer = getattr(layers, name)(**kwargs)
    first = support.to_numpy(layer(x, training=True))
    second = support.to_numpy(layer(x, training=True))
    support.assert_close(first, numpy_backend_noise[f"{name}-0"], rtol=1e-6, atol=1e-7)
    support.assert_close(second, numpy_backend_noise[f"{name}-1"], rtol=1e-6, atol=1e-7)
    assert not np.array_equal(first, second), "the layer's SeedGenerator must advance between calls"
    assert not np.array_equal(first, x)


@support.needs_gradients
def test_noise_in_a_compiled_step_matches_the_eager_noise_and_advances():
    x = ops.convert_to_tensor(X3)
    layer = layers.GaussianNoise(0.5, seed=21)
    step = active.trainer.make_step(lambda data: layer(data, training=True), layer.variables, jit_compile=False)
    first, second = support.to_numpy(step(x)), support.to_numpy(step(x))
    generator = random.SeedGenerator(21)
    # Traced, the normal transform runs on the engine: equal to the host's values to float32 rounding.
    for outputs in (first, second):
        expected = X3 + support.to_numpy(random.normal(X3.shape, stddev=0.5, seed=generator))
        support.assert_close(outputs, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(layer.seed_generator.state.numpy(), generator.state.numpy())


# ActivityRegularization: the loss --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "x"),
    [({"l1": 0.1, "l2": 0.01}, X3), ({"l1": 0.0, "l2": 0.5}, X2), ({"l1": None, "l2": 0.2}, X2[0])],
    ids=["rank3", "l2-only", "rank1-l1-None"],
)
def test_ActivityRegularization_loss_equals_keras(kwargs, x):
    ours, theirs = layers.ActivityRegularization(**kwargs), keras.layers.ActivityRegularization(**kwargs)
    support.assert_close(ours(x), x)
    theirs(x)
    assert len(ours.losses) == len(theirs.losses) == 1
    support.assert_close(ours.losses[0], np.asarray(keras.ops.convert_to_numpy(theirs.losses[0])), rtol=1e-6)


def test_activity_penalty_of_any_layer_is_divided_by_the_batch_size_as_in_keras():
    ours = layers.Dense(2, activity_regularizer="l2", kernel_initializer="ones")
    theirs = keras.layers.Dense(2, activity_regularizer="l2", kernel_initializer="ones")
    ours(X2), theirs(X2)
    support.assert_close(ours.losses[0], np.asarray(keras.ops.convert_to_numpy(theirs.losses[0])), rtol=1e-6)


@support.needs_gradients
def test_ActivityRegularization_adds_keras_loss_to_evaluate():
    def model_of(library):
        model = library.Sequential(
            [library.Input((5,)), library.layers.Dense(3), library.layers.ActivityRegularization(l1=0.05, l2=0.1)]
        )
        model.compile(loss="mse")
        return model

    theirs, ours = model_of(keras), model_of(kerasx)
    ours.set_weights([np.asarray(keras.ops.convert_to_numpy(w)) for w in theirs.get_weights()])
    y = RNG.normal(size=(3, 3)).astype("float32")
    expected = theirs.evaluate(X2, y, verbose=0)
    assert ours.evaluate(X2, y, verbose=0) == pytest.approx(expected, rel=1e-5)
    mse = float(np.mean((support.to_numpy(ours.predict(X2, verbose=0)) - y) ** 2))
    assert expected > mse + 1e-3, "the activity penalty must be part of the loss"


# Errors ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: layers.GaussianNoise(1.5), r"GaussianNoise: `stddev` must be a number between 0 and 1\. Received: stddev=1\.5"),
        (lambda: layers.GaussianNoise("0.1"), r"GaussianNoise: `stddev` .* Received: stddev='0\.1'"),
        (lambda: layers.GaussianDropout(-0.1), r"GaussianDropout: `rate` .* Received: rate=-0\.1"),
        (lambda: layers.AlphaDropout(2), r"AlphaDropout: `rate` .* Received: rate=2"),
        (lambda: layers.AlphaDropout(0.1, noise_shape=(2, 0)), r"AlphaDropout: `noise_shape` must be None or a tuple"),
        (lambda: layers.SpatialDropout1D(1.5), r"SpatialDropout1D: `rate` must be a number between 0"),
        (lambda: layers.SpatialDropout2D(0.1, data_format="nhwc"), r"SpatialDropout2D: unknown data_format"),
        (lambda: layers.ActivityRegularization(l1=-1), r"ActivityRegularization: `l1` must be a non-negative"),
    ],
    ids=["stddev", "stddev-type", "gaussian-rate", "alpha-rate", "noise-shape", "spatial-rate", "data-format", "l1"],
)
def test_bad_arguments_are_clear_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_rate_one_cannot_train_and_says_why():
    with pytest.raises(ValueError, match=r"GaussianDropout 'g' cannot add noise with rate=1"):
        layers.GaussianDropout(1.0, name="g")(X2, training=True)
    with pytest.raises(ValueError, match=r"AlphaDropout 'a' cannot add noise with rate=1"):
        layers.AlphaDropout(1.0, name="a")(X2, training=True)
    support.assert_close(layers.GaussianDropout(1.0)(X2), X2)


def test_SpatialDropout_needs_its_rank():
    with pytest.raises(ValueError, match="ndim=4"):
        layers.SpatialDropout2D(0.5)(X3)
    assert isinstance(layers.SpatialDropout1D(0.5), layers.Dropout)
