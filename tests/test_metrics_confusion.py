"""Confusion-matrix metrics against NumPy counts computed here: TruePositives..FalseNegatives, Precision, Recall
(thresholds, top_k, class_id), AUC (ROC/PR, three summation methods, logits, multi-label) at the same thresholds,
F-beta scores, and IoU; over several weighted batches, with reset and stateless updates."""

import numpy as np
import pytest

import support
from kerasx import backend, metrics
from test_metrics import NUM_BATCHES, assert_stateless_matches_stateful, to_np

EPS = 1e-7


def np_counts(batches, thresholds, top_k=None, class_id=None, multi_label=False, label_weights=None):
    """Weighted tp/fp/tn/fn per threshold (and per label with `multi_label`), `y_pred > t` being positive."""
    thresholds = np.asarray(thresholds, np.float64)
    shape = (len(thresholds), batches[0][0][1].shape[-1]) if multi_label else (len(thresholds),)
    counts = {key: np.zeros(shape) for key in ("tp", "fp", "tn", "fn")}
    for (y_true, y_pred), kwargs in batches:
        y_true, y_pred = np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64)
        weights = kwargs.get("sample_weight")
        weights = np.ones(y_pred.shape[0]) if weights is None else np.asarray(weights, np.float64)
        weights = np.broadcast_to(weights.reshape(weights.shape + (1,) * (y_pred.ndim - weights.ndim)), y_pred.shape)
        if label_weights is not None and not multi_label:
            weights = weights * np.asarray(label_weights)
        if top_k is not None:
            rank = np.argsort(np.argsort(-y_pred, axis=-1), axis=-1)
            y_pred = np.where(rank < top_k, y_pred, -np.inf)
        if class_id is not None:
            y_true, y_pred, weights = y_true[..., class_id], y_pred[..., class_id], weights[..., class_id]
        for index, t in enumerate(thresholds):
            pred, label = y_pred > t, y_true != 0
            masks = {"tp": label & pred, "fp": ~label & pred, "tn": ~label & ~pred, "fn": label & ~pred}
            for key, mask in masks.items():
                counts[key][index] += np.sum(mask * weights, axis=0 if multi_label else None)
    return counts


def make_batches(shape=(8, 3), seed=0, weighted=True, labels=None):
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(NUM_BATCHES):
        y_true = (rng.random(shape) > 0.5).astype("float32") if labels is None else labels(rng)
        y_pred = rng.random(shape).astype("float32")
        weights = rng.uniform(0, 2, size=shape[:1]).astype("float32") if weighted else None
        batches.append(((y_true, y_pred), {"sample_weight": weights}))
    return batches


def run(metric, batches):
    for args, kwargs in batches:
        metric.update_state(*args, **kwargs)
    return metric.result()


COUNT_METRICS = {
    "true_positives": (metrics.TruePositives, "tp"),
    "false_positives": (metrics.FalsePositives, "fp"),
    "true_negatives": (metrics.TrueNegatives, "tn"),
    "false_negatives": (metrics.FalseNegatives, "fn"),
}


@pytest.mark.parametrize("thresholds", [None, 0.3, [0.1, 0.5, 0.9]], ids=["default", "single", "list"])
@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in COUNT_METRICS])
def test_confusion_counts(case, thresholds):
    cls, key = COUNT_METRICS[case]
    batches = make_batches()
    factory = lambda: cls(thresholds=thresholds)  # noqa: E731
    expected = np_counts(batches, [0.5] if thresholds is None else np.atleast_1d(thresholds))[key]
    expected = expected[0] if np.ndim(thresholds) == 0 else expected
    metric = factory()
    support.assert_close(run(metric, batches), expected, rtol=1e-5)
    support.assert_dtype(metric.result(), "float32")
    assert_stateless_matches_stateful(factory, batches)
    metric.reset_state()
    support.assert_close(metric.result(), np.zeros_like(expected))


PRECISION_RECALL = {
    "default": {},
    "thresholds": {"thresholds": [0.2, 0.5, 0.7]},
    "top_k": {"top_k": 2},
    "class_id": {"class_id": 1},
    "top_k_class_id": {"top_k": 1, "class_id": 2},
}


