"""Losses against NumPy formulas written here: per-sample values, every reduction, sample weights, masks, dtypes,
label smoothing and logits variants, symbolic shapes, gradients, lookup and serialization, and error messages."""

import numpy as np
import pytest
from scipy import special

import support
from kerasx import backend, losses, ops
from kerasx.ops import _masking

EPS = 1e-7
REDUCTIONS = ["sum", "sum_over_batch_size", "mean", "mean_with_sample_weight", "none", None]


# NumPy references (float64, one loss per sample: the last axis is reduced) ------------------------------------------
def np_mse(t, p):
    return np.mean((t - p) ** 2, axis=-1)


def np_mae(t, p):
    return np.mean(np.abs(t - p), axis=-1)


def np_mape(t, p):
    return 100 * np.mean(np.abs(t - p) / np.maximum(np.abs(t), EPS), axis=-1)


def np_msle(t, p):
    return np.mean((np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2, axis=-1)


def np_cosine(t, p, axis=-1):
    def unit(x):
        return x / np.sqrt(np.maximum(np.sum(x * x, axis=axis, keepdims=True), EPS))

    return -np.sum(unit(t) * unit(p), axis=axis)


def np_huber(t, p, delta=1.0):
    e = np.abs(p - t)
    return np.mean(np.where(e <= delta, 0.5 * e**2, delta * e - 0.5 * delta**2), axis=-1)


def np_log_cosh(t, p):
    return np.mean(np.log(np.cosh(p - t)), axis=-1)


def np_kld(t, p):
    t, p = np.clip(t, EPS, 1), np.clip(p, EPS, 1)
    return np.sum(t * np.log(t / p), axis=-1)


def np_poisson(t, p):
    return np.mean(p - t * np.log(p + EPS), axis=-1)


def np_signed(t):
    return 2 * t - 1 if np.all((t == 0) | (t == 1)) else t


def np_hinge(t, p):
    return np.mean(np.maximum(1 - np_signed(t) * p, 0), axis=-1)


def np_squared_hinge(t, p):
    return np.mean(np.maximum(1 - np_signed(t) * p, 0) ** 2, axis=-1)


def np_categorical_hinge(t, p):
    pos = np.sum(t * p, axis=-1)
    neg = np.max((1 - t) * p, axis=-1)
    return np.maximum(neg - pos + 1, 0)


def np_bce_entries(t, p, from_logits=False):
    if from_logits:
        return np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def np_bce(t, p, from_logits=False, label_smoothing=0.0, axis=-1):
    t = t * (1 - label_smoothing) + 0.5 * label_smoothing
    return np.mean(np_bce_entries(t, p, from_logits), axis=axis)


def np_focal(t, p, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0):
    t = t * (1 - label_smoothing) + 0.5 * label_smoothing
    prob = special.expit(p) if from_logits else p
    bce = np_bce_entries(t, p, from_logits)
    p_t = t * prob + (1 - t) * (1 - prob)
    focal = (1 - p_t) ** gamma * bce
    if apply_class_balancing:
        focal = (t * alpha + (1 - t) * (1 - alpha)) * focal
    return np.mean(focal, axis=-1)


def np_cce(t, p, from_logits=False, label_smoothing=0.0, axis=-1):
    t = t * (1 - label_smoothing) + label_smoothing / t.shape[axis]
    if from_logits:
        return -np.sum(t * special.log_softmax(p, axis=axis), axis=axis)
    p = np.clip(p / np.sum(p, axis=axis, keepdims=True), EPS, 1 - EPS)
    return -np.sum(t * np.log(p), axis=axis)


def np_scce(labels, p, from_logits=False, ignore_class=None):
    labels = labels.astype(np.int64)
    if from_logits:
        log_p = special.log_softmax(p, axis=-1)
    else:
        log_p = np.log(np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS))
    safe = np.where(labels == ignore_class, 0, labels) if ignore_class is not None else labels
    losses_ = -np.take_along_axis(log_p, safe[..., None], axis=-1)[..., 0]
    return np.where(labels == ignore_class, 0.0, losses_) if ignore_class is not None else losses_


