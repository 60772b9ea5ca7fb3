"""A Keras 3 program for the bench's tests: 2 epochs of a small MLP on fixed random data, then predict."""

# pyright: reportArgumentType=false
# (pyright reads `import keras` as Keras 3, whose untyped `verbose="auto"` it takes for a str parameter)

import numpy as np

import keras

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.standard_normal((128, 8)).astype("float32")
y = (x[:, 0] > 0).astype("int32")
model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
if keras.config.backend() != "numpy":  # the numpy engine is inference only
    model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
model.predict(x[:32], verbose=0)
