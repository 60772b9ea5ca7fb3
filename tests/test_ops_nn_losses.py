"""One-hot encodings and cross-entropy losses against NumPy (Keras semantics: clipped probabilities)."""

import numpy as np
import pytest

import nn_support
import support
from kerasx import backend, ops

EPSILON = 1e-7


def rand(shape, seed=0, low=0.05, high=0.95):
    return support.random_array(shape, "float32", low, high, np.random.default_rng(seed))


def np_one_hot(x, num_classes, axis=-1):
    x = np.asarray(x)
    out = np.zeros(x.shape + (num_classes,))
    for index in np.ndindex(*x.shape):
        if 0 <= x[index] < num_classes:
            out[index + (int(x[index]),)] = 1.0
    return np.moveaxis(out, -1, axis)


def np_binary_crossentropy(target, output, from_logits=False):
    p = 1 / (1 + np.exp(-output)) if from_logits else np.clip(output, EPSILON, 1 - EPSILON)
    return -(target * np.log(p) + (1 - target) * np.log(1 - p))


def np_log_softmax(logits, axis):
    shifted = logits - np.max(logits, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def np_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if from_logits:
        log_p = np_log_softmax(output, axis)
    else:
        log_p = np.log(np.clip(output / np.sum(output, axis=axis, keepdims=True), EPSILON, 1 - EPSILON))
    return -np.sum(target * log_p, axis=axis)


def np_sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = np.asarray(target)
    if target.ndim == output.ndim:
        target = target[..., 0]
    return np_categorical_crossentropy(np_one_hot(target, output.shape[axis], axis), output, from_logits, axis)


LABELS = np.array([[0, 3, 1], [2, -1, 4]], "int32")  # -1 and 4 are outside 4 classes: all-zero rows


@pytest.mark.parametrize(
    "axis, dtype",
    [
        pytest.param(-1, None, id="one_hot-last"),
        pytest.param(0, "float32", id="one_hot-axis0"),
        pytest.param(1, "int32", id="one_hot-axis1-int32"),
    ],
)
def test_one_hot(axis, dtype):
    out = ops.one_hot(LABELS, 4, axis=axis, dtype=dtype)
    symbolic = ops.one_hot(ops.KerasTensor((None, 3), "int32"), 4, axis=axis, dtype=dtype)
    assert symbolic.shape == tuple(None if d == 2 else d for d in ops.shape(out))
    assert symbolic.dtype == ops.dtype(out)
    support.assert_dtype(out, dtype or backend.floatx())
    support.assert_close(out, np_one_hot(LABELS, 4, axis))


def test_one_hot_casts_float_labels():
    support.assert_close(ops.one_hot(np.array([2.0, 0.0], "float32"), 3), np_one_hot([2, 0], 3))


@pytest.mark.parametrize(
    "labels, expected",
    [
        pytest.param(np.array([1, 3, 1], "int32"), [0, 1, 0, 1], id="multi_hot-1d"),
        pytest.param(np.array([[0, 0, 2], [3, 1, 2]], "int32"), [[1, 0, 1, 0], [0, 1, 1, 1]], id="multi_hot-2d"),
    ],
)
def test_multi_hot(labels, expected):
    out = support.check_symbolic(lambda x: ops.multi_hot(x, 4), labels)
    support.assert_dtype(out, backend.floatx())
    support.assert_close(out, np.array(expected, np.float64))


def test_multi_hot_dtype():
    support.assert_dtype(ops.multi_hot(np.array([0, 2], "int32"), 3, dtype="int32"), "int32")


@pytest.mark.parametrize(
    "from_logits",
    [pytest.param(False, id="binary_crossentropy-probabilities"), pytest.param(True, id="binary_crossentropy-logits")],
)
def test_binary_crossentropy(from_logits):
    target = rand((3, 4), 1, 0.0, 1.0)
    output = rand((3, 4), 2, -3.0, 3.0) if from_logits else rand((3, 4), 2)
    out = support.check_symbolic(lambda t, o: ops.binary_crossentropy(t, o, from_logits), target, output)
    support.assert_dtype(out, "float32")
    support.assert_close(out, np_binary_crossentropy(target * 1.0, output * 1.0, from_logits), rtol=1e-5, atol=1e-6)


def test_binary_crossentropy_clips_certain_probabilities():
    target = np.array([1.0, 0.0, 1.0, 0.0], np.float32)
    output = np.array([0.0, 1.0, 1.0, 0.0], np.float32)
    out = ops.binary_crossentropy(target, output)
    support.assert_close(out, np_binary_crossentropy(target * 1.0, output * 1.0), rtol=1e-3)
    assert np.all(np.isfinite(support.to_numpy(out)))


def test_binary_crossentropy_int_targets():
    out = ops.binary_crossentropy(np.array([1, 0], "int32"), np.array([0.8, 0.3], "float32"))
    support.assert_dtype(out, "float32")
    support.assert_close(out, [-np.log(0.8), -np.log(0.7)], rtol=1e-6)


CATEGORICAL_CASES = [
    pytest.param((3, 5), -1, False, id="categorical_crossentropy-probabilities"),
    pytest.param((3, 5), -1, True, id="categorical_crossentropy-logits"),
    pytest.param((2, 4, 3), 1, False, id="categorical_crossentropy-axis1"),
    pytest.param((2, 4, 3), 1, True, id="categorical_crossentropy-axis1-logits"),
]


@pytest.mark.parametrize("shape, axis, from_logits", CATEGORICAL_CASES)
def test_categorical_crossentropy(shape, axis, from_logits):
    target = np_one_hot(np.random.default_rng(3).integers(0, shape[axis], np.delete(shape, axis)), shape[axis], axis)
    target = (0.8 * target + 0.2 / shape[axis]).astype("float32")  # soft labels
    # Probabilities that do not sum to 1: the loss renormalizes them first.
    output = rand(shape, 4, -3.0, 3.0) if from_logits else rand(shape, 4)
    out = support.check_symbolic(lambda t, o: ops.categorical_crossentropy(t, o, from_logits, axis), target, output)
    support.assert_dtype(out, "float32")
    expected = np_categorical_crossentropy(target * 1.0, output * 1.0, from_logits, axis)
    support.assert_close(out, expected, rtol=1e-5, atol=1e-6)


SPARSE_CASES = [
    pytest.param(np.array([0, 4, 2], "int32"), (3, 5), -1, False, id="sparse_categorical_crossentropy-probabilities"),
    pytest.param(np.array([0, 4, 2], "int32"), (3, 5), -1, True, id="sparse_categorical_crossentropy-logits"),
    pytest.param(
        np.array([[1], [3], [0]], "int32"), (3, 5), -1, False, id="sparse_categorical_crossentropy-trailing_1"
    ),
    pytest.param(
        np.array([[0, 2, 1], [1, 1, 0]], "int32"), (2, 3, 3), 1, True, id="sparse_categorical_crossentropy-axis1"
    ),
    pytest.param(np.array([0, 7], "int32"), (2, 5), -1, False, id="sparse_categorical_crossentropy-out_of_range"),
]


@pytest.mark.parametrize("target, shape, axis, from_logits", SPARSE_CASES)
def test_sparse_categorical_crossentropy(target, shape, axis, from_logits):
    output = rand(shape, 5, -3.0, 3.0) if from_logits else rand(shape, 5)
    out = ops.sparse_categorical_crossentropy(target, output, from_logits, axis)
    symbolic = ops.sparse_categorical_crossentropy(target, ops.KerasTensor((None, *shape[1:])), from_logits, axis)
    assert symbolic.shape == (None, *tuple(ops.shape(out))[1:]) and symbolic.dtype == "float32"
    support.assert_dtype(out, "float32")
    expected = np_sparse_categorical_crossentropy(target, output * 1.0, from_logits, axis)
    support.assert_close(out, expected, rtol=1e-5, atol=1e-6)


@support.needs_gradients
@pytest.mark.parametrize(
    "from_logits",
    [pytest.param(False, id="binary_crossentropy-grad"), pytest.param(True, id="binary_crossentropy-logits-grad")],
)
def test_binary_crossentropy_gradient(from_logits):
    target = rand((2, 3), 6, 0.0, 1.0)
    output = rand((2, 3), 7, -3.0, 3.0) if from_logits else rand((2, 3), 7)
    nn_support.check_gradients(
        lambda t, o: ops.binary_crossentropy(t, o, from_logits),
        lambda t, o: np_binary_crossentropy(t, o, from_logits),
        target,
        output,
    )


@support.needs_gradients
@pytest.mark.parametrize("shape, axis, from_logits", CATEGORICAL_CASES[:2] + CATEGORICAL_CASES[3:])
def test_categorical_crossentropy_gradient(shape, axis, from_logits):
    target = rand(shape, 8, 0.0, 1.0)
    output = rand(shape, 9, -3.0, 3.0) if from_logits else rand(shape, 9)
    nn_support.check_gradients(
        lambda t, o: ops.categorical_crossentropy(t, o, from_logits, axis),
        lambda t, o: np_categorical_crossentropy(t, o, from_logits, axis),
        target,
        output,
    )


@support.needs_gradients
@pytest.mark.parametrize("target, shape, axis, from_logits", SPARSE_CASES[:2] + SPARSE_CASES[3:4])
def test_sparse_categorical_crossentropy_gradient(target, shape, axis, from_logits):
    output = rand(shape, 10, -3.0, 3.0) if from_logits else rand(shape, 10)
    nn_support.check_gradients(
        lambda o: ops.sparse_categorical_crossentropy(target, o, from_logits, axis),
        lambda o: np_sparse_categorical_crossentropy(target, o, from_logits, axis),
        output,
    )


def test_loss_errors():
    with pytest.raises(ValueError, match=r"`binary_crossentropy`: `target` and `output` must have the same shape"):
        ops.binary_crossentropy(rand((2, 3)), rand((3, 2)))
    with pytest.raises(ValueError, match=r"Received: target.shape=\(2, 3\), output.shape=\(2, 4\)"):
        ops.categorical_crossentropy(ops.KerasTensor((2, 3)), ops.KerasTensor((2, 4)))
    with pytest.raises(ValueError, match=r"must have the shape of `output` without the class axis"):
        ops.sparse_categorical_crossentropy(np.zeros((2, 3), "int32"), rand((2, 5)))
    with pytest.raises(ValueError, match=r"`num_classes` must be a positive int. Received: num_classes=0"):
        ops.one_hot(LABELS, 0)
