"""The losses Keras 3 added beyond the classic ones, against Keras 3 itself on the same backend: per-sample values,
every reduction, sample weights and masks, configs both ways, lookup by name, and gradients where the engine
trains."""

import numpy as np
import pytest

import support
from kerasx import losses

keras = pytest.importorskip("keras")

REDUCTIONS = ["sum", "sum_over_batch_size", "mean", "mean_with_sample_weight", "none"]
RNG = np.random.default_rng(0)


def _probabilities(shape):
    logits = RNG.normal(size=shape)
    return (np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)).astype("float32")


def _one_hot(labels, num_classes):
    return np.eye(num_classes, dtype="float32")[labels]


def _unit_rows(x):
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype("float32")


LABELS = RNG.integers(0, 4, size=6)
CASES = {
    "categorical_focal": (
        {"alpha": 0.3, "gamma": 1.5},
        lambda: (_one_hot(LABELS, 4), _probabilities((6, 4))),
    ),
    "categorical_focal_logits_smoothing": (
        {"from_logits": True, "label_smoothing": 0.1, "alpha": 0.25, "gamma": 2.0},
        lambda: (_one_hot(LABELS, 4), RNG.normal(size=(6, 4)).astype("float32")),
    ),
    "generalized_cross_entropy": ({"q": 0.7}, lambda: (LABELS.astype("float32"), _probabilities((6, 4)))),
    "dice": ({}, lambda: ((RNG.random((6, 5)) > 0.5).astype("float32"), RNG.random((6, 5)).astype("float32"))),
    "dice_axis": (
        {"axis": (1, 2)},
        lambda: ((RNG.random((6, 3, 4)) > 0.5).astype("float32"), RNG.random((6, 3, 4)).astype("float32")),
    ),
    "tversky": (
        {"alpha": 0.7, "beta": 0.3, "axis": 1},
        lambda: ((RNG.random((6, 5)) > 0.5).astype("float32"), RNG.random((6, 5)).astype("float32")),
    ),
    "circle": (
        {"gamma": 4.0, "margin": 0.3},
        lambda: (np.array([0, 1, 0, 2, 1, 3], dtype="float32"), _unit_rows(RNG.normal(size=(6, 5)))),
    ),
    "circle_with_diagonal": (
        {"gamma": 2.0, "remove_diagonal": False},
        lambda: (np.array([0, 1, 0, 2, 1, 2], dtype="float32"), _unit_rows(RNG.normal(size=(6, 5)))),
    ),
    "ctc": (
        {},
        lambda: (
            np.array([[1, 2, 2, 0], [3, 1, 0, 0], [2, 2, 3, 1], [1, 0, 0, 0], [3, 3, 0, 0], [2, 1, 3, 0]], "float32"),
            RNG.normal(size=(6, 9, 4)).astype("float32"),
        ),
    ),
}
CLASS_NAMES = {
    "categorical_focal": "CategoricalFocalCrossentropy",
    "categorical_focal_logits_smoothing": "CategoricalFocalCrossentropy",
    "generalized_cross_entropy": "CategoricalGeneralizedCrossEntropy",
    "dice": "Dice",
    "dice_axis": "Dice",
    "tversky": "Tversky",
    "circle": "Circle",
    "circle_with_diagonal": "Circle",
    "ctc": "CTC",
}
FUNCTION_NAMES = {
    "CategoricalFocalCrossentropy": "categorical_focal_crossentropy",
    "CategoricalGeneralizedCrossEntropy": "categorical_generalized_cross_entropy",
    "Dice": "dice",
    "Tversky": "tversky",
    "Circle": "circle",
    "CTC": "ctc",
}


