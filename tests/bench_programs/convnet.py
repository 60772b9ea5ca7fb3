"""A Keras 3 program for the bench's tests: a functional convnet trained for `--epochs` on fixed random images."""

# pyright: reportArgumentType=false
# (pyright reads `import keras` as Keras 3, whose untyped `verbose="auto"` it takes for a str parameter)

import argparse

import numpy as np

import keras
from keras import layers

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=1)
args = parser.parse_args()

keras.utils.set_random_seed(0)
rng = np.random.default_rng(1)
x = rng.random((64, 8, 8, 1)).astype("float32")
y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("float32")
inputs = keras.Input(shape=(8, 8, 1))
hidden = layers.Conv2D(4, 3, activation="relu")(inputs)
hidden = layers.GlobalAveragePooling2D()(hidden)
outputs = layers.Dense(1, activation="sigmoid")(hidden)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
if keras.config.backend() != "numpy":
    model.fit(x, y, batch_size=16, epochs=args.epochs, shuffle=False, verbose=0)
print("predictions:", model.predict(x[:8], verbose=0).ravel())
