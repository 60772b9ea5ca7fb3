"""Math ops (Keras 3's keras.src.ops.math) vs NumPy/SciPy or Keras 3 on every backend: special functions, segment
reductions, in_top_k, Fourier transforms, framing and STFT, cdist, logdet; symbolic specs vs Keras 3; gradients."""

import numpy as np
import pytest
import scipy.signal
import scipy.special

import support
from keras_oracle import check_against_keras, check_spec_against_keras, keras
from kerasx import ops
from numpy_support import check_gradients, check_op, sample


def check_grads(*args, **kwargs):
    """Gradients vs finite differences, on the engines that differentiate (the numpy backend is inference only)."""
    if support.TRAINS:
        check_gradients(*args, **kwargs)


X = sample((2, 3, 4), "float32", -2, 2, seed=3)


@pytest.mark.parametrize(
    "name,reference,low,high",
    [
        ("erf", scipy.special.erf, -3, 3),
        ("erfc", scipy.special.erfc, -3, 3),
        ("erfinv", scipy.special.erfinv, -0.99, 0.99),
        ("rsqrt", lambda x: 1 / np.sqrt(x), 0.1, 4),
    ],
)
def test_special_functions(name, reference, low, high):
    x = sample((3, 4), "float32", low, high, seed=4)
    check_op(getattr(ops, name), [x], reference(x.astype("float64")).astype("float32"), dtype="float32", rtol=1e-5,
             atol=2e-6)
    check_against_keras(getattr(ops, name), getattr(keras.ops, name), x, rtol=1e-5, atol=2e-6)
    check_grads(getattr(ops, name), reference, x, rtol=2e-3, atol=2e-3)


def test_special_functions_int_inputs_give_floatx():
    for name in ("erf", "erfc", "erfinv", "rsqrt"):
        support.assert_dtype(getattr(ops, name)(np.array([0, 1], "int32")), "float32")


def test_erfinv_edges():
    result = ops.erfinv(np.array([-1.0, 1.0, 1.5], "float32"))
    np.testing.assert_array_equal(support.to_numpy(result)[:2], [-np.inf, np.inf])
    assert np.isnan(support.to_numpy(result)[2])


@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), (-1, True), ((0, 2), False)])
def test_logsumexp(axis, keepdims):
    expected = scipy.special.logsumexp(X.astype("float64"), axis=axis, keepdims=keepdims)
    check_op(ops.logsumexp, [X], expected.astype("float32"), dtype="float32", kwargs={"axis": axis,
                                                                                        "keepdims": keepdims})
    check_against_keras(ops.logsumexp, keras.ops.logsumexp, X, axis=axis, keepdims=keepdims)
    check_grads(lambda x: ops.logsumexp(x, axis=axis, keepdims=keepdims),
                    lambda x: scipy.special.logsumexp(x, axis=axis, keepdims=keepdims), X)


def test_logsumexp_is_stable_and_handles_minus_inf():
    x = np.array([[1000.0, 1000.0], [-np.inf, -np.inf]], "float32")
    support.assert_close(ops.logsumexp(x, axis=1), np.array([1000.0 + np.log(2), -np.inf]))


SEGMENT_IDS = np.array([0, 0, 3, 1, 3, 0], "int32")
DATA = sample((6, 2), "float32", -3, 3, seed=5)


def _segment_reference(reduction, data, ids, num):
    identity = {"sum": 0.0, "prod": 1.0, "max": -np.inf, "min": np.inf}[reduction]
    out = np.full((num,) + data.shape[1:], identity)
    ufunc = {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}[reduction]
    ufunc.at(out, ids, data)
    return out