@pytest.mark.parametrize("kwargs", PRECISION_RECALL.values(), ids=PRECISION_RECALL.keys())
@pytest.mark.parametrize("name", ["precision", "recall"])
def test_precision_and_recall(name, kwargs):
    cls = metrics.Precision if name == "precision" else metrics.Recall
    batches = make_batches(seed=1)
    default = 0.5 if "top_k" not in kwargs else -1e10
    thresholds = kwargs.get("thresholds", [default])
    counts = np_counts(batches, thresholds, top_k=kwargs.get("top_k"), class_id=kwargs.get("class_id"))
    other = counts["fp"] if name == "precision" else counts["fn"]
    expected = counts["tp"] / (counts["tp"] + other)
    expected = expected if "thresholds" in kwargs else expected[0]
    factory = lambda: cls(**kwargs)  # noqa: E731
    support.assert_close(run(factory(), batches), expected, rtol=1e-5)
    assert_stateless_matches_stateful(factory, batches)


def test_a_prediction_equal_to_the_threshold_is_negative():
    y_true, y_pred = np.array([1.0, 1.0, 0.0, 0.0]), np.array([0.5, 0.7, 0.5, 0.3])
    support.assert_close(metrics.TruePositives(thresholds=[0.3, 0.5])(y_true, y_pred), [2.0, 1.0])
    support.assert_close(metrics.FalsePositives(thresholds=[0.3, 0.5])(y_true, y_pred), [1.0, 0.0])
    support.assert_close(metrics.TrueNegatives(thresholds=0.5)(y_true, y_pred), 2.0)
    support.assert_close(metrics.FalseNegatives(thresholds=0.5)(y_true, y_pred), 1.0)


def test_precision_without_positive_predictions_is_zero():
    metric = metrics.Precision(thresholds=0.9)
    metric.update_state(np.array([1.0, 0.0]), np.array([0.2, 0.3]))
    support.assert_close(metric.result(), 0.0)


def test_class_id_and_thresholds_are_checked():
    with pytest.raises(ValueError, match=r"must be numbers in \[0, 1\]. Received: thresholds=\[0.5, 1.2\]"):
        metrics.Precision(thresholds=[0.5, 1.2])
    with pytest.raises(ValueError, match=r"Received: top_k=0"):
        metrics.Recall(top_k=0)
    with pytest.raises(ValueError, match=r"`class_id`=3 is out of range for predictions with 3 classes"):
        metrics.Recall(class_id=3).update_state(np.zeros((2, 3)), np.zeros((2, 3)))


# AUC ---------------------------------------------------------------------------------------------------------------
def auc_thresholds(num_thresholds):
    inner = np.linspace(0.0, 1.0, num_thresholds)[1:-1]
    return np.concatenate([[-EPS], inner, [1.0 + EPS]])


def safe_divide(a, b):
    return np.where(b != 0, a / np.where(b != 0, b, 1), 0.0)


def np_pr_interpolation(tp, fp, fn):
    """Davis & Goadrich interpolation between consecutive thresholds, one interval at a time."""
    total = np.zeros(tp.shape[1:])
    for i in range(len(tp) - 1):
        p0, p1 = tp[i] + fp[i], tp[i + 1] + fp[i + 1]
        d_tp, d_p = tp[i] - tp[i + 1], p0 - p1
        slope = safe_divide(d_tp, np.maximum(d_p, 0))
        intercept = tp[i + 1] - slope * p1
        ratio = np.where((p0 > 0) & (p1 > 0), safe_divide(p0, np.maximum(p1, 0)), 1.0)
        total = total + safe_divide(slope * (d_tp + intercept * np.log(ratio)), np.maximum(tp[i + 1] + fn[i + 1], 0))
    return total


