"""The metrics Keras 3 added beyond the classic ones, against Keras 3 itself on the same backend: streamed results
over several batches, sample weights, masks and ignored classes, configs both ways, lookup by name, and use in
`fit`/`evaluate`."""

import numpy as np
import pytest

import support
from kerasx import metrics

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(1)


def _batches(make, num_batches=3):
    return [make() for _ in range(num_batches)]


def _regression():
    return RNG.normal(size=(8, 3)).astype("float32"), RNG.normal(size=(8, 3)).astype("float32")


def _correlated():
    y_true = RNG.normal(size=(8, 5)).astype("float32")
    return y_true, (0.7 * y_true + 0.3 * RNG.normal(size=(8, 5))).astype("float32")


def _binary_scores():
    return (RNG.random(size=(16,)) > 0.5).astype("float32"), RNG.random(size=(16,)).astype("float32")


def _multilabel_scores():
    return (RNG.random(size=(10, 3)) > 0.5).astype("float32"), RNG.random(size=(10, 3)).astype("float32")


def _one_hot_scores():
    labels = RNG.integers(0, 4, size=(12,))
    return np.eye(4, dtype="float32")[labels], RNG.random(size=(12, 4)).astype("float32")


def _sparse_ids():
    return RNG.integers(0, 3, size=(4, 5)).astype("float32"), RNG.integers(0, 3, size=(4, 5)).astype("float32")


# name -> (constructor kwargs, batch maker, kwargs of a second construction with other options)
CASES = {
    "R2Score": ({}, _regression),
    "R2Score-variance_weighted": ({"class_aggregation": "variance_weighted_average"}, _regression),
    "R2Score-raw": ({"class_aggregation": None}, _regression),
    "R2Score-adjusted": ({"num_regressors": 2}, _regression),
    "PearsonCorrelation": ({}, _correlated),
    "PearsonCorrelation-axis0": ({"axis": 0}, _correlated),
    "ConcordanceCorrelation": ({}, _correlated),
    "PrecisionAtRecall": ({"recall": 0.6}, _binary_scores),
    "PrecisionAtRecall-class": ({"recall": 0.4, "num_thresholds": 50, "class_id": 1}, _multilabel_scores),
    "RecallAtPrecision": ({"precision": 0.55}, _binary_scores),
    "SensitivityAtSpecificity": ({"specificity": 0.5}, _binary_scores),
    "SpecificityAtSensitivity": ({"sensitivity": 0.7, "num_thresholds": 1}, _binary_scores),
    "SpecificityAtSensitivity-class": ({"sensitivity": 0.5, "class_id": 2}, _multilabel_scores),
    "BinaryIoU": ({}, _binary_scores),
    "BinaryIoU-positives": ({"target_class_ids": [1], "threshold": 0.3}, _binary_scores),
    "OneHotIoU": ({"num_classes": 4, "target_class_ids": [0, 3]}, _one_hot_scores),
    "OneHotIoU-ignore": ({"num_classes": 4, "target_class_ids": [1, 2], "ignore_class": 0}, _one_hot_scores),
    "OneHotMeanIoU": ({"num_classes": 4}, _one_hot_scores),
    "IoU-sparse": ({"num_classes": 3, "target_class_ids": [0, 2]}, _sparse_ids),
}


def _class(case):
    return case.split("-")[0]


