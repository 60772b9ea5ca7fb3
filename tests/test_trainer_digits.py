"""An MLP on scikit-learn's bundled 8x8 digits reaches at least 95% test accuracy within 20 epochs."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, utils

datasets = pytest.importorskip("sklearn.datasets")


@support.needs_gradients
def test_mlp_learns_digits():
    digits = datasets.load_digits()
    x = (digits.data / 16.0).astype("float32")
    y = digits.target.astype("int32")
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    train_x, train_y, test_x, test_y = x[:1400], y[:1400], x[1400:], y[1400:]

    utils.set_random_seed(0)
    model = kerasx.Sequential(
        [layers.Input((64,)), layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")]
    )
    model.compile(
        optimizer=kerasx.optimizers.Adam(learning_rate=0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    # Whole batches only (1400 = 10 x 140; the test set in one batch): every extra batch shape is one more
    # compilation of the step on jax and tensorflow.
    history = model.fit(train_x, train_y, batch_size=140, epochs=20, verbose=0)
    assert len(history.history["loss"]) == 20
    loss, accuracy = model.evaluate(test_x, test_y, batch_size=len(test_x), verbose=0)
    assert accuracy >= 0.95, f"test accuracy {accuracy:.4f} after 20 epochs"
    # The reported accuracy is the fraction of correct predictions.
    predicted = np.argmax(model.predict(test_x, batch_size=len(test_x), verbose=0), axis=-1)
    np.testing.assert_allclose(accuracy, np.mean(predicted == test_y), rtol=1e-6)
