"""Small models for the saving tests, built the same way by kerasx (in-process or in a subprocess per backend) and,
in `KERAS_SOURCE`, by Keras 3: an MLP, a CNN with BatchNormalization, an LSTM model and the seeds' two-input
model (headline ids -> Embedding -> LSTM, plus an auxiliary input; two outputs)."""

from __future__ import annotations

import numpy as np

MODEL_NAMES = ("mlp", "cnn", "lstm", "two_input")


def build(lib, name):
    """The model `name` built with `lib` (kerasx or keras; both spell the API the same)."""
    layers = lib.layers
    if name == "mlp":
        return lib.Sequential([lib.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(3)])
    if name == "cnn":
        x = inputs = lib.Input((8, 8, 2))
        x = layers.Conv2D(4, 3)(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Flatten()(x)
        return lib.Model(inputs, layers.Dense(2)(x))
    if name == "lstm":
        inputs = lib.Input((5, 3))
        return lib.Model(inputs, layers.Dense(2)(layers.LSTM(4)(inputs)))
    if name == "two_input":
        main_input = lib.Input((10,), dtype="int32", name="main_input")
        lstm_out = layers.LSTM(4)(layers.Embedding(output_dim=8, input_dim=50)(main_input))
        aux_output = layers.Dense(1, activation="sigmoid", name="aux_output")(lstm_out)
        aux_input = lib.Input((5,), name="aux_input")
        x = layers.Concatenate()([lstm_out, aux_input])
        x = layers.Dense(8, activation="relu")(x)
        x = layers.Dense(8, activation="relu")(x)
        main_output = layers.Dense(1, activation="sigmoid", name="main_output")(x)
        return lib.Model([main_input, aux_input], [main_output, aux_output])
    raise ValueError(name)


def randomize(model, seed=0):
    """Non-trivial weights (BatchNormalization statistics included), the same for a given architecture."""
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        shape = tuple(variable.shape)
        value = rng.uniform(0.5, 1.5, shape) if "variance" in variable.path else rng.normal(0, 0.5, shape)
        variable.assign(value.astype("float32"))


def inputs(name, seed=1):
    rng = np.random.default_rng(seed)
    if name == "mlp":
        return rng.normal(size=(4, 6)).astype("float32")
    if name == "cnn":
        return rng.normal(size=(3, 8, 8, 2)).astype("float32")
    if name == "lstm":
        return rng.normal(size=(3, 5, 3)).astype("float32")
    return [rng.integers(0, 50, size=(3, 10)).astype("int32"), rng.normal(size=(3, 5)).astype("float32")]


def targets(name, seed=2):
    rng = np.random.default_rng(seed)
    if name == "mlp":
        return rng.normal(size=(4, 3)).astype("float32")
    if name in ("cnn", "lstm"):
        return rng.normal(size=(3, 2)).astype("float32")
    labels = rng.integers(0, 2, size=(3, 1)).astype("float32")
    return [labels, labels]


def compile_args(name) -> dict:
    if name == "two_input":
        return {"optimizer": "rmsprop", "loss": "binary_crossentropy", "loss_weights": [1.0, 0.2]}
    return {"optimizer": "adam", "loss": "mse", "metrics": ["mae"]}


def predictions(model, name) -> list:
    outputs = model.predict(inputs(name), verbose=0)
    return [np.asarray(o) for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]


# A subprocess writes each model (randomized; compiled when the backend trains, and the MLP trained one step) to
# DIRECTORY/<name>.keras and .weights.h5 with `lib`, saves its predictions to DIRECTORY/<name>.npz, then loads the
# files of OTHER_DIRECTORY (when given) and saves their predictions to DIRECTORY/<name>.loaded.npz.
WORKER_SOURCE = """
import sys, os
import numpy as np
sys.path.insert(0, {tests_dir!r})
import saving_models as sm
{import_lib}
trains = {trains!r}
for name in sm.MODEL_NAMES:
    model = sm.build(lib, name)
    sm.randomize(model)
    if trains:
        model.compile(**sm.compile_args(name))
        if name == "mlp":
            model.train_on_batch(sm.inputs(name), sm.targets(name))
    model.save(os.path.join({directory!r}, name + ".keras"))
    model.save_weights(os.path.join({directory!r}, name + ".weights.h5"))
    np.savez(os.path.join({directory!r}, name + ".npz"), *sm.predictions(model, name))
other = {other_directory!r}
if other:
    for name in sm.MODEL_NAMES:
        model = load(os.path.join(other, name + ".keras"))
        np.savez(os.path.join({directory!r}, name + ".loaded.npz"), *sm.predictions(model, name))
        fresh = sm.build(lib, name)
        fresh.load_weights(os.path.join(other, name + ".weights.h5"))
        np.savez(os.path.join({directory!r}, name + ".weights_loaded.npz"), *sm.predictions(fresh, name))
print("WORKER DONE")
"""
KERASX_IMPORT = "import kerasx as lib\nfrom kerasx import saving\nload = saving.load_model"
KERAS_IMPORT = "import keras as lib\nload = lib.saving.load_model"
