"""A residual connection around a convolution: `z = x + conv(x)` (seed: the functional-API guide; "Deep Residual
Learning for Image Recognition").

    KERAS_BACKEND=torch python examples/residual_connection.py

The seed's input is a channels-first (3, 256, 256) image; here channels last. The 3x3 convolution has as many
filters as the input has channels, so its output can be added to its input.
"""

import numpy as np

import kerasx as keras


def build_model(image_shape=(256, 256, 3)):
    """The seed's sizes by default (in channels-last layout)."""
    x = keras.Input(shape=image_shape)
    y = keras.layers.Conv2D(image_shape[-1], (3, 3), padding="same")(x)
    z = keras.layers.add([x, y])
    return keras.Model(x, z, name="residual")


def train(model, x, y, batch_size, steps):
    """`fit` for one epoch; on the inference-only numpy backend, `predict` instead."""
    if keras.backend.backend() == "numpy":
        model.predict(x, batch_size=batch_size, verbose=0)
        return None
    history = model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    print(f"loss after {steps} steps: {history.history['loss'][-1]:.4f}")
    return history


def main(steps=5, batch_size=4):
    image_shape = (16, 16, 3)  # the seed: (3, 256, 256), channels first
    model = build_model(image_shape)
    model.summary()
    assert model.output_shape == (None, *image_shape), model.output_shape

    rng = np.random.default_rng(0)
    images = rng.random((steps * batch_size, *image_shape), dtype="float32")
    # With a zero kernel and bias the block is the identity: the skip path carries the input through.
    conv = model.layers[1]
    conv.set_weights([np.zeros_like(w) for w in conv.get_weights()])
    np.testing.assert_allclose(model.predict(images[:batch_size], verbose=0), images[:batch_size], rtol=1e-6)

    model.compile(optimizer="adam", loss="mse")
    history = train(model, images, 2.0 * images, batch_size, steps)
    return model, history


if __name__ == "__main__":
    main()
