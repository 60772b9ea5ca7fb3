"""int8 quantization of Dense, EinsumDense and Embedding (`layer.quantize`, `Model.quantize`, the
"int8_from_float32" dtype, `quantization_config`) against Keras 3: int8 weights and scales, outputs, input
gradients, configs and `.keras` files both ways."""

import numpy as np
import pytest

import kerasx
import support
from keras_layer_oracle import check_layer_against_keras
from kerasx import ops

keras = pytest.importorskip("keras")

RNG = np.random.RandomState(0)
X2 = RNG.randn(3, 4).astype("float32")
X3 = RNG.randn(2, 5, 4).astype("float32")
X4 = RNG.randn(2, 5, 2, 3).astype("float32")
IDS = RNG.randint(0, 7, size=(2, 5)).astype("int32")

CASES = [
    ("Dense", {"units": 3}, X2),
    ("Dense", {"units": 3, "use_bias": False, "activation": "relu"}, X3),
    ("EinsumDense", {"equation": "ab,bc->ac", "output_shape": 3, "bias_axes": "c"}, X2),
    ("EinsumDense", {"equation": "abc,cde->abde", "output_shape": (5, 2, 3), "bias_axes": "de"}, X3),
    ("EinsumDense", {"equation": "abc,dce->abde", "output_shape": (5, 2, 6), "bias_axes": "d"}, X3),
    ("EinsumDense", {"equation": "btnh,nhd->btd", "output_shape": (5, 4)}, X4),
    ("EinsumDense", {"equation": "abc,cd->adb", "output_shape": (3, 5)}, X3),
    ("Embedding", {"input_dim": 7, "output_dim": 3}, IDS),
]
IDS_OF = lambda v: v if isinstance(v, str) else None  # noqa: E731


