"""An inception module: three convolution towers on one image, concatenated along the channels (seed: the
functional-API guide; "Going Deeper with Convolutions").

    KERAS_BACKEND=torch python examples/inception_module.py

The seed uses Keras 1 channels-first images of shape (3, 256, 256) and 64 filters per tower, concatenated on
axis 1. Keras 3 defaults to channels last, so here images are (height, width, channels) and the towers are
concatenated on the last axis.
"""

import numpy as np

import kerasx as keras


def build_model(image_shape=(256, 256, 3), filters=64):
    """The seed's sizes by default (in channels-last layout)."""
    layers = keras.layers
    input_img = keras.Input(shape=image_shape)

    tower_1 = layers.Conv2D(filters, (1, 1), padding="same", activation="relu")(input_img)
    tower_1 = layers.Conv2D(filters, (3, 3), padding="same", activation="relu")(tower_1)

    tower_2 = layers.Conv2D(filters, (1, 1), padding="same", activation="relu")(input_img)
    tower_2 = layers.Conv2D(filters, (5, 5), padding="same", activation="relu")(tower_2)

    tower_3 = layers.MaxPooling2D((3, 3), strides=(1, 1), padding="same")(input_img)
    tower_3 = layers.Conv2D(filters, (1, 1), padding="same", activation="relu")(tower_3)

    output = layers.concatenate([tower_1, tower_2, tower_3], axis=-1)
    return keras.Model(input_img, output, name="inception")


def train(model, x, y, batch_size, steps):
    """`fit` for one epoch; on the inference-only numpy backend, `predict` instead."""
    if keras.backend.backend() == "numpy":
        model.predict(x, batch_size=batch_size, verbose=0)
        return None
    history = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    print(f"loss after {steps} steps: {history.history['loss'][-1]:.4f}")
    return history


def main(steps=5, batch_size=4):
    image_shape, filters = (16, 16, 3), 8  # the seed: (3, 256, 256) channels first, 64 filters
    model = build_model(image_shape, filters)
    model.summary()
    assert model.output_shape == (None, 16, 16, 3 * filters), model.output_shape

    rng = np.random.default_rng(0)
    images = rng.random((steps * batch_size, *image_shape), dtype="float32")
    targets = rng.random((steps * batch_size, 16, 16, 3 * filters), dtype="float32")
    model.compile(optimizer="adam", loss="mse")
    history = train(model, images, targets, batch_size, steps)
    return model, history


if __name__ == "__main__":
    main()
