"""Metric base and mean-style metrics against NumPy: several weighted batches, reset, stateless updates that equal
stateful ones without writing, lookup, serialization, compile-time resolution of "accuracy", and error messages.

Confusion-matrix metrics (precision, recall, AUC, F-scores, IoU) are in test_metrics_confusion.py.
"""

import numpy as np
import pytest

import support
import test_losses as refs
from kerasx import backend, metrics, ops

NUM_BATCHES = 3


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x), np.float64)


def variable_values(metric):
    return [to_np(v) for v in metric.variables]


def assert_stateless_matches_stateful(factory, batches):
    """`stateless_update_state`/`stateless_result` give the stateful result and leave the variables untouched."""
    stateful = factory()
    for args, kwargs in batches:
        stateful.update_state(*args, **kwargs)
    expected = to_np(stateful.result())

    metric = factory()
    if not metric.variables:  # state created by the first update
        metric.update_state(*batches[0][0], **batches[0][1])
        metric.reset_state()
    before = variable_values(metric)
    values = metric.stateless_reset_state()
    for initial, value in zip(before, values):
        support.assert_close(value, initial)
    for args, kwargs in batches:
        values = metric.stateless_update_state(values, *args, **kwargs)
    support.assert_close(metric.stateless_result(values), expected, rtol=1e-5, atol=1e-6)
    for old, new in zip(before, variable_values(metric)):
        np.testing.assert_array_equal(old, new)
    return expected


# Mean and Sum ------------------------------------------------------------------------------------------------------
def np_weighted(values, weights):
    values = np.asarray(values, np.float64)
    if weights is None:
        weights = np.ones(values.shape[:1])
    weights = np.asarray(weights, np.float64)
    weights = np.broadcast_to(weights.reshape(weights.shape + (1,) * (values.ndim - weights.ndim)), values.shape)
    return values, weights


SHAPES = {
    "mean-flat": ((5,), None),
    "mean-flat_weighted": ((5,), (5,)),
    "mean-rows_sample_weighted": ((5, 3), (5,)),
    "mean-rows_entry_weighted": ((5, 3), (5, 3)),
    "mean-rows_trailing_one_weight": ((5, 3), (5, 1)),
}


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in SHAPES])
def test_mean_and_sum_over_weighted_batches(case):
    value_shape, weight_shape = SHAPES[case]
    rng = np.random.default_rng(0)
    batches = []
    for _ in range(NUM_BATCHES):
        values = rng.normal(size=value_shape).astype("float32")
        weights = None if weight_shape is None else rng.uniform(0, 2, size=weight_shape).astype("float32")
        batches.append(((values,), {"sample_weight": weights}))
    total = weight_sum = 0.0
    for (values,), kwargs in batches:
        v, w = np_weighted(values, kwargs["sample_weight"])
        total += np.sum(v * w)
        weight_sum += np.sum(w)
    mean = metrics.Mean()
    summed = metrics.Sum()
    for args, kwargs in batches:
        mean.update_state(*args, **kwargs)
        summed.update_state(*args, **kwargs)
    support.assert_close(mean.result(), total / weight_sum, rtol=1e-5)
    support.assert_close(summed.result(), total, rtol=1e-5)
    support.assert_dtype(mean.result(), "float32")
    assert_stateless_matches_stateful(metrics.Mean, batches)
    assert_stateless_matches_stateful(metrics.Sum, batches)
    mean.reset_state()
    summed.reset_state()
    support.assert_close(mean.result(), 0.0)
    support.assert_close(summed.result(), 0.0)


def test_mean_of_scalars_and_call_returns_running_result():
    mean = metrics.Mean(name="running")
    support.assert_close(mean(2.0), 2.0)
    support.assert_close(mean(np.float32(4.0), sample_weight=3.0), (2.0 + 12.0) / 4.0)
    assert [v.name for v in mean.variables] == ["total", "count"]
    assert all(not v.trainable for v in mean.variables)
    assert mean.variables[0].path == "running/total"


def test_mean_dtype_argument():
    mean = metrics.Mean(dtype="float64")
    mean.update_state(np.array([1.0, 2.0], "float32"))
    support.assert_dtype(mean.result(), "float64")
    assert all(v.dtype == "float64" for v in mean.variables)


def test_update_inside_a_stateless_scope_is_recorded_not_written():
    mean = metrics.Mean()
    mean.update_state(np.array([1.0, 3.0]))
    with backend.StatelessScope() as scope:
        mean.update_state(np.array([10.0]))
        support.assert_close(mean.result(), 14.0 / 3.0, rtol=1e-6)
    assert {id(v) for v, _ in scope.assignments()} == {id(v) for v in mean.variables}
    support.assert_close(mean.result(), 2.0)


