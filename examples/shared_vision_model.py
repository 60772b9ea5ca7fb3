"""A shared vision model: one convolutional encoder applied to two MNIST-like digits, to tell whether they show
the same digit (seed: the functional-API guide).

    KERAS_BACKEND=torch python examples/shared_vision_model.py

The seed's digits are channels-first (1, 27, 27) images and its convolutions have 64 filters. Calling
`vision_model` twice shares it, weights and all: the classifier holds one set of its variables.
"""

import numpy as np

import kerasx as keras


def build_model(image_shape=(27, 27, 1), filters=64):
    """The seed's sizes by default (in channels-last layout)."""
    layers = keras.layers
    digit_input = keras.Input(shape=image_shape)
    x = layers.Conv2D(filters, (3, 3))(digit_input)
    x = layers.Conv2D(filters, (3, 3))(x)
    x = layers.MaxPooling2D((2, 2))(x)
    out = layers.Flatten()(x)
    vision_model = keras.Model(digit_input, out, name="vision")

    digit_a = keras.Input(shape=image_shape)
    digit_b = keras.Input(shape=image_shape)
    out_a = vision_model(digit_a)
    out_b = vision_model(digit_b)
    concatenated = layers.concatenate([out_a, out_b])
    out = layers.Dense(1, activation="sigmoid")(concatenated)
    return keras.Model([digit_a, digit_b], out, name="classification"), vision_model


def train(model, x, y, batch_size, steps):
    """`fit` for one epoch; on the inference-only numpy backend, `predict` instead."""
    if keras.backend.backend() == "numpy":
        model.predict(x, batch_size=batch_size, verbose=0)
        return None
    history = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    print(f"loss after {steps} steps: {history.history['loss'][-1]:.4f}")
    return history


def main(steps=5, batch_size=4):
    image_shape, filters = (12, 12, 1), 4  # the seed: (1, 27, 27) channels first, 64 filters
    model, vision_model = build_model(image_shape, filters)
    model.summary()
    # 12 -> 10 -> 8 -> pooled 4: 4 * 4 * filters features per digit.
    assert vision_model.output_shape == (None, 4 * 4 * filters), vision_model.output_shape
    assert model.output_shape == (None, 1), model.output_shape
    assert len(model.weights) == len(vision_model.weights) + 2  # the shared encoder once, plus the Dense

    rng = np.random.default_rng(0)
    count = steps * batch_size
    digits_a = rng.random((count, *image_shape), dtype="float32")
    digits_b = rng.random((count, *image_shape), dtype="float32")
    same = rng.integers(0, 2, (count, 1)).astype("float32")
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    history = train(model, [digits_a, digits_b], same, batch_size, steps)
    return model, history


if __name__ == "__main__":
    main()