def _keras_value(x):
    return keras.ops.convert_to_numpy(x)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_loss_matches_keras(case, reduction):
    kwargs, make = CASES[case]
    y_true, y_pred = make()
    name = CLASS_NAMES[case]
    ours = getattr(losses, name)(reduction=reduction, **kwargs)
    theirs = getattr(keras.losses, name)(reduction=reduction, **kwargs)
    support.assert_close(ours(y_true, y_pred), _keras_value(theirs(y_true, y_pred)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", ["categorical_focal", "generalized_cross_entropy", "tversky", "circle", "ctc"])
def test_loss_with_sample_weight_matches_keras(case, reduction):
    kwargs, make = CASES[case]
    y_true, y_pred = make()
    weights = np.array([0.5, 1.0, 0.0, 2.0, 1.5, 1.0], dtype="float32")
    name = CLASS_NAMES[case]
    ours = getattr(losses, name)(reduction=reduction, **kwargs)(y_true, y_pred, sample_weight=weights)
    theirs = getattr(keras.losses, name)(reduction=reduction, **kwargs)(y_true, y_pred, sample_weight=weights)
    support.assert_close(ours, _keras_value(theirs), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", sorted(CASES))
def test_function_form_matches_keras(case):
    kwargs, make = CASES[case]
    y_true, y_pred = make()
    function = FUNCTION_NAMES[CLASS_NAMES[case]]
    if function == "ctc":
        kwargs = {}
    # Keras's function forms expect tensors (the generalized cross-entropy multiplies its input with `*`).
    keras_inputs = (keras.ops.convert_to_tensor(y_true), keras.ops.convert_to_tensor(y_pred))
    support.assert_close(
        getattr(losses, function)(y_true, y_pred, **kwargs),
        _keras_value(getattr(keras.losses, function)(*keras_inputs, **kwargs)),
        rtol=1e-5,
        atol=1e-5,
    )


def test_circle_with_reference_embeddings_matches_keras():
    labels = np.array([0, 1, 2], dtype="int32")
    embeddings = _unit_rows(RNG.normal(size=(3, 4)))
    ref_labels = np.array([0, 0, 1, 2, 2], dtype="int32")
    ref_embeddings = _unit_rows(RNG.normal(size=(5, 4)))
    kwargs = {"ref_labels": ref_labels, "ref_embeddings": ref_embeddings, "remove_diagonal": False, "gamma": 3.0}
    support.assert_close(
        losses.circle(labels, embeddings, **kwargs),
        _keras_value(keras.losses.circle(labels, embeddings, **kwargs)),
        rtol=1e-5,
        atol=1e-5,
    )


def test_circle_leaves_samples_without_pairs_out_of_the_mean():
    # Label 3 appears once: no positive pair, loss 0, not counted (as Keras masks it).
    y_true = np.array([0, 0, 1, 1, 3], dtype="float32")
    y_pred = _unit_rows(RNG.normal(size=(5, 3)))
    per_sample = support.to_numpy(losses.Circle(reduction="none")(y_true, y_pred))
    assert per_sample[4] == 0.0
    support.assert_close(losses.Circle()(y_true, y_pred), per_sample[:4].mean(), rtol=1e-5)


@pytest.mark.parametrize("axis", [-1, 1])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "none"])
def test_sparse_categorical_crossentropy_axis_and_ignore_class_match_keras(axis, reduction):
    logits = RNG.normal(size=(4, 3, 5)).astype("float32")
    if axis == 1:
        labels = RNG.integers(0, 3, size=(4, 1, 5))
    else:
        labels = RNG.integers(0, 5, size=(4, 3))
    labels[0, 0] = 2
    kwargs = {"from_logits": True, "ignore_class": 2, "reduction": reduction}
    ours = losses.SparseCategoricalCrossentropy(axis=axis, **kwargs)(labels, logits)
    # Keras's NumPy backend only takes the class axis last: the oracle sees the same data with that axis moved.
    if axis == 1:
        labels, logits = labels[:, 0], np.moveaxis(logits, 1, -1)
    theirs = keras.losses.SparseCategoricalCrossentropy(**kwargs)(labels, logits)
    support.assert_close(ours, _keras_value(theirs), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(set(CLASS_NAMES.values())) + ["SparseCategoricalCrossentropy"])
def test_configs_go_both_ways_with_keras(name):
    kwargs = next((CASES[c][0] for c, n in CLASS_NAMES.items() if n == name), {})
    kwargs = {**kwargs, "reduction": "sum", "name": "custom"}
    ours = getattr(losses, name)(**kwargs)
    theirs = getattr(keras.losses, name)(**kwargs)
    if name == "CategoricalGeneralizedCrossEntropy":
        # Keras 3.15's `losses.deserialize` does not know this class (it returns the class name as a string).
        to_keras = keras.losses.CategoricalGeneralizedCrossEntropy.from_config(losses.serialize(ours)["config"])
    else:
        to_keras = keras.losses.deserialize(losses.serialize(ours))
    from_keras = losses.deserialize(keras.losses.serialize(theirs))
    assert type(to_keras) is type(theirs) and type(from_keras) is type(ours)
    keras_config = theirs.get_config()
    # Keras 3 leaves `dtype` (and the sparse loss's `axis`) out of the config; every key it writes must agree.
    assert {k: v for k, v in ours.get_config().items() if k in keras_config} == keras_config
    assert {k: v for k, v in from_keras.get_config().items() if k in keras_config} == keras_config
    assert to_keras.get_config() == keras_config


@pytest.mark.parametrize("name", sorted(FUNCTION_NAMES.values()))
def test_function_names_resolve_like_keras(name):
    assert losses.get(name) is getattr(losses, name)
    assert losses.deserialize(name) is getattr(losses, name)
    # Keras 3.15's lookup table lacks the generalized cross-entropy (its `get` refuses the name); kerasx has it.
    if name != "categorical_generalized_cross_entropy":
        assert keras.losses.get(losses.serialize(getattr(losses, name))) is getattr(keras.losses, name)


def test_deserialize_takes_name_by_keyword():
    assert losses.deserialize(name="dice") is losses.dice
    assert isinstance(losses.deserialize(name={"class_name": "Tversky", "config": {}}), losses.Tversky)


def test_errors():
    with pytest.raises(ValueError, match=r"open interval \(0, 1\)"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.0)
    with pytest.raises(ValueError, match=r"shape \(batch_size, max_label_length\)"):
        losses.ctc(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"shape \(batch_size, num_frames, num_classes\)"):
        losses.ctc(np.zeros((2, 3)), np.zeros((2, 3)))


@support.needs_gradients
@pytest.mark.parametrize("case", ["categorical_focal", "dice", "tversky", "circle", "ctc"])
def test_gradients_match_keras(case):
    # Keras 3 runs on the same engine, so the engine's autodiff differentiates its loss as it does ours.
    kwargs, make = CASES[case]
    y_true, y_pred = make()
    name = CLASS_NAMES[case]
    (ours,) = support.grad_of(lambda p: getattr(losses, name)(**kwargs)(y_true, p), y_pred)
    (theirs,) = support.grad_of(lambda p: getattr(keras.losses, name)(**kwargs)(y_true, p), y_pred)
    assert np.all(np.isfinite(ours))
    support.assert_close(ours, theirs, rtol=1e-4, atol=1e-6)