def test_stateless_methods_check_the_number_of_values():
    mean = metrics.Mean(name="m")
    with pytest.raises(ValueError, match=r"`stateless_update_state` of metric 'm' expects one value per metric var"):
        mean.stateless_update_state([0.0], np.ones(2))
    with pytest.raises(ValueError, match=r"Received: 3 values"):
        mean.stateless_result([0.0, 0.0, 0.0])


def test_custom_metric_subclass():
    class MaxSeen(metrics.Metric):
        def __init__(self, name="max_seen", dtype=None):
            super().__init__(dtype=dtype, name=name)
            self.maximum = self.add_variable((), initializer=float("-inf"), name="maximum")

        def update_state(self, values):
            self.maximum.assign(ops.maximum(self.maximum, ops.max(values)))

        def result(self):
            return ops.convert_to_tensor(self.maximum)

    rng = np.random.default_rng(1)
    batches = [((rng.normal(size=(4,)).astype("float32"),), {}) for _ in range(NUM_BATCHES)]
    expected = max(b[0][0].max() for b in batches)
    support.assert_close(assert_stateless_matches_stateful(MaxSeen, batches), expected)
    metric = MaxSeen()
    metric.update_state(np.array([5.0]))
    metric.reset_state()
    support.assert_close(metric.result(), -np.inf)
    with pytest.raises(TypeError):
        metrics.Metric()


# Mean-of-a-function metrics ------------------------------------------------------------------------------------------
def labels_int(rng, shape, num_classes=3):
    return rng.integers(0, num_classes, size=shape).astype("float32")


def per_sample(values):
    values = np.asarray(values, np.float64)
    return values.reshape(values.shape[0], -1).mean(axis=1) if values.ndim > 1 else values


def np_top_k_hits(labels, scores, k):
    order = np.argsort(-scores, axis=-1)[..., :k]
    return np.any(order == labels[..., None], axis=-1).astype(np.float64)


def two_real(rng, shape=(6, 4)):
    return refs.real(rng, shape), refs.real(rng, shape)


def sorted_ids(rng, shape):
    scores = rng.random(shape)
    return np.argsort(-scores, axis=-1).astype("int32")