def np_auc(counts, curve, method):
    tp, fp, tn, fn = (counts[k] for k in ("tp", "fp", "tn", "fn"))
    if curve == "PR" and method == "interpolation":
        return np_pr_interpolation(tp, fp, fn)
    recall = safe_divide(tp, tp + fn)
    if curve == "ROC":
        x, y = safe_divide(fp, fp + tn), recall
    else:
        x, y = recall, safe_divide(tp, tp + fp)
    heights = {
        "interpolation": (y[:-1] + y[1:]) / 2,
        "minoring": np.minimum(y[:-1], y[1:]),
        "majoring": np.maximum(y[:-1], y[1:]),
    }[method]
    return np.sum((x[:-1] - x[1:]) * heights, axis=0)


@pytest.mark.parametrize("method", ["interpolation", "minoring", "majoring"])
@pytest.mark.parametrize("curve", ["ROC", "PR"], ids=["auc-ROC", "auc-PR"])
def test_auc_against_numpy_at_the_same_thresholds(curve, method):
    batches = make_batches(seed=2)
    counts = np_counts(batches, auc_thresholds(25))
    factory = lambda: metrics.AUC(num_thresholds=25, curve=curve, summation_method=method)  # noqa: E731
    metric = factory()
    support.assert_close(run(metric, batches), np_auc(counts, curve, method), rtol=1e-4, atol=1e-6)
    support.assert_dtype(metric.result(), "float32")
    assert_stateless_matches_stateful(factory, batches)
    metric.reset_state()
    support.assert_close(metric.result(), 0.0)


def test_auc_from_logits_explicit_thresholds_and_label_weights():
    batches = make_batches(seed=3)
    logit_batches = [((t, np.log(p / (1 - p))), kw) for (t, p), kw in batches]
    thresholds = [0.25, 0.5, 0.75]
    counts = np_counts(batches, np.concatenate([[-EPS], thresholds, [1 + EPS]]), label_weights=[1.0, 0.0, 2.0])
    metric = metrics.AUC(thresholds=thresholds, from_logits=True, label_weights=[1.0, 0.0, 2.0])
    assert metric.num_thresholds == 5
    support.assert_close(run(metric, logit_batches), np_auc(counts, "ROC", "interpolation"), rtol=1e-4)


@pytest.mark.parametrize("curve", ["ROC", "PR"])
@pytest.mark.parametrize("label_weights", [None, [0.5, 1.0, 2.0]], ids=["auc-multi_label", "auc-multi_label_weighted"])
def test_auc_multi_label_averages_per_label_curves(curve, label_weights):
    batches = make_batches(seed=4)
    counts = np_counts(batches, auc_thresholds(25), multi_label=True)
    by_label = np_auc(counts, curve, "interpolation")
    expected = by_label.mean() if label_weights is None else np.sum(by_label * label_weights) / np.sum(label_weights)
    def factory():
        return metrics.AUC(num_thresholds=25, curve=curve, multi_label=True, label_weights=label_weights)

    support.assert_close(run(factory(), batches), expected, rtol=1e-4, atol=1e-6)
    assert_stateless_matches_stateful(factory, batches)


def test_roc_auc_with_many_thresholds_approaches_the_rank_statistic():
    rng = np.random.default_rng(5)
    y_true = (rng.random(300) > 0.6).astype("float32")
    y_pred = np.clip(0.3 * y_true + rng.random(300) * 0.7, 0, 1).astype("float32")
    positives, negatives = y_pred[y_true == 1], y_pred[y_true == 0]
    exact = np.mean(positives[:, None] > negatives[None, :])
    metric = metrics.AUC()
    metric.update_state(y_true, y_pred)
    support.assert_close(metric.result(), exact, atol=2e-3, rtol=0)


def test_auc_arguments_are_checked():
    with pytest.raises(ValueError, match=r"Received: num_thresholds=1"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match=r"Expected one of \['ROC', 'PR'\]. Received: curve='DET'"):
        metrics.AUC(curve="DET")
    with pytest.raises(ValueError, match=r"Received: summation_method='riemann'"):
        metrics.AUC(summation_method="riemann")
    with pytest.raises(ValueError, match=r"num_labels=2\) received predictions with 3 labels"):
        metrics.AUC(multi_label=True, num_labels=2).update_state(np.zeros((4, 3)), np.zeros((4, 3)))
    assert metrics.AUC(curve="pr").curve == "PR"


