"""The functional API's first model: a fully connected network (seed: the functional-API guide).

    KERAS_BACKEND=torch python examples/functional_mlp.py

Layers are called on tensors and return tensors; `keras.Model(inputs, outputs)` turns the graph into a model that
compiles and trains like a Sequential one.
"""

import numpy as np

import kerasx as keras


def build_model(input_dim=784, units=64, num_classes=10):
    """The seed's sizes by default: 784 inputs, two hidden layers of 64, a 10-way softmax."""
    inputs = keras.Input(shape=(input_dim,))
    x = keras.layers.Dense(units, activation="relu")(inputs)
    x = keras.layers.Dense(units, activation="relu")(x)
    predictions = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=predictions)


def train(model, x, y, batch_size, steps):
    """`fit` for one epoch; on the inference-only numpy backend, `predict` instead."""
    if keras.backend.backend() == "numpy":
        model.predict(x, batch_size=batch_size, verbose=0)
        return None
    history = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    print(f"loss after {steps} steps: {history.history['loss'][-1]:.4f}")
    return history


def main(steps=10, batch_size=8):
    input_dim = 32  # the seed uses 784 (MNIST pixels); small here to run in seconds
    model = build_model(input_dim=input_dim, units=16)
    model.summary()
    assert model.output_shape == (None, 10), model.output_shape

    rng = np.random.default_rng(0)
    data = rng.random((steps * batch_size, input_dim), dtype="float32")
    labels = np.eye(10, dtype="float32")[rng.integers(0, 10, steps * batch_size)]
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    history = train(model, data, labels, batch_size, steps)
    return model, history


if __name__ == "__main__":
    main()