# id -> (factory, NumPy per-sample reference, data maker)
WRAPPED = {
    "accuracy": (
        metrics.Accuracy,
        lambda t, p: per_sample(t == p),
        lambda rng: (labels_int(rng, (6, 4)), labels_int(rng, (6, 4))),
    ),
    "binary_accuracy": (
        metrics.BinaryAccuracy,
        lambda t, p: per_sample(t == (p > 0.5)),
        lambda rng: (refs.binary(rng, (6, 4)), rng.random((6, 4)).astype("float32")),
    ),
    "binary_accuracy-threshold": (
        lambda: metrics.BinaryAccuracy(threshold=0.7),
        lambda t, p: per_sample(t == (p > 0.7)),
        lambda rng: (refs.binary(rng, (6, 1)), rng.random((6, 1)).astype("float32")),
    ),
    "categorical_accuracy": (
        metrics.CategoricalAccuracy,
        lambda t, p: (np.argmax(t, -1) == np.argmax(p, -1)).astype(np.float64),
        lambda rng: (refs.one_hot(rng, (6, 4)), rng.random((6, 4)).astype("float32")),
    ),
    "sparse_categorical_accuracy": (
        metrics.SparseCategoricalAccuracy,
        lambda t, p: (t.reshape(-1) == np.argmax(p, -1)).astype(np.float64),
        lambda rng: (rng.integers(0, 4, size=(6,)), rng.random((6, 4)).astype("float32")),
    ),
    "sparse_categorical_accuracy-trailing_one": (
        metrics.SparseCategoricalAccuracy,
        lambda t, p: (t.reshape(-1) == np.argmax(p, -1)).astype(np.float64),
        lambda rng: (rng.integers(0, 4, size=(6, 1)).astype("float32"), rng.random((6, 4)).astype("float32")),
    ),
    "top_k_categorical_accuracy": (
        lambda: metrics.TopKCategoricalAccuracy(k=2),
        lambda t, p: np_top_k_hits(np.argmax(t, -1), p, 2),
        lambda rng: (refs.one_hot(rng, (6, 4)), rng.random((6, 4)).astype("float32")),
    ),
    "sparse_top_k_categorical_accuracy": (
        lambda: metrics.SparseTopKCategoricalAccuracy(k=3),
        lambda t, p: np_top_k_hits(t.reshape(-1), p, 3),
        lambda rng: (rng.integers(0, 4, size=(6,)), rng.random((6, 4)).astype("float32")),
    ),
    "sparse_top_k_categorical_accuracy-from_sorted_ids": (
        lambda: metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True),
        lambda t, p: np.any(p[:, :2] == t[:, None], axis=-1).astype(np.float64),
        lambda rng: (rng.integers(0, 4, size=(6,)), sorted_ids(rng, (6, 4))),
    ),
    "mean_squared_error": (metrics.MeanSquaredError, refs.np_mse, two_real),
    "mean_absolute_error": (metrics.MeanAbsoluteError, refs.np_mae, two_real),
    "mean_absolute_percentage_error": (
        metrics.MeanAbsolutePercentageError,
        refs.np_mape,
        lambda rng: (refs.positive(rng, (6, 4)), refs.real(rng, (6, 4))),
    ),
    "mean_squared_logarithmic_error": (
        metrics.MeanSquaredLogarithmicError,
        refs.np_msle,
        lambda rng: (refs.positive(rng, (6, 4)), refs.positive(rng, (6, 4))),
    ),
    "cosine_similarity": (
        metrics.CosineSimilarity,
        lambda t, p: -refs.np_cosine(t, p),
        two_real,
    ),
    "log_cosh": (metrics.LogCoshError, refs.np_log_cosh, two_real),
    "binary_crossentropy": (
        lambda: metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
        lambda t, p: refs.np_bce(t, p, from_logits=True, label_smoothing=0.1),
        lambda rng: (refs.binary(rng, (6, 4)), refs.real(rng, (6, 4))),
    ),
    "categorical_crossentropy": (
        lambda: metrics.CategoricalCrossentropy(label_smoothing=0.2),
        lambda t, p: refs.np_cce(t, p, label_smoothing=0.2),
        lambda rng: (refs.one_hot(rng, (6, 4)), refs.distribution(rng, (6, 4))),
    ),
    "sparse_categorical_crossentropy": (
        lambda: metrics.SparseCategoricalCrossentropy(from_logits=True),
        lambda t, p: refs.np_scce(t, p, from_logits=True),
        lambda rng: (rng.integers(0, 4, size=(6,)), refs.real(rng, (6, 4))),
    ),
    "kl_divergence": (
        metrics.KLDivergence,
        refs.np_kld,
        lambda rng: (refs.distribution(rng, (6, 4)), refs.distribution(rng, (6, 4))),
    ),
    "poisson": (metrics.Poisson, refs.np_poisson, lambda rng: (refs.positive(rng, (6, 4)), refs.positive(rng, (6, 4)))),
    "hinge": (metrics.Hinge, refs.np_hinge, lambda rng: (refs.binary(rng, (6, 4)), refs.real(rng, (6, 4)))),
    "squared_hinge": (
        metrics.SquaredHinge,
        refs.np_squared_hinge,
        lambda rng: (refs.binary(rng, (6, 4)), refs.real(rng, (6, 4))),
    ),
    "categorical_hinge": (
        metrics.CategoricalHinge,
        refs.np_categorical_hinge,
        lambda rng: (refs.one_hot(rng, (6, 4)), refs.real(rng, (6, 4))),
    ),
}


def make_batches(maker, seed=0, weighted=True):
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(NUM_BATCHES):
        y_true, y_pred = maker(rng)
        weights = rng.uniform(0, 2, size=(len(y_true),)).astype("float32") if weighted else None
        batches.append(((y_true, y_pred), {"sample_weight": weights}))
    return batches


def np_weighted_mean(reference, batches):
    total = weight_sum = 0.0
    for (y_true, y_pred), kwargs in batches:
        values = per_sample(reference(np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64)))
        weights = kwargs["sample_weight"]
        weights = np.ones_like(values) if weights is None else weights.astype(np.float64)
        total += np.sum(values * weights)
        weight_sum += np.sum(weights)
    return total / weight_sum


@pytest.mark.parametrize("weighted", [True, False], ids=["weighted", "unweighted"])
@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in WRAPPED])
def test_mean_metric_over_batches(case, weighted):
    factory, reference, maker = WRAPPED[case]
    batches = make_batches(maker, weighted=weighted)
    expected = np_weighted_mean(reference, batches)
    metric = factory()
    for args, kwargs in batches:
        metric.update_state(*args, **kwargs)
    support.assert_close(metric.result(), expected, rtol=1e-4, atol=1e-6)
    support.assert_dtype(metric.result(), "float32")
    assert_stateless_matches_stateful(factory, batches)
    metric.reset_state()
    support.assert_close(metric.result(), 0.0)
    metric.update_state(*batches[0][0], **batches[0][1])
    support.assert_close(metric.result(), np_weighted_mean(reference, batches[:1]), rtol=1e-4, atol=1e-6)