# F-beta ------------------------------------------------------------------------------------------------------------
def np_fbeta(batches, average, beta, threshold):
    tp = fp = fn = support_ = 0.0
    for (y_true, y_pred), kwargs in batches:
        y_true, y_pred = np.asarray(y_true, np.float64), np.asarray(y_pred, np.float64)
        if threshold is None:
            pred = ((y_pred >= y_pred.max(-1, keepdims=True)) & (np.abs(y_pred) > 1e-9)).astype(np.float64)
        else:
            pred = (y_pred > threshold).astype(np.float64)
        w = kwargs["sample_weight"]
        w = np.ones((len(y_true), 1)) if w is None else np.asarray(w, np.float64)[:, None]
        axis = None if average == "micro" else 0
        tp = tp + np.sum(pred * y_true * w, axis=axis)
        fp = fp + np.sum(pred * (1 - y_true) * w, axis=axis)
        fn = fn + np.sum((1 - pred) * y_true * w, axis=axis)
        support_ = support_ + np.sum(y_true * w, axis=axis)
    precision = tp / (tp + fp + EPS)
    recall = tp / (tp + fn + EPS)
    score = (1 + beta**2) * precision * recall / (beta**2 * precision + recall + EPS)
    if average == "weighted":
        return np.sum(score * support_ / (np.sum(support_) + EPS))
    if average is not None:
        return np.mean(score)
    return score


@pytest.mark.parametrize("threshold", [None, 0.4], ids=["argmax", "threshold"])
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"], ids=["none", "micro", "macro", "weighted"])
@pytest.mark.parametrize("beta", [1.0, 0.5, 2.0], ids=["f1_score", "fbeta_score-0.5", "fbeta_score-2"])
def test_fbeta_score(beta, average, threshold):
    batches = make_batches(seed=6)
    if beta == 1.0:
        factory = lambda: metrics.F1Score(average=average, threshold=threshold)  # noqa: E731
    else:
        factory = lambda: metrics.FBetaScore(average=average, beta=beta, threshold=threshold)  # noqa: E731
    metric = factory()
    support.assert_close(run(metric, batches), np_fbeta(batches, average, beta, threshold), rtol=1e-4, atol=1e-6)
    assert_stateless_matches_stateful(factory, batches)
    metric.reset_state()
    support.assert_close(metric.result(), np.zeros(() if average else (3,)))