# Data ------------------------------------------------------------------------------------------------------------
def real(rng, shape):
    return rng.normal(size=shape).astype("float32")


def positive(rng, shape):
    return rng.uniform(0.1, 3.0, size=shape).astype("float32")


def probabilities(rng, shape):
    return rng.uniform(0.02, 0.98, size=shape).astype("float32")


def binary(rng, shape):
    return (rng.random(shape) > 0.5).astype("float32")


def distribution(rng, shape):
    x = rng.uniform(0.05, 1.0, size=shape)
    return (x / x.sum(-1, keepdims=True)).astype("float32")


def one_hot(rng, shape):
    return np.eye(shape[-1], dtype="float32")[rng.integers(0, shape[-1], size=shape[:-1])]


# id -> (class factory, function, reference, y_true maker, y_pred maker)
CASES = {
    "mean_squared_error": (losses.MeanSquaredError, losses.mean_squared_error, np_mse, real, real),
    "mean_absolute_error": (losses.MeanAbsoluteError, losses.mean_absolute_error, np_mae, real, real),
    "mean_absolute_percentage_error": (
        losses.MeanAbsolutePercentageError,
        losses.mean_absolute_percentage_error,
        np_mape,
        positive,
        real,
    ),
    "mean_squared_logarithmic_error": (
        losses.MeanSquaredLogarithmicError,
        losses.mean_squared_logarithmic_error,
        np_msle,
        positive,
        positive,
    ),
    "cosine_similarity": (losses.CosineSimilarity, losses.cosine_similarity, np_cosine, real, real),
    "huber": (losses.Huber, losses.huber, np_huber, real, real),
    "huber-delta": (
        lambda **kw: losses.Huber(delta=0.3, **kw),
        lambda t, p: losses.huber(t, p, delta=0.3),
        lambda t, p: np_huber(t, p, 0.3),
        real,
        real,
    ),
    "log_cosh": (losses.LogCosh, losses.log_cosh, np_log_cosh, real, real),
    "kl_divergence": (losses.KLDivergence, losses.kl_divergence, np_kld, distribution, distribution),
    "poisson": (losses.Poisson, losses.poisson, np_poisson, positive, positive),
    "hinge": (losses.Hinge, losses.hinge, np_hinge, binary, real),
    "hinge-signed_labels": (losses.Hinge, losses.hinge, np_hinge, lambda r, s: 2 * binary(r, s) - 1, real),
    "squared_hinge": (losses.SquaredHinge, losses.squared_hinge, np_squared_hinge, binary, real),
    "categorical_hinge": (losses.CategoricalHinge, losses.categorical_hinge, np_categorical_hinge, one_hot, real),
    "binary_crossentropy": (losses.BinaryCrossentropy, losses.binary_crossentropy, np_bce, binary, probabilities),
    "binary_crossentropy-from_logits": (
        lambda **kw: losses.BinaryCrossentropy(from_logits=True, **kw),
        lambda t, p: losses.binary_crossentropy(t, p, from_logits=True),
        lambda t, p: np_bce(t, p, from_logits=True),
        binary,
        real,
    ),
    "binary_crossentropy-label_smoothing": (
        lambda **kw: losses.BinaryCrossentropy(label_smoothing=0.2, **kw),
        lambda t, p: losses.binary_crossentropy(t, p, label_smoothing=0.2),
        lambda t, p: np_bce(t, p, label_smoothing=0.2),
        binary,
        probabilities,
    ),
    "binary_crossentropy-logits_and_smoothing": (
        lambda **kw: losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, **kw),
        lambda t, p: losses.binary_crossentropy(t, p, from_logits=True, label_smoothing=0.1),
        lambda t, p: np_bce(t, p, from_logits=True, label_smoothing=0.1),
        binary,
        real,
    ),
    "binary_focal_crossentropy": (
        losses.BinaryFocalCrossentropy,
        losses.binary_focal_crossentropy,
        np_focal,
        binary,
        probabilities,
    ),
    "binary_focal_crossentropy-balanced_logits": (
        lambda **kw: losses.BinaryFocalCrossentropy(
            apply_class_balancing=True, alpha=0.4, gamma=1.5, from_logits=True, **kw
        ),
        lambda t, p: losses.binary_focal_crossentropy(
            t, p, apply_class_balancing=True, alpha=0.4, gamma=1.5, from_logits=True
        ),
        lambda t, p: np_focal(t, p, True, 0.4, 1.5, from_logits=True),
        binary,
        real,
    ),
    "categorical_crossentropy": (
        losses.CategoricalCrossentropy,
        losses.categorical_crossentropy,
        np_cce,
        one_hot,
        distribution,
    ),
    "categorical_crossentropy-from_logits": (
        lambda **kw: losses.CategoricalCrossentropy(from_logits=True, **kw),
        lambda t, p: losses.categorical_crossentropy(t, p, from_logits=True),
        lambda t, p: np_cce(t, p, from_logits=True),
        one_hot,
        real,
    ),
    "categorical_crossentropy-label_smoothing": (
        lambda **kw: losses.CategoricalCrossentropy(label_smoothing=0.3, from_logits=True, **kw),
        lambda t, p: losses.categorical_crossentropy(t, p, label_smoothing=0.3, from_logits=True),
        lambda t, p: np_cce(t, p, from_logits=True, label_smoothing=0.3),
        one_hot,
        real,
    ),
}