def test_root_mean_squared_error():
    batches = make_batches(two_real, seed=3)
    expected = np.sqrt(np_weighted_mean(refs.np_mse, batches))
    metric = metrics.RootMeanSquaredError()
    for args, kwargs in batches:
        metric.update_state(*args, **kwargs)
    support.assert_close(metric.result(), expected, rtol=1e-5)
    support.assert_close(assert_stateless_matches_stateful(metrics.RootMeanSquaredError, batches), expected, rtol=1e-5)


def test_mask_on_predictions_weights_the_mean():
    rng = np.random.default_rng(4)
    y_true, y_pred = refs.real(rng, (3, 5, 4)), refs.real(rng, (3, 5, 4))
    mask = rng.random((3, 5)) > 0.4
    metric = metrics.MeanSquaredError()
    metric.update_state(y_true, refs.with_mask(y_pred, mask))
    per_step = refs.np_mse(y_true.astype(np.float64), y_pred.astype(np.float64))
    support.assert_close(metric.result(), np.sum(per_step * mask) / mask.sum(), rtol=1e-5)


def test_mean_metric_wrapper_with_custom_function_and_kwargs():
    def within(y_true, y_pred, tolerance=0.5):
        return ops.cast(ops.less_equal(ops.abs(ops.subtract(y_true, y_pred)), tolerance), "float32")

    metric = metrics.MeanMetricWrapper(within, tolerance=0.25)
    assert metric.name == "within"
    y_true = np.array([[0.0, 1.0], [2.0, 3.0]])
    y_pred = np.array([[0.1, 1.5], [2.0, 3.3]])
    metric.update_state(y_true, y_pred, sample_weight=np.array([1.0, 3.0]))
    support.assert_close(metric.result(), (0.5 * 1 + 0.5 * 3) / 4)
    config = metric.get_config()
    assert config["tolerance"] == 0.25 and config["fn"] == "within"
    restored = metrics.deserialize(metrics.serialize(metric), custom_objects={"within": within})
    restored.update_state(y_true, y_pred, sample_weight=np.array([1.0, 3.0]))
    support.assert_close(restored.result(), metric.result())


# Lookup, serialization, resolution ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, cls",
    [
        ("mse", metrics.MeanSquaredError),
        ("MAE", metrics.MeanAbsoluteError),
        ("mape", metrics.MeanAbsolutePercentageError),
        ("msle", metrics.MeanSquaredLogarithmicError),
        ("bce", metrics.BinaryCrossentropy),
        ("auc", metrics.AUC),
        ("precision", metrics.Precision),
        ("recall", metrics.Recall),
        ("accuracy", metrics.Accuracy),
        ("binary_accuracy", metrics.BinaryAccuracy),
        ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
        ("f1_score", metrics.F1Score),
        ("true_positives", metrics.TruePositives),
        ("root_mean_squared_error", metrics.RootMeanSquaredError),
        ("TopKCategoricalAccuracy", metrics.TopKCategoricalAccuracy),
    ],
)
def test_get_by_name_gives_a_new_instance(name, cls):
    first, second = metrics.get(name), metrics.get(name)
    assert type(first) is cls and first is not second


@pytest.mark.parametrize(
    "metric",
    [
        metrics.Mean(name="m"),
        metrics.Sum(dtype="float64"),
        metrics.BinaryAccuracy(threshold=0.3),
        metrics.TopKCategoricalAccuracy(k=2, name="top2"),
        metrics.SparseTopKCategoricalAccuracy(k=1),
        metrics.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, axis=-1),
        metrics.CosineSimilarity(axis=-1),
        metrics.AUC(num_thresholds=17, curve="PR", summation_method="minoring", from_logits=True),
        metrics.AUC(thresholds=[0.2, 0.6], multi_label=True, num_labels=3, label_weights=[1.0, 2.0, 0.5]),
        metrics.Precision(thresholds=[0.3, 0.6], class_id=1),
        metrics.Recall(top_k=2),
        metrics.FalseNegatives(thresholds=0.4),
        metrics.F1Score(average="macro", threshold=0.5),
        metrics.FBetaScore(average="weighted", beta=2.0),
        metrics.MeanIoU(num_classes=3, ignore_class=0),
        metrics.IoU(num_classes=4, target_class_ids=[1, 3], sparse_y_pred=False),
    ],
    ids=lambda m: m.name,
)
def test_serialize_round_trip_gives_the_same_metric(metric):
    restored = metrics.deserialize(metrics.serialize(metric))
    assert type(restored) is type(metric)
    assert restored.get_config() == metric.get_config()
    assert len(restored.variables) == len(metric.variables)
    assert metrics.get(metrics.serialize(metric)).get_config() == metric.get_config()