def test_fbeta_arguments_and_shapes_are_checked():
    with pytest.raises(ValueError, match=r"Received: average='samples'"):
        metrics.F1Score(average="samples")
    with pytest.raises(ValueError, match=r"Received: beta=0"):
        metrics.FBetaScore(beta=0)
    with pytest.raises(ValueError, match=r"Received: threshold=1.5"):
        metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match=r"expects 2D inputs.*y_true.shape=\(4,\), y_pred.shape=\(4,\)"):
        metrics.F1Score().update_state(np.zeros((4,)), np.zeros((4,)))
    metric = metrics.F1Score()
    metric.update_state(np.zeros((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"built for 3 classes.*y_pred.shape=\(2, 4\)"):
        metric.update_state(np.zeros((2, 4)), np.ones((2, 4)))


# IoU ---------------------------------------------------------------------------------------------------------------
def np_iou(batches, num_classes, target_ids, ignore_class=None):
    matrix = np.zeros((num_classes, num_classes))
    for (y_true, y_pred), kwargs in batches:
        labels, predicted = np.ravel(y_true).astype(int), np.ravel(y_pred).astype(int)
        w = kwargs.get("sample_weight")
        w = np.ones(labels.shape) if w is None else np.broadcast_to(np.asarray(w, np.float64), np.shape(y_true)).ravel()
        if ignore_class is not None:
            w = w * (labels != ignore_class)
        np.add.at(matrix, (labels, predicted), w)
    tp = np.diag(matrix)
    denominator = matrix.sum(0) + matrix.sum(1) - tp
    tp, denominator = tp[target_ids], denominator[target_ids]
    return np.sum(tp / (denominator + EPS)) / (np.sum(denominator > 1e-9) + EPS)


def label_batches(seed, num_classes, shape=(4, 5), scores=False):
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(NUM_BATCHES):
        labels = rng.integers(0, num_classes, size=shape)
        predicted = np.where(rng.random(shape) < 0.6, labels, rng.integers(0, num_classes, size=shape))
        weights = rng.uniform(0, 2, size=shape).astype("float32")
        batches.append(((labels, predicted), {"sample_weight": weights}))
    return batches


@pytest.mark.parametrize("ignore_class", [None, 0], ids=["mean_iou", "mean_iou-ignore_class"])
def test_mean_iou(ignore_class):
    batches = label_batches(7, num_classes=4)
    expected = np_iou(batches, 4, list(range(4)), ignore_class)
    # Float state: the weights stay fractional (the default int32 state truncates them, as in Keras 3).
    factory = lambda: metrics.MeanIoU(num_classes=4, ignore_class=ignore_class, dtype="float32")  # noqa: E731
    metric = factory()
    support.assert_close(run(metric, batches), expected, rtol=1e-5)
    assert_stateless_matches_stateful(factory, batches)
    metric.reset_state()
    support.assert_close(metric.result(), 0.0)


def test_iou_of_target_classes_from_scores():
    batches = label_batches(8, num_classes=5)
    expected = np_iou(batches, 5, [1, 3])
    one_hot_scores = [((t, np.eye(5)[p] * 0.9 + 0.02), kw) for (t, p), kw in batches]
    metric = metrics.IoU(num_classes=5, target_class_ids=[1, 3], sparse_y_pred=False, dtype="float32")
    support.assert_close(run(metric, one_hot_scores), expected, rtol=1e-5)


def test_iou_arguments_are_checked():
    with pytest.raises(ValueError, match=r"Received: num_classes=1"):
        metrics.MeanIoU(num_classes=1)
    with pytest.raises(ValueError, match=r"class ids in \[0, 3\). Received: target_class_ids=\[3\]"):
        metrics.IoU(num_classes=3, target_class_ids=[3])


def test_single_threshold_results_are_scalars():
    assert to_np(metrics.Recall().result()).shape == ()
    assert to_np(metrics.Precision(thresholds=[0.5]).result()).shape == ()
    assert to_np(metrics.TruePositives(thresholds=[0.2, 0.5]).result()).shape == (2,)


def test_metric_updates_run_inside_a_compiled_step():
    """The trainer's path: updates traced by `make_step` (jax.jit, tf.function, torch) equal eager updates."""
    batches = make_batches(seed=9)
    factories = [
        lambda: metrics.AUC(num_thresholds=25, curve="PR"),
        lambda: metrics.Precision(top_k=2),
        lambda: metrics.F1Score(average="macro", threshold=0.5),
        lambda: metrics.BinaryAccuracy(),
        lambda: metrics.Mean(),
    ]
    eager = [factory() for factory in factories]
    compiled = [factory() for factory in factories]
    compiled[2].update_state(*batches[0][0])  # F1Score creates its state on the first update
    compiled[2].reset_state()
    state = [v for metric in compiled for v in metric.variables]

    def step(data):
        y_true, y_pred, weights = data
        for metric in compiled[:-1]:
            metric.update_state(y_true, y_pred, sample_weight=weights)
        compiled[-1].update_state(y_pred, sample_weight=weights)
        return [metric.result() for metric in compiled]

    run_step = backend.active.trainer.make_step(step, state, jit_compile=False)
    for (y_true, y_pred), kwargs in batches:
        outputs = run_step((y_true, y_pred, kwargs["sample_weight"]))
        for metric in eager[:-1]:
            metric.update_state(y_true, y_pred, **kwargs)
        eager[-1].update_state(y_pred, **kwargs)
    for metric, expected, output in zip(compiled, eager, outputs):
        support.assert_close(output, to_np(expected.result()), rtol=1e-5, atol=1e-6)
        support.assert_close(metric.result(), to_np(expected.result()), rtol=1e-5, atol=1e-6)