def make_data(case, shape=(6, 4), seed=0):
    rng = np.random.default_rng(seed)
    _, _, _, true_maker, pred_maker = CASES[case]
    return true_maker(rng, shape), pred_maker(rng, shape)


def np_reduce(values, weights, reduction):
    values = np.asarray(values, np.float64)
    if weights is not None:
        weights = np.asarray(weights, np.float64).reshape(weights.shape + (1,) * (values.ndim - weights.ndim))
        weights = np.broadcast_to(weights, values.shape)
        values = values * weights
    if reduction in (None, "none"):
        return values
    if reduction == "sum":
        return values.sum()
    if reduction == "mean_with_sample_weight" and weights is not None:
        return values.sum() / weights.sum()
    return values.sum() / values.size


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in CASES])
def test_function_matches_numpy(case):
    _, fn, reference, _, _ = CASES[case]
    y_true, y_pred = make_data(case)
    result = fn(y_true, y_pred)
    support.assert_dtype(result, "float32")
    support.assert_close(result, reference(y_true.astype(np.float64), y_pred.astype(np.float64)), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in CASES])
def test_function_symbolic_shape_matches_eager(case):
    _, fn, _, _, _ = CASES[case]
    support.check_symbolic(fn, *make_data(case))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in CASES])
def test_class_reductions_and_sample_weights(case, weighted, reduction):
    factory, _, reference, _, _ = CASES[case]
    y_true, y_pred = make_data(case)
    weights = np.random.default_rng(1).uniform(0, 2, size=(6,)).astype("float32") if weighted else None
    loss = factory(reduction=reduction)
    result = loss(y_true, y_pred, sample_weight=weights)
    expected = np_reduce(reference(y_true.astype(np.float64), y_pred.astype(np.float64)), weights, reduction)
    support.assert_close(result, expected, rtol=1e-4, atol=1e-5)
    support.assert_dtype(result, "float32")


