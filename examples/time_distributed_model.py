"""A model applied to every step of a sequence: `TimeDistributed(model)` (seed: the functional-API guide).

    KERAS_BACKEND=torch python examples/time_distributed_model.py

An image classifier becomes a video (sequence) classifier in one line. The seed's sequences have 20 steps of
784-dimensional vectors and the classifier outputs a 10-way softmax, so the result is a sequence of 20 vectors of
size 10. The wrapped model keeps its weights: the sequence model holds the classifier's variables, once.
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


def build_model(timesteps=20, input_dim=784, units=64, num_classes=10):
    """Input sequences of `timesteps` vectors; the classifier runs on each step."""
    classifier = build_classifier(input_dim, units, num_classes)
    input_sequences = keras.Input(shape=(timesteps, input_dim))
    processed_sequences = keras.layers.TimeDistributed(classifier)(input_sequences)
    return keras.Model(input_sequences, processed_sequences, name="per_step"), classifier


def train(model, x, y, batch_size, steps):
    """`fit` for one epoch; on the inference-only numpy backend, `predict` instead."""
    if keras.backend.backend() == "numpy":
        model.predict(x, batch_size=batch_size, verbose=0)
        return None
    history = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    print(f"loss after {steps} steps: {history.history['loss'][-1]:.4f}")
    return history


def main(steps=5, batch_size=4):
    timesteps, input_dim = 20, 32  # the seed: 20 steps of 784 features
    model, classifier = build_model(timesteps, input_dim, units=16)
    model.summary()
    assert model.output_shape == (None, timesteps, 10), model.output_shape
    assert all(a is b for a, b in zip(model.weights, classifier.weights)) and len(model.weights) == 6

    rng = np.random.default_rng(0)
    count = steps * batch_size
    sequences = rng.random((count, timesteps, input_dim), dtype="float32")
    # Each step's output is the classifier applied to that step alone.
    step_3 = classifier.predict(sequences[:batch_size, 3], verbose=0)
    np.testing.assert_allclose(model.predict(sequences[:batch_size], verbose=0)[:, 3], step_3, rtol=1e-5, atol=1e-6)

    labels = np.eye(10, dtype="float32")[rng.integers(0, 10, (count, timesteps))]
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    history = train(model, sequences, labels, batch_size, steps)
    return model, history


if __name__ == "__main__":
    main()
