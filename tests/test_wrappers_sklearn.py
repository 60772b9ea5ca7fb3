"""kerasx.wrappers (SKLearnClassifier, SKLearnRegressor, SKLearnTransformer) against Keras 3's on the same data: both
learn, predictions have the same form and classes, and scikit-learn's protocol (params, clone, cross-validation,
Pipeline) works the same."""

import inspect
import os
import subprocess
import sys

import numpy as np
import pytest

import kerasx

keras = pytest.importorskip("keras")
sklearn = pytest.importorskip("sklearn")
from sklearn.base import clone  # noqa: E402
from sklearn.datasets import load_iris, make_regression  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

ENGINE_MODULES = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow", "numpy": "numpy"}
NAMES = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]
trains = pytest.mark.skipif(kerasx.backend.backend() == "numpy", reason="the numpy backend cannot train")


def builder(library):
    def build(X, y, hidden=16, loss="categorical_crossentropy", activation="softmax"):
        model = library.Sequential([
            library.Input((X.shape[1],)),
            library.layers.Dense(hidden, activation="relu"),
            library.layers.Dense(y.shape[1], activation=activation),
        ])
        model.compile(loss=loss, optimizer=library.optimizers.Adam(0.02), metrics=["accuracy"] if activation else [])
        return model

    return build


def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X).astype("float32"), y


@pytest.mark.parametrize("name", NAMES)
def test_signature_params_and_tags_match_keras(name):
    keras_cls, kerasx_cls = getattr(keras.wrappers, name), getattr(kerasx.wrappers, name)
    keras_params = inspect.signature(keras_cls.__init__).parameters
    kerasx_params = inspect.signature(kerasx_cls.__init__).parameters
    assert [(p.name, p.default) for p in keras_params.values()] == [(p.name, p.default) for p in kerasx_params.values()]
    keras_est = keras_cls(model=builder(keras), model_kwargs={"hidden": 4}, fit_kwargs={"epochs": 3})
    kerasx_est = kerasx_cls(model=builder(kerasx), model_kwargs={"hidden": 4}, fit_kwargs={"epochs": 3})
    assert sorted(kerasx_est.get_params()) == sorted(keras_est.get_params())
    assert kerasx_est.set_params(warm_start=True) is kerasx_est and kerasx_est.warm_start is True
    cloned = clone(kerasx_est)
    assert type(cloned) is kerasx_cls and cloned is not kerasx_est
    assert sorted(cloned.get_params()) == sorted(clone(keras_est).get_params())
    assert cloned.get_params()["model_kwargs"] == {"hidden": 4} and cloned.get_params()["model"] is kerasx_est.model
    keras_tags, kerasx_tags = keras_est.__sklearn_tags__(), kerasx_est.__sklearn_tags__()
    assert kerasx_tags == keras_tags
    for method in ("fit", "predict", "score", "transform", "decision_function", "fit_transform"):
        assert hasattr(kerasx_est, method) == hasattr(keras_est, method), method
    assert kerasx_est.epoch_ == 0


@trains
def test_classifier_learns_iris_like_keras():
    X, y = iris()
    results = {}
    for library in (keras, kerasx):
        library.utils.set_random_seed(0)
        estimator = library.wrappers.SKLearnClassifier(model=builder(library), fit_kwargs={"epochs": 60, "verbose": 0})
        assert estimator.fit(X, y) is estimator
        predictions = estimator.predict(X)
        results[library.__name__] = (estimator, predictions)
        assert predictions.shape == (150,)
        assert set(np.unique(predictions)) <= {0, 1, 2}
        assert estimator.score(X, y) > 0.85
        assert estimator.decision_function(X).shape == (150, 3)
        assert estimator.n_features_in_ == 4
    keras_est, kerasx_est = results["keras"][0], results["kerasx"][0]
    np.testing.assert_array_equal(kerasx_est.classes_, keras_est.classes_)
    assert kerasx_est.model_.output_shape == keras_est.model_.output_shape
    assert np.mean(results["keras"][1] == results["kerasx"][1]) > 0.85
    assert kerasx_est.epoch_ == 60
    losses = kerasx_est.history_.history["loss"]
    assert losses[-1] < losses[0]


@trains
def test_classifier_string_labels_and_fit_kwargs_override():
    X, y = iris()
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    estimator = kerasx.wrappers.SKLearnClassifier(model=builder(kerasx), fit_kwargs={"epochs": 1, "verbose": 0})
    estimator.fit(X, labels, epochs=40)
    assert len(estimator.history_.epoch) == 40 and estimator.fit_kwargs == {"epochs": 1, "verbose": 0}
    np.testing.assert_array_equal(estimator.classes_, labels[[0, 50, 100]])
    assert estimator.score(X, labels) > 0.8
    assert set(estimator.predict(X[:10])) <= set(estimator.classes_)