@pytest.mark.parametrize(
    "weight_shape",
    [
        pytest.param((3,), id="mean_squared_error-per_sample"),
        pytest.param((3, 5), id="mean_squared_error-per_step"),
        pytest.param((3, 5, 1), id="mean_squared_error-trailing_one"),
        pytest.param((), id="mean_squared_error-scalar"),
    ],
)
def test_sample_weight_broadcasting_for_sequence_losses(weight_shape):
    rng = np.random.default_rng(2)
    y_true, y_pred = real(rng, (3, 5, 4)), real(rng, (3, 5, 4))
    weights = rng.uniform(0, 2, size=weight_shape).astype("float32")
    per_step = np_mse(y_true.astype(np.float64), y_pred.astype(np.float64))
    flat_weights = weights.reshape(weights.shape[:2]) if weights.ndim == 3 else weights
    for reduction in ("sum", "sum_over_batch_size", "mean_with_sample_weight"):
        result = losses.MeanSquaredError(reduction=reduction)(y_true, y_pred, sample_weight=weights)
        support.assert_close(result, np_reduce(per_step, flat_weights, reduction), rtol=1e-4, atol=1e-5)


def test_labels_with_trailing_one_align_with_predictions():
    rng = np.random.default_rng(3)
    y_true, y_pred = binary(rng, (5, 1)), probabilities(rng, (5,))
    result = losses.BinaryCrossentropy(reduction="none")(y_true, y_pred)
    support.assert_close(result, np_bce(y_true.astype(np.float64), y_pred[:, None].astype(np.float64)), rtol=1e-5)


class MaskedArray(np.ndarray):
    """A NumPy array carrying a mask the way masking layers attach one to tensors."""


def with_mask(array, mask):
    masked = array.view(MaskedArray)
    masked._keras_mask = mask
    return masked


@pytest.mark.parametrize("reduction", ["sum", "sum_over_batch_size", "mean_with_sample_weight", "none"])
def test_mask_on_predictions_acts_as_sample_weight(reduction):
    rng = np.random.default_rng(4)
    y_true, y_pred = real(rng, (3, 5, 4)), real(rng, (3, 5, 4))
    mask = rng.random((3, 5)) > 0.3
    weights = rng.uniform(0.5, 2.0, size=(3,)).astype("float32")
    per_step = np_mse(y_true.astype(np.float64), y_pred.astype(np.float64))
    result = losses.MeanSquaredError(reduction=reduction)(y_true, with_mask(y_pred, mask), sample_weight=weights)
    full_weights = np.broadcast_to(weights[:, None], mask.shape) * mask
    if reduction == "sum_over_batch_size":  # averaged over the kept entries only
        expected = np.sum(per_step * full_weights) / mask.sum()
    else:
        expected = np_reduce(per_step, full_weights, reduction)
    support.assert_close(result, expected, rtol=1e-4, atol=1e-5)


def test_mask_set_by_layers_on_a_native_tensor_is_used():
    rng = np.random.default_rng(12)
    y_true, y_pred = real(rng, (3, 5, 4)), real(rng, (3, 5, 4))
    mask = rng.random((3, 5)) > 0.3
    predictions = ops.convert_to_tensor(y_pred)
    _masking.set_mask(predictions, ops.convert_to_tensor(mask))  # a side table where tensors refuse attributes
    per_step = np_mse(y_true.astype(np.float64), y_pred.astype(np.float64))
    result = losses.MeanSquaredError(reduction="sum")(y_true, predictions)
    support.assert_close(result, np.sum(per_step * mask), rtol=1e-4)


@pytest.mark.parametrize("label_shape", [(6,), (6, 1)], ids=["flat", "trailing_one"])
@pytest.mark.parametrize(
    "from_logits", [False, True], ids=["sparse_categorical_crossentropy-probs", "sparse_categorical_crossentropy-logits"]
)
def test_sparse_categorical_crossentropy(from_logits, label_shape):
    rng = np.random.default_rng(5)
    labels = rng.integers(0, 4, size=label_shape)
    y_pred = real(rng, (6, 4)) if from_logits else distribution(rng, (6, 4))
    weights = rng.uniform(0, 2, size=(6,)).astype("float32")
    per_sample = np_scce(labels.reshape(6), y_pred.astype(np.float64), from_logits)
    result = losses.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits)
    support.assert_close(result, per_sample, rtol=1e-4)
    for reduction in REDUCTIONS:
        loss = losses.SparseCategoricalCrossentropy(from_logits=from_logits, reduction=reduction)
        result = loss(labels, y_pred, sample_weight=weights)
        support.assert_close(result, np_reduce(per_sample, weights, reduction), rtol=1e-4, atol=1e-5)