@pytest.mark.parametrize("reduction", ["sum", "prod", "max", "min"])
def test_segment_reductions(reduction):
    fn = getattr(ops, f"segment_{reduction}")
    expected = _segment_reference(reduction, DATA.astype("float64"), SEGMENT_IDS, 5)
    check_op(fn, [DATA, SEGMENT_IDS], expected.astype("float32"), dtype="float32", kwargs={"num_segments": 5})
    # Keras 3's backends disagree on empty segments; its non-empty ones are the reference.
    ours = support.to_numpy(fn(DATA, SEGMENT_IDS, num_segments=4))
    theirs = np.asarray(keras.ops.convert_to_numpy(getattr(keras.ops, f"segment_{reduction}")(DATA, SEGMENT_IDS,
                                                                                              num_segments=4)))
    support.assert_close(ours[[0, 1, 3]], theirs[[0, 1, 3]])
    check_spec_against_keras(lambda d, i: fn(d, i, num_segments=4),
                             lambda d, i: getattr(keras.ops, f"segment_{reduction}")(d, i, num_segments=4),
                             DATA, SEGMENT_IDS)


def test_segment_sum_infers_num_segments_and_drops_out_of_range_ids():
    data = np.arange(5, dtype="int32")
    check_op(ops.segment_sum, [data, np.array([0, 2, 2, -1, 7], "int32")], np.array([0, 0, 3]), dtype="int32",
             kwargs={"num_segments": 3}, symbolic=False)
    support.assert_close(ops.segment_sum(data, np.array([1, 1, 0, 2, 2])), np.array([2, 1, 7]))


@support.needs_gradients
@pytest.mark.parametrize("reduction", ["sum", "prod", "max", "min"])
def test_segment_gradients(reduction):
    if reduction == "prod" and support.BACKEND == "jax":
        pytest.skip("jax differentiates scatter-multiply only for unique indices (as in Keras 3 on jax)")
    fn = getattr(ops, f"segment_{reduction}")
    # Segments 0, 1 and 3 are non-empty (2 holds the identity, +-inf for max/min).
    check_gradients(lambda d: fn(d, SEGMENT_IDS, num_segments=4)[:2],
                    lambda d: _segment_reference(reduction, d, SEGMENT_IDS, 4)[:2], DATA)


def test_segment_errors():
    with pytest.raises(ValueError, match="one id per row"):
        ops.segment_sum(np.ones((3, 2)), np.array([0, 1]))
    with pytest.raises(ValueError, match="num_segments"):
        ops.segment_sum(np.ones(3), np.array([0, 1, 1]), num_segments=0)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_in_top_k(k):
    predictions = np.array([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4], [0.2, 0.2, 0.1], [0.5, 0.5, 0.5]], "float32")
    targets = np.array([2, 1, 0, 1], "int32")
    check_against_keras(lambda t, p: ops.in_top_k(t, p, k), lambda t, p: keras.ops.in_top_k(t, p, k),
                        targets, predictions)


def test_in_top_k_nan_target_is_never_in():
    # Keras 3's torch, tensorflow and numpy backends agree; its jax backend counts NaN as the lowest score.
    predictions = np.array([[np.nan, 0.2, 0.1], [0.1, np.nan, 0.3]], "float32")
    check_op(lambda t, p: ops.in_top_k(t, p, 3), [np.array([0, 2], "int32"), predictions], np.array([False, True]),
             dtype="bool")


def _pair(rng_seed, shape):
    rng = np.random.default_rng(rng_seed)
    return rng.normal(size=shape).astype("float32"), rng.normal(size=shape).astype("float32")