@trains
def test_regressor_learns_like_keras():
    X, y = make_regression(n_samples=200, n_features=5, noise=0.1, random_state=0)
    X, y = X.astype("float32"), (y / np.std(y)).astype("float32")
    for library in (keras, kerasx):
        library.utils.set_random_seed(0)
        estimator = library.wrappers.SKLearnRegressor(
            model=builder(library),
            model_kwargs={"loss": "mse", "activation": None},
            fit_kwargs={"epochs": 80, "verbose": 0},
        )
        estimator.fit(X, y)
        assert estimator.predict(X).shape == (200,)
        assert estimator.score(X, y) > 0.9, library.__name__


@trains
def test_transformer_in_a_pipeline_and_cross_validation():
    X, y = iris()
    for library in (keras, kerasx):
        library.utils.set_random_seed(0)
        transformer = library.wrappers.SKLearnTransformer(
            model=builder(library), model_kwargs={"loss": "mse", "activation": None}, fit_kwargs={"verbose": 0}
        )
        assert transformer.fit_transform(X, X[:, 0]).shape == (150, 1)
        assert transformer.transform(X[:5]).shape == (5, 1)
    kerasx.utils.set_random_seed(0)
    classifier = kerasx.wrappers.SKLearnClassifier(model=builder(kerasx), fit_kwargs={"epochs": 40, "verbose": 0})
    scores = cross_val_score(make_pipeline(StandardScaler(), classifier), X, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.7


@trains
def test_model_instance_is_cloned_unless_warm_start():
    X, y = iris()
    model = builder(kerasx)(X, np.eye(3)[y])
    weights = [w.copy() for w in model.get_weights()]
    estimator = kerasx.wrappers.SKLearnClassifier(model=model, fit_kwargs={"epochs": 2, "verbose": 0}).fit(X, y)
    assert estimator.model_ is not model
    for before, after in zip(weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    warm = kerasx.wrappers.SKLearnClassifier(model=model, warm_start=True, fit_kwargs={"epochs": 2, "verbose": 0})
    warm.fit(X, y)
    assert warm.model_ is model
    trained = [w.copy() for w in model.get_weights()]
    warm.fit(X, y)
    assert warm.model_ is model and not np.allclose(trained[0], model.get_weights()[0])


def test_errors():
    X, y = iris()
    estimator = kerasx.wrappers.SKLearnClassifier(model=builder(kerasx))
    with pytest.raises(sklearn.exceptions.NotFittedError):
        estimator.predict(X)
    with pytest.raises(ValueError, match="binary and multiclass targets only"):
        estimator.fit(X, y + 0.5)
    with pytest.raises(ValueError, match="single class"):
        estimator.fit(X, np.zeros(150, dtype=int))

    def uncompiled(X, y):
        return kerasx.Sequential([kerasx.Input((4,)), kerasx.layers.Dense(3)])

    with pytest.raises(RuntimeError, match="must be compiled with a loss and an optimizer"):
        kerasx.wrappers.SKLearnClassifier(model=uncompiled).fit(X, y)
    with pytest.raises(RuntimeError):
        keras.wrappers.SKLearnClassifier(
            model=lambda X, y: keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        ).fit(X, y)
    with pytest.raises(RuntimeError, match="metadata routing"):
        estimator.set_fit_request(sample_weight=True)


def test_import_kerasx_does_not_import_sklearn_and_missing_sklearn_says_how_to_install():
    code = (
        "import importlib, sys\n"
        # TensorFlow itself imports Keras 3, which imports scikit-learn: only what kerasx adds is checked.
        f"importlib.import_module({ENGINE_MODULES[kerasx.backend.backend()]!r})\n"
        "engine_imported_it = 'sklearn' in sys.modules\n"
        "import kerasx\n"
        "assert engine_imported_it or 'sklearn' not in sys.modules, 'import kerasx imported sklearn'\n"
        "sys.modules['sklearn'] = None\n"
        "from kerasx.wrappers import SKLearnRegressor\n"
        "try:\n"
        "    SKLearnRegressor(model=None)\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ),
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "SKLearnRegressor needs scikit-learn" in result.stdout and "pip install scikit-learn" in result.stdout


@trains
def test_metadata_routing_passes_sample_weight_to_model_fit():
    from sklearn.model_selection import cross_validate  # noqa: PLC0415 - only this test uses it

    X, y = iris()
    sklearn.set_config(enable_metadata_routing=True)
    try:
        estimator = kerasx.wrappers.SKLearnRegressor(
            model=builder(kerasx), model_kwargs={"loss": "mse", "activation": None}, fit_kwargs={"verbose": 0}
        ).set_fit_request(sample_weight=True)
        results = cross_validate(
            estimator, X, y.astype("float32"), cv=2, params={"sample_weight": np.zeros(150)}, return_estimator=True
        )
    finally:
        sklearn.set_config(enable_metadata_routing=False)
    for fitted in results["estimator"]:
        # Weights of zero make the loss zero: the weights reached model.fit.
        assert fitted.history_.history["loss"] == [0.0]