def _quantized_pair(name, kwargs, inputs, config=None):
    """The same float weights in both layers, then `quantize("int8")` in each."""
    ours, theirs = getattr(kerasx.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    theirs(inputs)
    ours(inputs)
    ours.set_weights(theirs.get_weights())
    theirs.quantize("int8", config=config(keras.quantizers) if config else None)
    ours.quantize("int8", config=config(kerasx.quantizers) if config else None)
    return ours, theirs


def _keras(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


@pytest.mark.parametrize("name, kwargs, inputs", CASES, ids=IDS_OF)
def test_quantize_int8_matches_keras(name, kwargs, inputs):
    ours, theirs = _quantized_pair(name, kwargs, inputs)
    assert ours.quantization_mode == theirs.quantization_mode == "int8"
    assert [w.path.split("/")[-1] for w in ours.weights] == [w.path.split("/")[-1] for w in theirs.weights]
    assert [w.path.split("/")[-1] for w in ours.trainable_weights] == [
        w.path.split("/")[-1] for w in theirs.trainable_weights
    ]
    for got, expected in zip(ours.get_weights(), theirs.get_weights()):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        support.assert_close(got, expected, rtol=1e-6, atol=1e-6)
    support.assert_close(ours(inputs), _keras(theirs(inputs)), rtol=1e-5, atol=1e-5)
    symbolic = ours(kerasx.Input(inputs.shape[1:], dtype=str(inputs.dtype)))
    assert tuple(symbolic.shape) == tuple(theirs(keras.Input(inputs.shape[1:], dtype=str(inputs.dtype))).shape)


WEIGHT_ONLY = [
    lambda q: q.Int8QuantizationConfig(activation_quantizer=None),
    lambda q: q.Int8QuantizationConfig(activation_quantizer=q.AbsMaxQuantizer(value_range=(-64, 64))),
]


@pytest.mark.parametrize("config", WEIGHT_ONLY)
@pytest.mark.parametrize("name, kwargs, inputs", CASES[:4], ids=IDS_OF)
def test_quantize_with_config_matches_keras(name, kwargs, inputs, config):
    ours, theirs = _quantized_pair(name, kwargs, inputs, config)
    support.assert_close(ours(inputs), _keras(theirs(inputs)), rtol=1e-5, atol=1e-5)
    for got, expected in zip(ours.get_weights(), theirs.get_weights()):
        support.assert_close(got, expected, rtol=1e-6, atol=1e-6)
    # The config (quantized dtype policy, quantization_config) both ways.
    rebuilt = kerasx.layers.deserialize(keras.layers.serialize(theirs))
    assert rebuilt.quantization_mode == "int8"
    rebuilt(inputs)
    rebuilt.set_weights(theirs.get_weights())
    support.assert_close(rebuilt(inputs), _keras(theirs(inputs)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name, kwargs, inputs", CASES, ids=IDS_OF)
def test_int8_dtype_layers_through_the_oracle(name, kwargs, inputs, tmp_path):
    check_layer_against_keras(name, {**kwargs, "dtype": "int8_from_float32"}, inputs, tmp_path=tmp_path)


def _sequential(library, name, kwargs, inputs):
    return library.Sequential([library.Input(inputs.shape[1:], dtype=str(inputs.dtype)),
                               getattr(library.layers, name)(**kwargs)])


@pytest.mark.parametrize("lora", [False, True])
@pytest.mark.parametrize("name, kwargs, inputs", [CASES[0], CASES[3], CASES[7]], ids=IDS_OF)
def test_quantized_files_both_ways(name, kwargs, inputs, lora, tmp_path):
    keras_model = _sequential(keras, name, kwargs, inputs)
    model = _sequential(kerasx, name, kwargs, inputs)
    model.set_weights(keras_model.get_weights())
    keras_model.quantize("int8")
    model.quantize("int8")
    if lora:
        keras_model.layers[-1].enable_lora(2)
        model.layers[-1].enable_lora(2)
        weights = [w + RNG.randn(*w.shape).astype(w.dtype) if w.dtype.kind == "f" else w
                   for w in keras_model.get_weights()]
        keras_model.set_weights(weights)
        model.set_weights(weights)
    expected = _keras(keras_model(inputs))
    support.assert_close(model(inputs), expected, rtol=1e-5, atol=1e-5)

    keras_model.save(tmp_path / "keras.keras")
    loaded = kerasx.saving.load_model(tmp_path / "keras.keras")
    keras_loaded = keras.saving.load_model(tmp_path / "keras.keras")
    support.assert_close(loaded(inputs), _keras(keras_loaded(inputs)), rtol=1e-5, atol=1e-5)
    assert loaded.layers[-1].quantization_mode == "int8"

    model.save(tmp_path / "kerasx.keras")
    reloaded = keras.saving.load_model(tmp_path / "kerasx.keras")
    assert reloaded.layers[-1].quantization_mode == "int8"
    ours_reloaded = kerasx.saving.load_model(tmp_path / "kerasx.keras")
    support.assert_close(ours_reloaded(inputs), _keras(reloaded(inputs)), rtol=1e-5, atol=1e-5)
    for got, value in zip(ours_reloaded.get_weights(), reloaded.get_weights()):
        support.assert_close(got, value, rtol=1e-6, atol=1e-6)
    if not lora:
        support.assert_close(ours_reloaded(inputs), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.skipif(not support.TRAINS, reason="inference-only backend")
@pytest.mark.parametrize("name, kwargs, inputs", [c for c in CASES if c[0] != "Embedding"], ids=IDS_OF)
def test_input_gradients_match_keras(name, kwargs, inputs):
    ours, theirs = _quantized_pair(name, kwargs, inputs)
    projection = RNG.randn(*_keras(theirs(inputs)).shape).astype("float32")

    def objective(layer, library_ops):
        return lambda params: library_ops.sum(library_ops.multiply(layer(params[0]), projection))

    _, (grad,) = kerasx.backend.value_and_grad(objective(ours, ops))([ops.convert_to_tensor(inputs)])
    _, (keras_grad,) = kerasx.backend.value_and_grad(objective(theirs, keras.ops))(
        [keras.ops.convert_to_tensor(inputs)])
    support.assert_close(ops.convert_to_numpy(grad), _keras(keras_grad), rtol=1e-4, atol=1e-4)


@pytest.mark.skipif(not support.TRAINS, reason="inference-only backend")
def test_quantized_model_trains_its_bias():
    model = _sequential(kerasx, "Dense", {"units": 3}, X2)
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X2, np.ones((3, 3), "float32"), epochs=1, verbose=0)
    model.quantize("int8")
    kernel = ops.convert_to_numpy(model.layers[-1].kernel).copy()
    first = model.evaluate(X2, np.ones((3, 3), "float32"), verbose=0)
    model.fit(X2, np.ones((3, 3), "float32"), epochs=5, verbose=0)
    assert model.evaluate(X2, np.ones((3, 3), "float32"), verbose=0) < first
    np.testing.assert_array_equal(ops.convert_to_numpy(model.layers[-1].kernel), kernel)


def test_model_quantize_filters_and_errors():
    model = kerasx.Sequential([kerasx.Input((4,)), kerasx.layers.Dense(3, name="first"),
                               kerasx.layers.Dropout(0.1), kerasx.layers.Dense(2, name="second")])
    model.quantize("int8", filters=["first"])
    assert [layer.quantization_mode for layer in (model.layers[0], model.layers[2])] == ["int8", None]
    with pytest.raises(ValueError, match=r"Layer 'first' is already quantized with dtype_policy='int8_from_float32'"):
        model.layers[0].quantize("int8")
    with pytest.raises(ValueError, match="filters"):
        model.quantize("int8", filters=3)
    with pytest.raises(ValueError, match=r"Invalid quantization mode.*Received: mode='int3'"):
        model.layers[2].quantize("int3")
    with pytest.raises(ValueError, match=r"supports quantization modes \('int8',\).*Received: mode='float8'"):
        model.layers[2].quantize("float8")
    with pytest.raises(ValueError, match="Contradictory arguments: mode='int4'"):
        model.layers[2].quantize("int4", config=kerasx.quantizers.Int8QuantizationConfig())
    with pytest.raises(ValueError, match=r"Cannot quantize a layer that isn't yet built. Layer 'unbuilt'"):
        kerasx.layers.Dense(2, name="unbuilt").quantize("int8")

    class MyDense(kerasx.layers.Dense):
        pass

    custom = MyDense(2)
    custom.build((None, 4))
    with pytest.raises(TypeError, match="type_check=False"):
        custom.quantize("int8")
    custom.quantize("int8", type_check=False)
    assert custom.quantization_mode == "int8"
    with pytest.raises(ValueError, match=r"Layer 'ellipsis' \(EinsumDense\) cannot be quantized"):
        layer = kerasx.layers.EinsumDense("...b,bc->...c", 3, name="ellipsis")
        layer.build((None, 4))
        layer.quantize("int8")