@pytest.mark.parametrize("name,reference", [("fft", np.fft.fft), ("fft2", np.fft.fft2), ("ifft2", np.fft.ifft2)])
def test_complex_fourier_transforms(name, reference):
    real, imag = _pair(6, (2, 4, 6))
    expected = reference(real.astype("float64") + 1j * imag.astype("float64"))
    check_op(lambda r, i: getattr(ops, name)((r, i)), [real, imag], [expected.real, expected.imag],
             dtype="float32", rtol=1e-4, atol=1e-4)
    check_against_keras(lambda r, i: getattr(ops, name)((r, i)), lambda r, i: getattr(keras.ops, name)((r, i)),
                        real, imag, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("fft_length", [None, 5, 8, 12])
def test_rfft_irfft(fft_length):
    x = sample((3, 8), "float32", -1, 1, seed=7)
    expected = np.fft.rfft(x.astype("float64"), n=fft_length)
    check_op(lambda v: ops.rfft(v, fft_length), [x], [expected.real, expected.imag], dtype="float32", rtol=1e-4,
             atol=1e-4)
    check_against_keras(lambda v: ops.rfft(v, fft_length), lambda v: keras.ops.rfft(v, fft_length), x, rtol=1e-4,
                        atol=1e-4)
    length = fft_length or 8
    back = np.fft.irfft(expected, n=length)
    real, imag = expected.real.astype("float32"), expected.imag.astype("float32")
    check_op(lambda r, i: ops.irfft((r, i), length), [real, imag], back, dtype="float32", rtol=1e-4, atol=1e-4)
    check_against_keras(lambda r, i: ops.irfft((r, i), length), lambda r, i: keras.ops.irfft((r, i), length),
                        real, imag, rtol=1e-4, atol=1e-4)


@support.needs_gradients
def test_rfft_gradient():
    x = sample((2, 6), "float32", -1, 1, seed=8)
    check_gradients(lambda v: ops.rfft(v)[0], lambda v: np.fft.rfft(v).real, x)
    check_gradients(lambda v: ops.rfft(v)[1], lambda v: np.fft.rfft(v).imag, x)


def test_view_as_complex_and_real():
    x = sample((3, 2), "float32", seed=9)
    z = x[:, 0] + 1j * x[:, 1]
    check_op(ops.view_as_complex, [x], z.astype("complex64"), dtype="complex64")
    check_op(ops.view_as_real, [z.astype("complex64")], x, dtype="float32")
    check_against_keras(ops.view_as_complex, keras.ops.view_as_complex, x)


def test_fft_input_errors():
    with pytest.raises(ValueError, match="tuple `\\(real, imag\\)`"):
        ops.fft(np.ones(4))
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        ops.fft2((np.ones(4), np.ones(4)))


@pytest.mark.parametrize("length,stride", [(3, 1), (4, 2), (5, 3)])
def test_extract_sequences(length, stride):
    x = sample((2, 10), "float32", seed=10)
    frames = np.stack([x[:, i:i + length] for i in range(0, 10 - length + 1, stride)], axis=1)
    check_op(lambda v: ops.extract_sequences(v, length, stride), [x], frames, dtype="float32")
    check_against_keras(lambda v: ops.extract_sequences(v, length, stride),
                        lambda v: keras.ops.extract_sequences(v, length, stride), x)


STFT_CASES = [
    pytest.param(8, 4, 8, "hann", True, id="hann-center"),
    pytest.param(6, 2, 8, "hamming", False, id="hamming-padded-window"),
    pytest.param(8, 3, 8, None, True, id="rectangular"),
    pytest.param(5, 2, 6, np.linspace(0.5, 1.0, 5).astype("float32"), False, id="array-window"),
]


def _window_values(window, sequence_length, fft_length):
    if window is None:
        return np.ones(fft_length)
    values = scipy.signal.get_window(window, sequence_length) if isinstance(window, str) else np.asarray(window)
    left = (fft_length - sequence_length) // 2
    return np.pad(values.astype("float64"), (left, fft_length - sequence_length - left))


def _istft_reference(real, imag, sequence_length, stride, fft_length, window, center):
    """Keras 3's definition (its JAX and NumPy backends): SciPy's inverse STFT, rescaled as Keras rescales it."""
    win = _window_values(window, sequence_length, fft_length)
    _, x = scipy.signal.istft(real.astype("float64") + 1j * imag, fs=1.0, window=win, nperseg=fft_length,
                              noverlap=fft_length - stride, nfft=fft_length, boundary=False, time_axis=-2,
                              freq_axis=-1)
    x = x / win.sum() if window is not None else x / stride
    return x[..., fft_length // 2:-(fft_length // 2)] if center else x


@pytest.mark.filterwarnings("ignore:NOLA condition failed")
@pytest.mark.parametrize("sequence_length,stride,fft_length,window,center", STFT_CASES)
def test_stft_against_keras_and_istft_against_scipy(sequence_length, stride, fft_length, window, center):
    x = sample((2, 32), "float32", -1, 1, seed=11)
    args = (sequence_length, stride, fft_length)
    real, imag = check_against_keras(lambda v: ops.stft(v, *args, window=window, center=center),
                                     lambda v: keras.ops.stft(v, *args, window=window, center=center),
                                     x, rtol=1e-4, atol=1e-4)
    real, imag = support.to_numpy(real), support.to_numpy(imag)
    expected = _istft_reference(real, imag, *args, window, center).astype("float32")
    check_op(lambda r, i: ops.istft((r, i), *args, window=window, center=center), [real, imag], expected,
             dtype="float32", rtol=1e-4, atol=1e-4)
    if isinstance(window, str) and window == "hann":
        # Keras 3's torch and tensorflow backends normalize differently where the windows barely overlap (the
        # edges, rectangular windows); with a centred Hann window all its backends agree.
        check_against_keras(lambda r, i: ops.istft((r, i), *args, window=window, center=center),
                            lambda r, i: keras.ops.istft((r, i), *args, window=window, center=center),
                            real, imag, rtol=1e-4, atol=1e-4)


def test_stft_matches_scipy_and_istft_inverts_it():
    x = sample((32,), "float32", -1, 1, seed=12)
    window = scipy.signal.get_window("hann", 8)
    _, _, expected = scipy.signal.stft(x.astype("float64"), window=window, nperseg=8, noverlap=6, boundary=None,
                                       padded=False, detrend=False)
    real, imag = ops.stft(x, 8, 2, 8, center=False)
    support.assert_close(real, (expected * window.sum()).T.real, rtol=1e-4, atol=1e-4)
    support.assert_close(imag, (expected * window.sum()).T.imag, rtol=1e-4, atol=1e-4)
    spectrum = ops.stft(x, 8, 2, 8)
    support.assert_close(ops.istft(spectrum, 8, 2, 8, length=32), x, rtol=1e-4, atol=1e-4)


@support.needs_gradients
def test_stft_gradient():
    x = sample((16,), "float32", -1, 1, seed=13)
    window = scipy.signal.get_window("hann", 8)

    def reference(v):
        frames = np.stack([v[i:i + 8] for i in range(0, 9, 4)])
        return np.fft.rfft(frames * window).real

    check_gradients(lambda v: ops.stft(v, 8, 4, 8, center=False)[0], reference, x, rtol=1e-3, atol=1e-3)


def test_cdist():
    x, y = sample((2, 3, 4), "float32", seed=14), sample((2, 5, 4), "float32", seed=15)
    expected = np.sqrt(((x[:, :, None, :] - y[:, None, :, :]) ** 2).sum(-1))
    check_op(ops.cdist, [x, y], expected, dtype="float32", rtol=1e-5, atol=1e-5)
    check_against_keras(ops.cdist, keras.ops.cdist, x, y, rtol=1e-5, atol=1e-5)
    check_grads(ops.cdist, lambda a, b: np.sqrt(((a[:, :, None] - b[:, None]) ** 2).sum(-1)), x, y)


def test_logdet():
    a = sample((2, 3, 3), "float32", seed=16)
    spd = a @ np.swapaxes(a, -1, -2) + 3 * np.eye(3, dtype="float32")
    check_op(ops.logdet, [spd], np.log(np.linalg.det(spd.astype("float64"))).astype("float32"), dtype="float32",
             rtol=1e-5, atol=1e-5)
    check_against_keras(ops.logdet, keras.ops.logdet, spd, rtol=1e-5, atol=1e-5)
    check_grads(ops.logdet, lambda m: np.log(np.linalg.det(m)), spd, rtol=2e-3, atol=2e-3)