def test_sparse_categorical_crossentropy_ignore_class_is_left_out_of_the_average():
    rng = np.random.default_rng(6)
    labels = np.array([[0, 2, 2], [1, 2, 3]])
    logits = real(rng, (2, 3, 4))
    per_entry = np_scce(labels, logits.astype(np.float64), from_logits=True, ignore_class=2)
    support.assert_close(
        losses.sparse_categorical_crossentropy(labels, logits, from_logits=True, ignore_class=2), per_entry, rtol=1e-4
    )
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2)
    support.assert_close(loss(labels, logits), per_entry.sum() / np.sum(labels != 2), rtol=1e-4)
    summed = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2, reduction="sum")
    support.assert_close(summed(labels, logits), per_entry.sum(), rtol=1e-4)


def test_categorical_crossentropy_on_another_axis():
    rng = np.random.default_rng(7)
    y_true = np.moveaxis(one_hot(rng, (3, 2, 5)), -1, 1)
    logits = real(rng, (3, 5, 2))
    expected = np_cce(y_true.astype(np.float64), logits.astype(np.float64), from_logits=True, axis=1)
    support.assert_close(losses.categorical_crossentropy(y_true, logits, from_logits=True, axis=1), expected, rtol=1e-4)


def test_cosine_similarity_on_another_axis():
    rng = np.random.default_rng(8)
    y_true, y_pred = real(rng, (3, 4, 2)), real(rng, (3, 4, 2))
    expected = np.mean(np_cosine(y_true.astype(np.float64), y_pred.astype(np.float64), axis=1))
    support.assert_close(losses.CosineSimilarity(axis=1)(y_true, y_pred), expected, rtol=1e-4)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_loss_dtype_sets_computation_and_result_dtype(dtype):
    rng = np.random.default_rng(9)
    y_true, y_pred = real(rng, (6, 4)), real(rng, (6, 4))
    result = losses.MeanSquaredError(dtype=dtype)(y_true.astype("int32"), y_pred)
    support.assert_dtype(result, dtype)
    expected = np.mean(np_mse(y_true.astype("int32").astype(np.float64), y_pred.astype(np.float64)))
    support.assert_close(result, expected, rtol=1e-5)


def test_integer_inputs_give_floatx():
    result = losses.mean_absolute_error(np.array([[1, 2]], "int32"), np.array([[2, 4]], "int32"))
    support.assert_dtype(result, backend.floatx())
    support.assert_close(result, np.array([1.5]))


GRADIENT_CASES = ["huber-delta", "binary_crossentropy-from_logits", "categorical_crossentropy-label_smoothing"]


@support.needs_gradients
@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in GRADIENT_CASES])
def test_gradient_with_respect_to_predictions(case):
    factory, _, reference, _, _ = CASES[case]
    y_true, y_pred = make_data(case)
    weights = np.linspace(0.5, 2.0, 6).astype("float32")
    (grad,) = support.grad_of(lambda p: factory()(y_true, p, sample_weight=weights), y_pred)

    def np_loss(p):
        return float(np.mean(reference(y_true.astype(np.float64), p) * weights))

    support.assert_close(grad, support.numeric_grad(np_loss, y_pred), rtol=1e-3, atol=1e-5)


# Lookup, serialization, errors -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, expected",
    [
        ("mse", losses.mean_squared_error),
        ("MAE", losses.mean_absolute_error),
        ("mape", losses.mean_absolute_percentage_error),
        ("msle", losses.mean_squared_logarithmic_error),
        ("kld", losses.kl_divergence),
        ("bce", losses.binary_crossentropy),
        ("huber", losses.huber),
        ("log_cosh", losses.log_cosh),
        ("binary_crossentropy", losses.binary_crossentropy),
        ("categorical_crossentropy", losses.categorical_crossentropy),
        ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy),
    ],
)
def test_get_by_function_name(name, expected):
    assert losses.get(name) is expected


