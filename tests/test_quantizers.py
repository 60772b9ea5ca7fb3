"""kerasx.quantizers against Keras 3's quantizers (same inputs, same backend), NumPy for the packing layout."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import ops, quantizers

keras = pytest.importorskip("keras")
BACKEND = kerasx.backend.backend()


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _keras_np(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


@pytest.mark.parametrize("axis", [-1, 0, (0, 1)])
@pytest.mark.parametrize("to_numpy", [False, True])
def test_abs_max_quantize_matches_keras(axis, to_numpy):
    x = np.random.randn(3, 4, 5).astype("float32")
    ours = quantizers.abs_max_quantize(x, axis, to_numpy=to_numpy)
    theirs = keras.quantizers.abs_max_quantize(x, axis, to_numpy=to_numpy)
    for mine, keras_value in zip(ours, theirs):
        np.testing.assert_array_equal(_np(mine), _keras_np(keras_value))
        assert _np(mine).dtype == _keras_np(keras_value).dtype


def test_abs_max_quantizer_call_config_and_errors():
    x = np.random.randn(4, 6).astype("float32")
    ours = quantizers.AbsMaxQuantizer(axis=0, value_range=(-8, 7))
    theirs = keras.quantizers.AbsMaxQuantizer(axis=0, value_range=(-8, 7))
    for mine, keras_value in zip(ours(x), theirs(x)):
        np.testing.assert_array_equal(_np(mine), _keras_np(keras_value))
    assert ours.get_config() == theirs.get_config()
    assert quantizers.AbsMaxQuantizer().get_config() == keras.quantizers.AbsMaxQuantizer().get_config()
    with pytest.raises(ValueError, match=r"AbsMaxQuantizer with output_dtype='int8' .*value_range=\(-200, 127\)"):
        quantizers.AbsMaxQuantizer(value_range=(-200, 127))


@pytest.mark.parametrize("to_numpy", [False, True])
@pytest.mark.parametrize("rows", [8, 10])
def test_grouped_quantize_with_zero_point_matches_keras(to_numpy, rows):
    x = np.random.randn(rows, 3).astype("float32")
    ours = quantizers.abs_max_quantize_grouped_with_zero_point(x, block_size=4, to_numpy=to_numpy)
    theirs = keras.quantizers.abs_max_quantize_grouped_with_zero_point(x, block_size=4, to_numpy=to_numpy)
    for mine, keras_value in zip(ours, theirs):
        support.assert_close(_np(mine), _keras_np(keras_value), rtol=1e-6, atol=1e-6)
        assert _np(mine).dtype == _keras_np(keras_value).dtype


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
@pytest.mark.parametrize("dtype", ["int8", "uint8"])
def test_pack_and_unpack_int4_match_keras_and_round_trip(axis, dtype):
    low, high = (-8, 8) if dtype == "int8" else (0, 16)
    x = np.random.randint(low, high, size=(3, 5, 2)).astype(dtype)
    packed, shape, length = quantizers.pack_int4(x, axis=axis, dtype=dtype)
    keras_packed, keras_shape, keras_length = keras.quantizers.pack_int4(x, axis=axis, dtype=dtype)
    np.testing.assert_array_equal(_np(packed), _keras_np(keras_packed))
    assert (shape, length) == (tuple(keras_shape), keras_length)
    unpacked = quantizers.unpack_int4(packed, length, axis=axis, dtype=dtype)
    np.testing.assert_array_equal(_np(unpacked), x)
    assert _np(unpacked).dtype == np.dtype(dtype)


def test_pack_int4_errors():
    with pytest.raises(ValueError, match="Received: dtype='int16'"):
        quantizers.pack_int4(np.zeros((2, 2), "int16"), dtype="int16")
    with pytest.raises(TypeError, match="Received a int32 tensor"):
        quantizers.pack_int4(np.zeros((2, 2), "int32"))


@pytest.mark.parametrize("axis", [None, -1, 1])
@pytest.mark.parametrize("narrow_range", [False, True])
def test_fake_quant_matches_keras(axis, narrow_range):
    x = (np.random.randn(4, 3) * 2).astype("float32")
    if axis is None:
        low, high = np.float32(-1.3), np.float32(2.1)
    else:
        channels = x.shape[axis]
        low = np.linspace(-1.5, -0.5, channels).astype("float32")
        high = np.linspace(0.7, 2.0, channels).astype("float32")
    ours = quantizers.fake_quant_with_min_max_vars(x, low, high, num_bits=4, narrow_range=narrow_range, axis=axis)
    theirs = keras.quantizers.fake_quant_with_min_max_vars(x, low, high, num_bits=4, narrow_range=narrow_range,
                                                           axis=axis)
    support.assert_close(_np(ours), _keras_np(theirs), rtol=1e-5, atol=1e-5)
    symbolic = quantizers.fake_quant_with_min_max_vars(ops.KerasTensor((None, 3)), low, high, axis=axis)
    assert tuple(symbolic.shape) == (None, 3)


def _gradients(library, x, low, high, upstream, axis):
    """Gradients of sum(fake_quant(x) * upstream) with respect to x, min and max, through `library`."""
    fn = library.quantizers.fake_quant_with_min_max_vars

    def objective(values):
        return library.ops.sum(library.ops.multiply(fn(values[0], values[1], values[2], axis=axis), upstream))

    if BACKEND == "jax":
        import jax

        return [np.asarray(g) for g in jax.grad(objective)([jax.numpy.asarray(v) for v in (x, low, high)])]
    if BACKEND == "torch":
        import torch

        tensors = [torch.tensor(v, requires_grad=True) for v in (x, low, high)]
        objective(tensors).backward()
        return [t.grad.numpy() for t in tensors]
    import tensorflow as tf

    tensors = [tf.constant(v) for v in (x, low, high)]
    with tf.GradientTape() as tape:
        tape.watch(tensors)
        value = objective(tensors)
    return [g.numpy() for g in tape.gradient(value, tensors)]


@pytest.mark.skipif(BACKEND == "numpy", reason="inference-only backend")
@pytest.mark.parametrize("axis", [None, 1])
def test_fake_quant_gradient_is_straight_through_as_keras(axis):
    x = np.array([[-3.0, -0.4, 0.2], [0.9, 2.5, -1.1]], "float32")
    low = np.float32(-1.0) if axis is None else np.array([-1.0, -0.5, -2.0], "float32")
    high = np.float32(1.0) if axis is None else np.array([1.0, 0.5, 2.0], "float32")
    upstream = np.random.randn(2, 3).astype("float32")
    ours = _gradients(kerasx, x, low, high, upstream, axis)
    theirs = _gradients(keras, x, low, high, upstream, axis)
    for mine, keras_value in zip(ours, theirs):
        support.assert_close(mine, keras_value, rtol=1e-6, atol=1e-6)
    nudged_low, nudged_high = np.broadcast_to(low, x.shape), np.broadcast_to(high, x.shape)
    inside = (x >= nudged_low) & (x <= nudged_high)
    support.assert_close(ours[0], np.where(inside, upstream, 0.0), rtol=1e-6, atol=1e-6)


def test_float8_helpers_match_keras():
    amax = np.array([0.0, 3.0, np.inf], "float32")
    scale = np.array([2.0, 2.0, 2.0], "float32")
    support.assert_close(_np(quantizers.compute_float8_scale(amax, scale, 448.0, margin=1)),
                         _keras_np(keras.quantizers.compute_float8_scale(amax, scale, 448.0, margin=1)))
    history = np.arange(4, dtype="float32")
    x = np.random.randn(3, 2).astype("float32")
    support.assert_close(_np(quantizers.compute_float8_amax_history(x, history)),
                         _keras_np(keras.quantizers.compute_float8_amax_history(x, keras.ops.convert_to_tensor(history))))


@pytest.mark.skipif(BACKEND == "numpy", reason="Keras 3's numpy backend has no float8 cast to compare with")
@pytest.mark.parametrize("dtype", ["float8_e4m3fn", "float8_e5m2"])
def test_quantize_and_dequantize_matches_keras(dtype):
    x = np.concatenate([np.random.randn(200) * 10, np.random.randn(50) * 1e-3, [1e6, -1e6, 0.0]]).astype("float32")
    ours = quantizers.quantize_and_dequantize(x, 0.5, dtype, "float32")
    theirs = keras.quantizers.quantize_and_dequantize(x, 0.5, dtype, "float32")
    np.testing.assert_array_equal(_np(ours), _keras_np(theirs))


CONFIGS = [
    lambda q: q.Int8QuantizationConfig(),
    lambda q: q.Int8QuantizationConfig(weight_quantizer=q.AbsMaxQuantizer(axis=0), activation_quantizer=None),
    lambda q: q.Int4QuantizationConfig(block_size=64),
    lambda q: q.Int4QuantizationConfig(weight_quantizer=q.AbsMaxQuantizer(value_range=(-8, 7)), block_size=None),
    lambda q: q.Float8QuantizationConfig(),
    lambda q: q.GPTQConfig(None, None, weight_bits=8, group_size=-1, symmetric=True),
    lambda q: q.AWQConfig(None, None, group_size=32, num_grid_points=5),
]


@pytest.mark.parametrize("make", CONFIGS)
def test_configs_serialize_as_keras_and_both_ways(make):
    ours, theirs = make(quantizers), make(keras.quantizers)
    assert ours.mode == theirs.mode
    assert ours.get_config() == keras.saving.serialize_keras_object(theirs)["config"] or _same_nested(
        ours.get_config(), keras.saving.serialize_keras_object(theirs)["config"])
    from_keras = quantizers.deserialize(
        {"class_name": type(theirs).__name__, "config": keras.saving.serialize_keras_object(theirs)["config"]})
    assert _same_nested(quantizers.serialize(from_keras)["config"], ours.get_config())
    back = keras.saving.deserialize_keras_object(
        {"module": "keras.quantizers", "class_name": type(ours).__name__, "config": _as_keras(ours.get_config()),
         "registered_name": None})
    assert back.mode == ours.mode


def _as_keras(config):
    if isinstance(config, dict) and set(config) == {"class_name", "config"}:
        return {"module": "keras.quantizers", "class_name": config["class_name"], "config": _as_keras(config["config"]),
                "registered_name": None}
    if isinstance(config, dict):
        return {k: _as_keras(v) for k, v in config.items()}
    return config


def _same_nested(ours, theirs):
    if isinstance(theirs, dict) and "module" in theirs:
        theirs = {"class_name": theirs["class_name"], "config": theirs["config"]}
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return set(ours) == set(theirs) and all(_same_nested(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, (list, tuple)) and isinstance(theirs, (list, tuple)):
        return list(ours) == list(theirs)
    return ours == theirs


def test_config_errors_name_the_argument():
    with pytest.raises(ValueError, match="block_size=0"):
        quantizers.Int4QuantizationConfig(block_size=0)
    with pytest.raises(ValueError, match=r"value_range=\(-127, 127\)"):
        quantizers.Int4QuantizationConfig(weight_quantizer=quantizers.AbsMaxQuantizer(), block_size=None)
    with pytest.raises(ValueError, match="custom quantizers"):
        quantizers.Int4QuantizationConfig(weight_quantizer=quantizers.AbsMaxQuantizer(value_range=(-8, 7)))
    with pytest.raises(ValueError, match="weight_bits=5"):
        quantizers.GPTQConfig(None, None, weight_bits=5)
    with pytest.raises(ValueError, match="weight_bits=8"):
        quantizers.AWQConfig(None, None, weight_bits=8)
    with pytest.raises(ValueError, match="output_dtype='uint8'"):
        quantizers.Int8QuantizationConfig(weight_quantizer=quantizers.AbsMaxQuantizer(output_dtype="uint8"))


def test_get_serialize_deserialize():
    assert isinstance(quantizers.get("AbsMaxQuantizer"), quantizers.AbsMaxQuantizer)
    assert quantizers.get("int8_quantization_config").mode == "int8"
    assert quantizers.get(None) is None
    quantizer = quantizers.AbsMaxQuantizer(axis=1)
    assert quantizers.get(quantizer) is quantizer
    assert quantizers.get(quantizers.serialize(quantizer)).axis == (1,)
    assert kerasx.Quantizer is quantizers.Quantizer
    with pytest.raises(ValueError, match="Could not interpret quantizer identifier: 'nope'"):
        quantizers.get("nope")