def _weights(case, y_true):
    # Keras's IoU flattens the labels and needs one weight per label; most others take one per sample.
    # Along axis 0 the correlation gives one value per column, each weighted.
    shape = {"IoU-sparse": y_true.shape, "PearsonCorrelation-axis0": y_true.shape[1:]}.get(case, y_true.shape[:1])
    return RNG.random(size=shape).astype("float32")


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_streamed_result_matches_keras(case, weighted):
    kwargs, make = CASES[case]
    ours = getattr(metrics, _class(case))(**kwargs)
    theirs = getattr(keras.metrics, _class(case))(**kwargs)
    for y_true, y_pred in _batches(make):
        weights = _weights(case, y_true) if weighted else None
        ours.update_state(y_true, y_pred, sample_weight=weights)
        theirs.update_state(y_true, y_pred, sample_weight=weights)
    support.assert_close(ours.result(), keras.ops.convert_to_numpy(theirs.result()), rtol=1e-5, atol=1e-5)
    ours.reset_state()
    theirs.reset_state()
    y_true, y_pred = make()
    ours.update_state(y_true, y_pred)
    theirs.update_state(y_true, y_pred)
    support.assert_close(ours.result(), keras.ops.convert_to_numpy(theirs.result()), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", sorted(CASES))
def test_configs_go_both_ways_with_keras(case):
    kwargs = {**CASES[case][0], "name": "custom"}
    ours = getattr(metrics, _class(case))(**kwargs)
    theirs = getattr(keras.metrics, _class(case))(**kwargs)
    keras_config = theirs.get_config()
    if support.BACKEND == "tensorflow" and keras_config["dtype"] == "int64":
        # Keras 3 reads its IoU default dtype "int" as int64 on TensorFlow only; kerasx keeps int32 everywhere.
        keras_config["dtype"] = "int32"
        theirs = getattr(keras.metrics, _class(case))(**{**kwargs, "dtype": "int32"})
    assert ours.get_config() == keras_config
    from_keras = metrics.deserialize(keras.metrics.serialize(theirs))
    to_keras = keras.metrics.deserialize(metrics.serialize(ours))
    assert type(from_keras) is type(ours) and from_keras.get_config() == keras_config
    assert type(to_keras) is type(theirs) and to_keras.get_config() == keras_config


@pytest.mark.parametrize("name", ["pearson_correlation", "concordance_correlation"])
def test_correlation_functions_match_keras(name):
    y_true, y_pred = _correlated()
    for axis in (-1, 0):
        support.assert_close(
            getattr(metrics, name)(y_true, y_pred, axis=axis),
            keras.ops.convert_to_numpy(getattr(keras.metrics, name)(y_true, y_pred, axis=axis)),
            rtol=1e-5,
            atol=1e-5,
        )
    # As in Keras, the snake-case name gives a new instance of the metric class.
    assert type(metrics.get(name)).__name__ == type(keras.metrics.get(name)).__name__


def test_categorical_focal_crossentropy_is_the_loss_function():
    labels = np.eye(3, dtype="float32")[[0, 2, 1]]
    scores = np.array([[0.7, 0.2, 0.1], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3]], dtype="float32")
    support.assert_close(
        metrics.categorical_focal_crossentropy(labels, scores),
        keras.ops.convert_to_numpy(keras.metrics.categorical_focal_crossentropy(labels, scores)),
        rtol=1e-5,
    )


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_categorical_crossentropy_ignore_class_matches_keras(from_logits, weighted):
    ours = metrics.SparseCategoricalCrossentropy(from_logits=from_logits, ignore_class=1)
    theirs = keras.metrics.SparseCategoricalCrossentropy(from_logits=from_logits, ignore_class=1)
    for _ in range(2):
        labels = RNG.integers(0, 4, size=(6, 3))
        scores = RNG.random(size=(6, 3, 4)).astype("float32") + 0.05
        if not from_logits:
            scores = scores / scores.sum(-1, keepdims=True)
        weights = RNG.random(size=(6, 3)).astype("float32") if weighted else None  # Keras needs one per entry
        ours.update_state(labels, scores, sample_weight=weights)
        theirs.update_state(labels, scores, sample_weight=weights)
    support.assert_close(ours.result(), keras.ops.convert_to_numpy(theirs.result()), rtol=1e-5, atol=1e-6)
    assert ours.get_config() == theirs.get_config()


@pytest.mark.parametrize(
    "name",
    ["r2_score", "R2Score", "PearsonCorrelation", "ConcordanceCorrelation", "BinaryIoU"],
)
def test_names_resolve_to_new_instances(name):
    assert type(metrics.get(name)).__name__ == type(keras.metrics.get(name)).__name__


def test_errors():
    with pytest.raises(ValueError, match="Invalid value for argument `class_aggregation` of R2Score"):
        metrics.R2Score(class_aggregation="median")
    with pytest.raises(ValueError, match="`num_regressors` of R2Score"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match=r"R2Score expects 2D inputs"):
        metrics.R2Score().update_state(np.ones((2, 2, 2)), np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="`recall` of PrecisionAtRecall: expected a number in \\[0, 1\\]"):
        metrics.PrecisionAtRecall(recall=1.5)
    with pytest.raises(ValueError, match="`num_thresholds` of SensitivityAtSpecificity"):
        metrics.SensitivityAtSpecificity(0.5, num_thresholds=0)


@support.needs_gradients
def test_new_metrics_in_fit_and_evaluate_match_keras():
    x = RNG.normal(size=(32, 4)).astype("float32")
    y = (x @ RNG.normal(size=(4, 2)) + 0.1 * RNG.normal(size=(32, 2))).astype("float32")

    def run(lib):
        lib.utils.set_random_seed(3)
        model = lib.Sequential([lib.layers.Input((4,)), lib.layers.Dense(2)])
        model.set_weights([np.full((4, 2), 0.1, "float32"), np.zeros((2,), "float32")])
        model.compile(
            optimizer=lib.optimizers.SGD(0.05),
            loss="mse",
            metrics=[lib.metrics.R2Score(), lib.metrics.PearsonCorrelation(), lib.metrics.ConcordanceCorrelation()],
        )
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        return history.history, model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)

    ours, theirs = run(__import__("kerasx")), run(keras)
    for key in ("r2_score", "pearson_correlation", "concordance_correlation"):
        support.assert_close(np.array(ours[0][key]), np.array(theirs[0][key]), rtol=1e-4, atol=1e-5)
        support.assert_close(ours[1][key], theirs[1][key], rtol=1e-4, atol=1e-5)
    assert ours[0]["r2_score"][1] > ours[0]["r2_score"][0]