@pytest.mark.parametrize("name", sorted(losses.ALL_CLASSES))
def test_get_class_name_gives_instance_and_config_round_trips(name):
    if name == "LossFunctionWrapper":
        loss = losses.LossFunctionWrapper(losses.huber, name="my_huber", reduction="sum", delta=0.5)
    else:
        loss = losses.get(name)
        assert type(loss).__name__ == name
    restored = losses.deserialize(losses.serialize(loss))
    assert type(restored) is type(loss)
    assert restored.get_config() == loss.get_config()
    rng = np.random.default_rng(10)
    y_true, y_pred = distribution(rng, (3, 4)), distribution(rng, (3, 4))
    if name in ("SparseCategoricalCrossentropy", "CategoricalGeneralizedCrossEntropy", "Circle"):
        y_true = np.array([0, 3, 0])  # class indices (Circle: labels of the embeddings in y_pred)
    elif name == "CTC":
        y_true, y_pred = np.array([[1, 2], [3, 0], [2, 2]]), rng.normal(size=(3, 5, 4)).astype("float32")
    support.assert_close(restored(y_true, y_pred), loss(y_true, y_pred), rtol=1e-6)


def test_get_passes_instances_and_functions_through_and_dicts_are_deserialized():
    loss = losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)
    assert losses.get(loss) is loss
    assert losses.get(losses.hinge) is losses.hinge
    assert losses.get(None) is None
    restored = losses.get(losses.serialize(loss))
    assert isinstance(restored, losses.BinaryCrossentropy)
    assert restored.get_config()["label_smoothing"] == 0.1
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    assert losses.serialize(losses.mean_squared_error) == "mean_squared_error"


def test_unknown_loss_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"interpret loss identifier: 'mean_sqared_error'.*mean_squared_error"):
        losses.get("mean_sqared_error")
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 3"):
        losses.get(3)


def test_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"y_true.shape=\(4, 3\), y_pred.shape=\(4, 2\)"):
        losses.MeanSquaredError()(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"categorical_crossentropy.*y_true.shape=\(4,\), y_pred.shape=\(4, 3\)"):
        losses.categorical_crossentropy(np.zeros((4,)), np.ones((4, 3)))


def test_bad_arguments_are_rejected_with_received_values():
    with pytest.raises(ValueError, match=r"reduction.*Received: reduction='average'"):
        losses.MeanSquaredError(reduction="average")
    with pytest.raises(ValueError, match=r"Received: label_smoothing=1.5"):
        losses.BinaryCrossentropy(label_smoothing=1.5)
    with pytest.raises(ValueError, match=r"Received: axis=True"):
        losses.CategoricalCrossentropy(axis=True)
    weights = np.ones((4,))
    with pytest.raises(ValueError, match=r"sample_weight.shape=\(4,\), values.shape=\(3,\)"):
        losses.MeanSquaredError()(np.zeros((3, 2)), np.zeros((3, 2)), sample_weight=weights)


def test_custom_loss_subclass_uses_the_base_reduction():
    class Cubed(losses.Loss):
        def call(self, y_true, y_pred):
            return ops.mean(ops.power(ops.abs(ops.subtract(y_true, y_pred)), 3), axis=-1)

    rng = np.random.default_rng(11)
    y_true, y_pred = real(rng, (6, 4)), real(rng, (6, 4))
    weights = rng.uniform(size=(6,)).astype("float32")
    expected = np.mean(np.abs(y_true.astype(np.float64) - y_pred) ** 3, axis=-1)
    loss = Cubed(reduction="sum")
    assert loss.name == "cubed"
    support.assert_close(loss(y_true, y_pred, sample_weight=weights), np.sum(expected * weights), rtol=1e-5)
    with pytest.raises(TypeError):
        losses.Loss()