def test_get_passes_instances_and_functions_through():
    metric = metrics.AUC()
    assert metrics.get(metric) is metric
    assert metrics.get(metrics.binary_accuracy) is metrics.binary_accuracy
    assert metrics.get(None) is None
    assert isinstance(metrics.get(metrics.Recall), metrics.Recall)


def test_unknown_metric_and_metrics_needing_arguments():
    with pytest.raises(ValueError, match=r"Could not interpret metric identifier: 'acuracy'.*auc"):
        metrics.get("acuracy")
    with pytest.raises(ValueError, match=r"'mean_iou' cannot be created from its name alone.*\['num_classes'\]"):
        metrics.get("mean_iou")


@pytest.mark.parametrize(
    "y_true_shape, y_pred_shape, loss, expected",
    [
        ((8, 1), (8, 1), None, "binary"),
        ((8,), (8,), None, "binary"),
        ((8,), (8, 5), None, "sparse"),
        ((8, 1), (8, 5), None, "sparse"),
        ((8, 5), (8, 5), None, "categorical"),
        ((8, 5), (8, 5), "binary_crossentropy", "binary"),
        ((8, 5), (8, 5), metrics.BinaryCrossentropy(), "categorical"),  # a metric, not a loss: shapes decide
        ((8, 5), (8, 5), "bce", "binary"),
        ((8, 4, 5), (8, 4, 5), "sparse_categorical_crossentropy", "sparse"),
        ((8, 4), (8, 4, 5), "categorical_crossentropy", "categorical"),
    ],
)
def test_accuracy_resolution_follows_shapes_and_loss(y_true_shape, y_pred_shape, loss, expected):
    functions = {
        "binary": metrics.binary_accuracy,
        "sparse": metrics.sparse_categorical_accuracy,
        "categorical": metrics.categorical_accuracy,
    }
    assert metrics.output_kind(y_true_shape, y_pred_shape, loss) == expected
    assert metrics.get_accuracy_for(y_true_shape, y_pred_shape, loss) is functions[expected]


@pytest.mark.parametrize("identifier", ["accuracy", "acc", "ACC"])
def test_get_for_output_resolves_accuracy_and_keeps_the_name(identifier):
    rng = np.random.default_rng(5)
    labels, scores = rng.integers(0, 4, size=(7,)), rng.random((7, 4)).astype("float32")
    metric = metrics.get_for_output(identifier, labels.shape, scores.shape)
    assert isinstance(metric, metrics.MeanMetricWrapper) and metric.name == identifier
    metric.update_state(labels, scores)
    support.assert_close(metric.result(), np.mean(labels == scores.argmax(-1)), rtol=1e-6)


def test_get_for_output_resolves_crossentropy_and_wraps_functions():
    rng = np.random.default_rng(6)
    y_true, y_pred = refs.binary(rng, (6, 1)), rng.uniform(0.05, 0.95, size=(6, 1)).astype("float32")
    metric = metrics.get_for_output("ce", y_true.shape, y_pred.shape)
    metric.update_state(y_true, y_pred)
    support.assert_close(metric.result(), np.mean(refs.np_bce(y_true.astype(np.float64), y_pred)), rtol=1e-5)
    wrapped = metrics.get_for_output(metrics.mean_absolute_error, y_true.shape, y_pred.shape)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "mean_absolute_error"
    named = metrics.get_for_output("mse", y_true.shape, y_pred.shape)
    assert isinstance(named, metrics.MeanSquaredError) and named.name == "mse"
    assert metrics.get_for_output(None, y_true.shape, y_pred.shape) is None


def test_accuracy_metrics_reject_bad_arguments_and_shapes():
    with pytest.raises(ValueError, match=r"Expected a value in \(0, 1\). Received: threshold=1.5"):
        metrics.BinaryAccuracy(threshold=1.5)
    with pytest.raises(ValueError, match=r"Received: k=0"):
        metrics.TopKCategoricalAccuracy(k=0)
    with pytest.raises(ValueError, match=r"y_true.shape=\(4, 3\), y_pred.shape=\(4, 2\)"):
        metrics.Accuracy().update_state(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"Metric variable 'total': unknown initializer"):
        metrics.Mean().add_variable((), initializer="glorot", name="total")
