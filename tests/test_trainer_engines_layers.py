"""The layer families' models train to the same losses and weights on every engine (20 steps, 1e-4): a transformer
encoder classifier (`MultiHeadAttention`), a convolutional autoencoder (`Conv2DTranspose`), a DCGAN generator
(`Conv2DTranspose`, `BatchNormalization`, `LeakyReLU`) and a MobileNet-style block (`DepthwiseConv2D`,
`SeparableConv2D`, `ReLU(6)`, a residual).

As in `test_trainer_engines`, the active engine trains here and the others run this file as a script
(`engine_agreement`); initial weights, and everything random, come from kerasx's seeded generators.
"""

import numpy as np
import pytest

import engine_agreement
import kerasx
from kerasx import layers, losses, optimizers

NUM_CLASSES = 3
pytestmark = engine_agreement.runs_once


def transformer_data_and_model():
    rng = np.random.default_rng(10)
    tokens = rng.integers(1, 20, size=(16, 8)).astype("int32")
    labels = (tokens[:, :2].sum(axis=1) % NUM_CLASSES).astype("int32")
    inputs = layers.Input((8,), dtype="int32")
    x = layers.Embedding(20, 8)(inputs)
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.1)(x, x)
    x = layers.LayerNormalization()(layers.Add()([x, attended]))
    feed_forward = layers.Dense(8)(layers.Dense(16, activation="relu")(x))
    x = layers.LayerNormalization()(layers.Add()([x, feed_forward]))
    x = layers.GlobalAveragePooling1D()(x)
    return tokens, labels, kerasx.Model(inputs, layers.Dense(NUM_CLASSES)(x))


def autoencoder_data_and_model():
    rng = np.random.default_rng(11)
    images = rng.uniform(size=(16, 8, 8, 1)).astype("float32")
    inputs = layers.Input((8, 8, 1))
    x = layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2DTranspose(4, 3, strides=2, padding="same", activation="relu")(x)
    return images, images, kerasx.Model(inputs, layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x))


def generator_data_and_model():
    rng = np.random.default_rng(12)
    noise = rng.normal(size=(16, 8)).astype("float32")
    grid = np.linspace(-1.0, 1.0, 16, dtype="float32")
    images = np.tanh(noise[:, :1, None] * grid[None, :, None] + noise[:, 1:2, None] * grid[None, None, :])[..., None]
    inputs = layers.Input((8,))
    # No bias before batch normalization: BN subtracts it again, so its gradient would be pure rounding noise.
    x = layers.Dense(4 * 4 * 8, use_bias=False)(inputs)
    x = layers.LeakyReLU(negative_slope=0.2)(layers.BatchNormalization()(x))
    x = layers.Reshape((4, 4, 8))(x)
    x = layers.Conv2DTranspose(8, 4, strides=2, padding="same", use_bias=False)(x)
    x = layers.LeakyReLU(negative_slope=0.2)(layers.BatchNormalization()(x))
    outputs = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
    return noise, images.astype("float32"), kerasx.Model(inputs, outputs)


def mobilenet_data_and_model():
    rng = np.random.default_rng(13)
    images = rng.normal(size=(16, 8, 8, 8)).astype("float32")
    labels = (np.argmax(images.mean(axis=(1, 2))[:, :NUM_CLASSES], axis=1)).astype("int32")
    inputs = layers.Input((8, 8, 8))
    x = layers.Conv2D(16, 1, use_bias=False)(inputs)
    x = layers.ReLU(6.0)(layers.BatchNormalization()(x))
    x = layers.DepthwiseConv2D(3, padding="same", use_bias=False)(x)
    x = layers.ReLU(max_value=6.0)(layers.BatchNormalization()(x))
    x = layers.BatchNormalization()(layers.Conv2D(8, 1, use_bias=False)(x))
    x = layers.Add()([inputs, x])
    x = layers.SeparableConv2D(8, 3, padding="same", depth_multiplier=2, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    return images, labels, kerasx.Model(inputs, layers.Dense(NUM_CLASSES)(x))


def _classifier(data_and_model, optimizer):
    return engine_agreement.train(data_and_model, optimizer, losses.SparseCategoricalCrossentropy(from_logits=True))


FAMILIES = {
    # SGD for the transformer: attention's key bias has a gradient of pure rounding noise (softmax cancels it),
    # which Adam would scale up to full steps differently on every engine.
    "transformer": lambda: _classifier(transformer_data_and_model, optimizers.SGD(0.1, momentum=0.9)),
    "autoencoder": lambda: engine_agreement.train(autoencoder_data_and_model, optimizers.Adam(0.01), "mse"),
    "generator": lambda: engine_agreement.train(generator_data_and_model, optimizers.Adam(2e-3, beta_1=0.5), "mse"),
    "mobilenet": lambda: _classifier(mobilenet_data_and_model, optimizers.Adam(0.01)),
}


@pytest.fixture(scope="module")
def other_engines():
    engines = engine_agreement.OtherEngines(__file__)
    yield engines
    engines.stop()


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_twenty_steps_agree_across_engines(family, other_engines):
    engine_agreement.check_family(FAMILIES, family, other_engines)


if __name__ == "__main__":
    engine_agreement.print_results(FAMILIES)
