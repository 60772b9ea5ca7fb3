"""A Keras 3 program for the bench's tests: fails on the numpy engine; elsewhere builds a model and calls neither
`fit` nor `predict` (the bench then reports its wall time only)."""

import keras

if keras.config.backend() == "numpy":
    raise RuntimeError("this program does not run on the numpy engine")
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
print("parameters:", model.count_params())
