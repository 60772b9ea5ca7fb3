"""All models are callable, just like layers (seed: the functional-API guide).

    KERAS_BACKEND=torch python examples/model_as_layer.py

Calling a trained model on a new `keras.Input` reuses its architecture *and* its weights: the outer model below
owns no variables of its own, and training it trains the inner classifier.
"""

import numpy as np

import kerasx as keras


def build_classifier(input_dim=784, units=64, num_classes=10):
    """The guide's MLP; the seed's sizes by default."""
    inputs = keras.Input(shape=(input_dim,))
    x = keras.layers.Dense(units, activation="relu")(inputs)
    x = keras.layers.Dense(units, activation="relu")(x)
    predictions = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, predictions, name="classifier")


def build_model(input_dim=784, units=64, num_classes=10):
    """A new model whose only layer is the classifier, called on a fresh input: `y = model(x)`."""
    classifier = build_classifier(input_dim, units, num_classes)
    x = keras.Input(shape=(input_dim,))
    y = classifier(x)
    return keras.Model(x, y, name="reuse"), classifier


def train(model, x, y, batch_size, steps):
    """`fit` for one epoch; on the inference-only numpy backend, `predict` instead."""
    if keras.backend.backend() == "numpy":
        model.predict(x, batch_size=batch_size, verbose=0)
        return None
    history = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    print(f"loss after {steps} steps: {history.history['loss'][-1]:.4f}")
    return history


def main(steps=10, batch_size=8):
    input_dim = 32  # the seed uses 784
    model, classifier = build_model(input_dim=input_dim, units=16)
    model.summary()
    assert model.output_shape == (None, 10), model.output_shape
    # One set of variables: the outer model's weights are the classifier's, the same objects.
    assert len(model.weights) == len(classifier.weights) == 6
    assert all(a is b for a, b in zip(model.weights, classifier.weights))

    rng = np.random.default_rng(0)
    data = rng.random((steps * batch_size, input_dim), dtype="float32")
    labels = np.eye(10, dtype="float32")[rng.integers(0, 10, steps * batch_size)]
    before = keras.ops.convert_to_numpy(classifier.weights[0]).copy()
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    history = train(model, data, labels, batch_size, steps)
    if history is not None:
        # Training the outer model moved the classifier's kernel.
        assert not np.allclose(before, keras.ops.convert_to_numpy(classifier.weights[0]))
    return model, history


if __name__ == "__main__":
    main()
