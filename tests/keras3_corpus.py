"""A corpus of models that Keras 3 and kerasx can both build, for the `.keras` interchange tests.

Every case is a function `build(lib)` where `lib` is `keras` or `kerasx` (both spell the API the same), so the
same architecture is built by each library. Adding a layer kind to the corpus is one line in `LAYER_CASES` (or one
builder below). Cases listed in `TRAINED` are compiled and fitted a few steps before saving; `COMPILED` cases are
compiled only.

Run as a script under Keras 3, this module writes the corpus for one engine (see `main`):

    KERAS_BACKEND=jax python tests/keras3_corpus.py --write DIR
    KERAS_BACKEND=torch python tests/keras3_corpus.py --read KDIR --out DIR

`--write` writes, for each case, DIR/<case>.keras, DIR/<case>.npz (inputs, outputs, weights, and for trained cases
the training batch, the weights and optimizer variables after one more step) and DIR/<case>.json (layer names,
evaluate results). `--read` loads KDIR/<case>.keras (written by kerasx the same way) and writes what Keras 3
predicts from it, and for trained cases the weights after one more step, to DIR/<case>.from_kerasx.npz, and the
layer names or the error to DIR/<case>.from_kerasx.json.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import sys
import traceback

import numpy as np

EXAMPLES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
BATCH = 3
INT_HIGH = 5  # integer inputs are drawn from [0, INT_HIGH): every Embedding here has input_dim >= INT_HIGH


# Layer kinds: one small Sequential model per entry, `lambda layers: [layer, ...]` after an Input of the shape given.
LAYER_CASES = {
    "dense": ((6,), lambda L: [L.Dense(5, activation="relu"), L.Dense(3, use_bias=False, activation="softmax")]),
    "activation": ((6,), lambda L: [L.Dense(4), L.Activation("tanh")]),
    "conv1d": ((10, 3), lambda L: [L.Conv1D(4, 3, padding="same", activation="relu"), L.Conv1D(2, 2, strides=2)]),
    "conv1d_causal_dilated": ((10, 3), lambda L: [L.Conv1D(3, 3, padding="causal", dilation_rate=2)]),
    "conv2d": ((8, 8, 2), lambda L: [L.Conv2D(3, (3, 3), strides=2), L.Conv2D(2, 2, padding="same", use_bias=False)]),
    "conv3d": ((5, 5, 5, 1), lambda L: [L.Conv3D(2, 2, activation="relu"), L.Conv3D(2, (1, 2, 2), strides=2)]),
    "pooling1d": ((8, 3), lambda L: [L.MaxPooling1D(2), L.AveragePooling1D(2, strides=1, padding="same")]),
    "pooling2d": ((8, 8, 2), lambda L: [L.MaxPooling2D((2, 2)), L.AveragePooling2D(3, strides=1, padding="same")]),
    "pooling3d": ((4, 4, 4, 2), lambda L: [L.MaxPooling3D(2), L.AveragePooling3D((1, 2, 2), padding="same")]),
    "global_pooling1d": ((5, 3), lambda L: [L.GlobalAveragePooling1D()]),
    "global_max_pooling1d": ((5, 3), lambda L: [L.GlobalMaxPooling1D(keepdims=True)]),
    "global_pooling2d": ((4, 4, 3), lambda L: [L.GlobalMaxPooling2D()]),
    "global_avg_pooling2d": ((4, 4, 3), lambda L: [L.GlobalAveragePooling2D(keepdims=True)]),
    "global_pooling3d": ((3, 3, 3, 2), lambda L: [L.GlobalAveragePooling3D()]),
    "global_max_pooling3d": ((3, 3, 3, 2), lambda L: [L.GlobalMaxPooling3D()]),
    "batch_norm": ((6,), lambda L: [L.Dense(4), L.BatchNormalization(momentum=0.9, epsilon=1e-3)]),
    "batch_norm_conv": ((4, 4, 3), lambda L: [L.BatchNormalization(axis=-1, center=False), L.Flatten()]),
    "layer_norm": ((5, 4), lambda L: [L.LayerNormalization(), L.LayerNormalization(axis=[1, 2], scale=False)]),
    "dropout": ((6,), lambda L: [L.Dense(4), L.Dropout(0.5), L.Dense(2)]),
    "embedding_mask": ((7,), lambda L: [L.Embedding(10, 4, mask_zero=True), L.LSTM(3)]),
    "simple_rnn": ((6, 3), lambda L: [L.SimpleRNN(4, return_sequences=True), L.SimpleRNN(2, activation="relu")]),
    "lstm": ((6, 3), lambda L: [L.LSTM(4, return_sequences=True, go_backwards=True), L.LSTM(2, unit_forget_bias=False)]),
    "gru": ((6, 3), lambda L: [L.GRU(4, return_sequences=True), L.GRU(2, reset_after=False)]),
    "bidirectional": ((6, 3), lambda L: [L.Bidirectional(L.LSTM(3, return_sequences=True)),
                                        L.Bidirectional(L.GRU(2), merge_mode="sum")]),
    "time_distributed": ((4, 5), lambda L: [L.TimeDistributed(L.Dense(3)), L.TimeDistributed(L.Dense(2))]),
    "reshape": ((12,), lambda L: [L.Reshape((3, 4)), L.Permute((2, 1)), L.Flatten(), L.RepeatVector(2)]),
    "padding1d": ((5, 2), lambda L: [L.ZeroPadding1D((1, 2))]),
    "padding2d": ((4, 4, 2), lambda L: [L.ZeroPadding2D(((1, 0), (2, 1)))]),
    "padding3d": ((2, 3, 2, 1), lambda L: [L.ZeroPadding3D(1)]),
}
INT_INPUT_CASES = {"embedding_mask"}


def _layer_case(name):
    shape, make = LAYER_CASES[name]

    def build(lib):
        dtype = "int32" if name in INT_INPUT_CASES else "float32"
        return lib.Sequential([lib.Input(shape, dtype=dtype), *make(lib.layers)], name=f"seq_{name}")

    return build


# Graph cases --------------------------------------------------------------------------------------------------
def sequential_built_later(lib):
    model = lib.Sequential([lib.layers.Dense(4, activation="relu"), lib.layers.Dense(2)])
    model.build((None, 6))
    return model


def merging(lib):
    L = lib.layers
    a, b = lib.Input((4,), name="left"), lib.Input((4,), name="right")
    merged = [L.Add()([a, b]), L.Subtract()([a, b]), L.Multiply()([a, b]), L.Average()([a, b]),
              L.Maximum()([a, b]), L.Minimum()([a, b]), L.Dot(axes=1, normalize=True)([a, b])]
    return lib.Model([a, b], L.Concatenate(axis=-1)(merged), name="merging")


def multi_io(lib):
    L = lib.layers
    a, b = lib.Input((5,), name="a"), lib.Input((3,), name="b")
    x = L.Dense(4, activation="relu", name="trunk")(L.concatenate([a, b]))
    first = L.Dense(2, name="first")(x)
    second = L.Dense(3, activation="softmax", name="second")(L.add([x, L.Dense(4)(b)]))
    return lib.Model([a, b], [first, second], name="multi_io")


def shared_layers(lib):
    L = lib.layers
    a, b = lib.Input((4,)), lib.Input((4,))
    shared = L.Dense(3, activation="tanh", name="shared")
    # Three calls of one layer: two on inputs, one on another layer's output.
    outputs = [shared(a), shared(b), shared(L.Dense(4)(a))]
    return lib.Model([a, b], L.Concatenate()(outputs), name="shared_layers")


def nested_models(lib):
    L = lib.layers
    inner = lib.Sequential([lib.Input((4,)), L.Dense(5, activation="relu"), L.Dense(3)], name="inner_seq")
    x = lib.Input((6,))
    block = lib.Model(x, L.Dense(4)(x), name="block")
    y = lib.Input((6,))
    middle = lib.Model(y, inner(block(y)), name="middle")
    side = lib.Sequential([lib.Input((6,)), L.Dense(3, activation="tanh")], name="side")
    z = lib.Input((6,), name="outer_input")
    return lib.Model(z, L.Dense(2)(L.concatenate([middle(z), side(z)])), name="nested")


def nested_shared_model(lib):
    """A model called inside another nested model and directly as well (Keras 3 cannot load its own file)."""
    L = lib.layers
    x = lib.Input((6,))
    block = lib.Model(x, L.Dense(4)(x), name="block")
    y = lib.Input((6,))
    middle = lib.Model(y, L.Dense(3)(block(y)), name="middle")
    z = lib.Input((6,), name="outer_input")
    return lib.Model(z, L.Dense(2)(L.concatenate([middle(z), block(z)])), name="nested_shared")


def ops_graph(lib):
    ops = lib.ops
    a, b = lib.Input((4,), name="a"), lib.Input((4,), name="b")
    x = ops.add(a, b)
    mean = ops.mean(x, axis=1, keepdims=True)
    scaled = x * 2.0 - b
    first = scaled[:, 0:2]
    column = ops.expand_dims(x[:, 0], axis=-1)
    joined = ops.concatenate([first, mean, column], axis=-1)
    dense = lib.layers.Dense(3)(joined)
    out = ops.softmax(ops.matmul(dense, ops.transpose(ops.ones((4, 3)) * 0.5)) / 2, axis=-1)
    reshaped = ops.reshape(ops.sqrt(ops.abs(x) + 1.0), (-1, 2, 2))
    return lib.Model([a, b], [out, ops.sum(reshaped, axis=1), ops.maximum(x, 0.0)], name="ops_graph")


def ops_graph_options(lib):
    """Ops whose Keras operation takes options before its tensors (einsum), a call-time option (pad's
    constant_values), `...` in a key, a list index, comparisons and casts."""
    ops = lib.ops
    a, b = lib.Input((4,), name="a"), lib.Input((4,), name="b")
    positive = ops.cast(a > 0, "float32")
    chosen = ops.where(a > b, a, 0.0)
    padded = ops.pad(chosen[..., 1:], [[0, 0], [1, 1]])
    dotted = ops.expand_dims(ops.einsum("bi,bi->b", a, b), -1)
    clipped = ops.clip(b, -0.5, 0.5)
    taken = ops.take(a, [0, 2], axis=1)
    joined = ops.concatenate([positive, padded, dotted, clipped, taken, ops.relu(b)], axis=-1)
    return lib.Model([a, b], lib.layers.Dense(2)(joined), name="ops_graph_options")


def masked_rnn(lib):
    L = lib.layers
    ids = lib.Input((6,), dtype="int32", name="ids")
    embedded = L.Embedding(8, 4, mask_zero=True)(ids)
    sequences = L.Bidirectional(L.GRU(3, return_sequences=True))(embedded)
    last = L.LSTM(2)(sequences)
    pooled = L.GlobalAveragePooling1D()(sequences)
    return lib.Model(ids, L.Concatenate()([last, pooled]), name="masked_rnn")


def rnn_states(lib):
    L = lib.layers
    x = lib.Input((5, 3))
    sequence, h, c = L.LSTM(4, return_sequences=True, return_state=True)(x)
    decoded = L.LSTM(4)(sequence, initial_state=[h, c])
    gru_out, gru_state = L.GRU(2, return_state=True)(x)
    return lib.Model(x, [decoded, gru_out, gru_state], name="rnn_states")


def lambda_layer(lib):
    x = lib.Input((4,))
    y = lib.layers.Lambda(lambda t: t * 2.0 + 1.0, name="affine")(x)
    return lib.Model(x, lib.layers.Dense(2)(y), name="lambda_model")


# Custom objects: the classes are defined for the library that builds them, and registered under "Corpus>...".
_CUSTOM = {}


def custom_objects(lib) -> dict:
    """{"Corpus>Scale": layer class, "Corpus>shifted_relu": function} defined and registered with `lib`."""
    if lib.__name__ in _CUSTOM:
        return _CUSTOM[lib.__name__]
    register = lib.saving.register_keras_serializable

    @register(package="Corpus")
    class Scale(lib.layers.Layer):
        def __init__(self, factor=1.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.gain = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="gain")

        def call(self, inputs):
            return inputs * self.gain * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    @register(package="Corpus")
    def shifted_relu(x):
        return lib.ops.relu(x - 0.5)

    class Unregistered(lib.layers.Layer):
        def call(self, inputs):
            return inputs - 1.0

    _CUSTOM[lib.__name__] = {"Corpus>Scale": Scale, "Corpus>shifted_relu": shifted_relu, "Unregistered": Unregistered}
    return _CUSTOM[lib.__name__]


def custom_layer(lib):
    objects = custom_objects(lib)
    x = lib.Input((4,))
    y = objects["Corpus>Scale"](factor=3.0)(lib.layers.Dense(3, activation=objects["Corpus>shifted_relu"])(x))
    return lib.Model(x, y, name="custom_layer")


def unregistered_layer(lib):
    x = lib.Input((4,))
    return lib.Model(x, custom_objects(lib)["Unregistered"]()(lib.layers.Dense(2)(x)), name="unregistered")


# The functional-API guide's models (examples/), small sizes; `keras` in each module is swapped for `lib`.
def _example(module_name, lib):
    spec = importlib.util.spec_from_file_location(f"corpus_example_{module_name}", os.path.join(EXAMPLES_DIR,
                                                                                                  f"{module_name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, EXAMPLES_DIR)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(EXAMPLES_DIR)
    module.keras = lib
    return module


def _first(value):
    return value[0] if isinstance(value, tuple) else value


EXAMPLE_CASES = {
    "example_functional_mlp": ("functional_mlp", {"input_dim": 12, "units": 8}),
    "example_inception": ("inception_module", {"image_shape": (8, 8, 3), "filters": 4}),
    "example_model_as_layer": ("model_as_layer", {"input_dim": 12, "units": 8}),
    "example_multi_io": ("multi_input_multi_output", {"seq_len": 6, "vocab_size": 10, "embed_dim": 4,
                                                      "lstm_units": 4, "units": 8}),
    "example_residual": ("residual_connection", {"image_shape": (6, 6, 3)}),
    "example_shared_lstm": ("shared_lstm_tweets", {"tweet_length": 5, "alphabet": 6, "units": 4}),
    "example_shared_vision": ("shared_vision_model", {"image_shape": (10, 10, 1), "filters": 3}),
    "example_time_distributed": ("time_distributed_model", {"timesteps": 3, "input_dim": 8, "units": 6}),
    "example_vqa": ("visual_question_answering", {"image_shape": (32, 32, 3), "filters": (2, 3, 4),
                                                 "question_length": 5, "vocab_size": 10, "embed_dim": 4,
                                                 "lstm_units": 4, "num_answers": 6}),
    "example_video_qa": ("video_question_answering", {"frames": 2, "image_shape": (32, 32, 3), "filters": (2, 2, 2),
                                                      "question_length": 5, "vocab_size": 10, "embed_dim": 4,
                                                      "lstm_units": 3, "num_answers": 4}),
}


def _example_case(name):
    module_name, kwargs = EXAMPLE_CASES[name]

    def build(lib):
        module = _example(module_name, lib)
        if module_name == "video_question_answering":
            sys.modules["visual_question_answering"].keras = lib
        return _first(module.build_model(**kwargs))

    return build


# Compiled and trained cases: (builder, compile arguments as a function of lib, number of fit steps before saving).
def _compile_sparse_object(lib):
    return {"optimizer": lib.optimizers.Adam(learning_rate=0.01), "metrics": ["accuracy"],
            "loss": lib.losses.SparseCategoricalCrossentropy(from_logits=True)}


def _compile_per_output_dicts(lib):
    return {"optimizer": lib.optimizers.SGD(learning_rate=0.05, momentum=0.9),
            "loss": {"first": "mse", "second": lib.losses.CategoricalCrossentropy()},
            "loss_weights": {"first": 1.0, "second": 0.3},
            "metrics": {"first": ["mae"], "second": [lib.metrics.CategoricalAccuracy()]}}


def _compile_lists(lib):
    return {"optimizer": "rmsprop", "loss": ["mse", lib.losses.MeanAbsoluteError()], "loss_weights": [0.5, 2.0],
            "metrics": [["mse"], ["mae", lib.metrics.RootMeanSquaredError()]]}


def _compile_string(lib):
    return {"optimizer": "adam", "loss": "mse", "metrics": ["mae"]}


def classifier(lib):
    L = lib.layers
    x = lib.Input((6,))
    return lib.Model(x, L.Dense(4)(L.BatchNormalization()(L.Dense(5, activation="relu")(x))), name="classifier")


def two_outputs(lib):
    L = lib.layers
    x = lib.Input((5,))
    h = L.Dense(4, activation="tanh")(x)
    return lib.Model(x, [L.Dense(2, name="first")(h), L.Dense(3, activation="softmax")(h)], name="two_outputs")


TRAINED = {
    "train_sparse_object": (classifier, _compile_sparse_object, 3),
    "train_per_output_dicts": (multi_io, _compile_per_output_dicts, 2),
    "train_lstm_string": (_layer_case("lstm"), _compile_string, 2),
}
COMPILED = {"compile_lists": (two_outputs, _compile_lists)}


def _targets(case, model, rng):
    """Training targets for a compiled case, one per output."""
    if case == "train_sparse_object":
        return rng.integers(0, 4, size=(BATCH,)).astype("int32")
    arrays = []
    for output in model.outputs:
        shape = (BATCH, *output.shape[1:])
        if case == "train_per_output_dicts" and len(arrays) == 1 or case == "compile_lists" and len(arrays) == 1:
            arrays.append(np.eye(shape[-1], dtype="float32")[rng.integers(0, shape[-1], BATCH)])
        else:
            arrays.append(rng.normal(size=shape).astype("float32"))
    return arrays[0] if len(arrays) == 1 else arrays


CASES = {f"layer_{name}": _layer_case(name) for name in LAYER_CASES}
CASES.update({
    "sequential_built_later": sequential_built_later,
    "merging": merging,
    "multi_io": multi_io,
    "shared_layers": shared_layers,
    "nested_models": nested_models,
    "nested_shared_model": nested_shared_model,
    "ops_graph": ops_graph,
    "ops_graph_options": ops_graph_options,
    "masked_rnn": masked_rnn,
    "rnn_states": rnn_states,
    "lambda_layer": lambda_layer,
    "custom_layer": custom_layer,
    "unregistered_layer": unregistered_layer,
})
CASES.update({name: _example_case(name) for name in EXAMPLE_CASES})
CASES.update({name: entry[0] for name, entry in TRAINED.items()})
CASES.update({name: entry[0] for name, entry in COMPILED.items()})
NEEDS_UNSAFE = {"lambda_layer"}
NEEDS_CUSTOM_OBJECTS = {"unregistered_layer"}
# kerasx refuses to save a Lambda of an unregistered Python function (Keras 3 stores its bytecode).
KERASX_CANNOT_SAVE = {"lambda_layer"}
# Keras 3 cannot load a model whose nested model is also called directly (nor its own file of one).
KERAS_CANNOT_LOAD = {"nested_shared_model"} | KERASX_CANNOT_SAVE


def corpus_key() -> str:
    """Hash of what the written files depend on: this module, the examples, and the library versions."""
    keras_version = importlib.metadata.version("keras")
    tf_keras_version = importlib.metadata.version("tf_keras") if importlib.util.find_spec("tf_keras") else ""
    digest = hashlib.sha256()
    sources = [os.path.abspath(__file__)]
    # Python files only: running the examples leaves a __pycache__ folder beside them.
    sources += sorted(os.path.join(EXAMPLES_DIR, name) for name in os.listdir(EXAMPLES_DIR) if name.endswith(".py"))
    for source in sources:
        with open(source, "rb") as file:
            digest.update(file.read())
    digest.update(f"{keras_version} {tf_keras_version} {np.__version__} {sys.version}".encode())
    return digest.hexdigest()[:16]


# Shared between the writers (Keras 3 and kerasx) ------------------------------------------------------------
def randomize(model, seed=0):
    """Reproducible non-trivial weights (positive variances), assigned in `model.weights` order."""
    rng = np.random.default_rng(seed)
    for variable in model.weights:
        shape = tuple(variable.shape)
        path = getattr(variable, "path", variable.name)  # tf.keras 2 variables have only a name
        if "variance" in path:
            value = rng.uniform(0.5, 1.5, shape)
        elif "embeddings" in path:
            value = rng.normal(0, 1.0, shape)
        else:
            value = rng.normal(0, 0.4, shape)
        variable.assign(value.astype(_dtype_name(variable.dtype)))


def _dtype_name(dtype) -> str:
    return getattr(dtype, "name", dtype)


def make_inputs(model, seed=1) -> list:
    rng = np.random.default_rng(seed)
    arrays = []
    for tensor in model.inputs:
        shape = (BATCH, *tensor.shape[1:])
        if "int" in _dtype_name(tensor.dtype):
            arrays.append(rng.integers(0, INT_HIGH, size=shape).astype(_dtype_name(tensor.dtype)))
        else:
            arrays.append(rng.normal(size=shape).astype("float32"))
    return arrays


def model_inputs(arrays):
    return arrays[0] if len(arrays) == 1 else list(arrays)


def flat_outputs(lib, outputs) -> list:
    if isinstance(outputs, dict):
        outputs = [outputs[key] for key in sorted(outputs)]
    elif not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    convert = lib.ops.convert_to_numpy if hasattr(lib, "ops") else np.asarray
    return [np.asarray(convert(o)) for o in outputs]


def predict(lib, model, arrays) -> list:
    return flat_outputs(lib, model(model_inputs(arrays), training=False))


def weights_of(model) -> list:
    return [np.asarray(v.numpy()) for v in model.weights]


def load_options(lib, case) -> dict:
    options = {}
    if case in NEEDS_UNSAFE:
        options["safe_mode"] = False
    if case in NEEDS_CUSTOM_OBJECTS:
        options["custom_objects"] = {"Unregistered": custom_objects(lib)["Unregistered"]}
    return options


def save_arrays(path, **groups):
    """npz with entries `<group>_<index>`, one list of arrays per keyword."""
    np.savez(path, **{f"{group}_{i}": a for group, arrays in groups.items() for i, a in enumerate(arrays)})


def load_arrays(path) -> dict:
    groups = {"inputs": [], "outputs": [], "weights": []}
    with np.load(path) as data:
        for key in sorted(data.files, key=lambda k: (k.rsplit("_", 1)[0], int(k.rsplit("_", 1)[1]))):
            groups.setdefault(key.rsplit("_", 1)[0], []).append(data[key])
    return groups


def write_case(lib, case, directory, trains=True, evaluate=True):
    """Builds `case` with `lib`, randomizes, compiles/fits where the case says, saves `<case>.keras`, `.npz`, `.json`
    (with `evaluate`'s results for compiled cases)."""
    model = CASES[case](lib)
    randomize(model)
    arrays = make_inputs(model)
    record = {"layers": [layer.name for layer in model.layers]}
    groups = {"inputs": arrays}
    if trains and (case in TRAINED or case in COMPILED):
        compile_args = (TRAINED.get(case) or COMPILED[case])[1](lib)
        model.compile(**compile_args)
        rng = np.random.default_rng(2)
        targets = _targets(case, model, rng)
        steps = TRAINED[case][2] if case in TRAINED else 0
        for _ in range(steps):
            model.train_on_batch(model_inputs(arrays), targets)
        groups["targets"] = targets if isinstance(targets, list) else [targets]
        if evaluate:
            results = model.evaluate(model_inputs(arrays), targets, verbose=0, return_dict=True)
            record["evaluate"] = {k: float(v) for k, v in results.items()}
    groups["outputs"] = predict(lib, model, arrays)
    groups["weights"] = weights_of(model)
    model.save(os.path.join(directory, f"{case}.keras"))
    if trains and case in TRAINED:
        model.train_on_batch(model_inputs(arrays), targets)
        groups["next_weights"] = weights_of(model)
        groups["next_optimizer"] = [np.asarray(v.numpy()) for v in model.optimizer.variables]
    save_arrays(os.path.join(directory, f"{case}.npz"), **groups)
    with open(os.path.join(directory, f"{case}.json"), "w") as file:
        json.dump(record, file)


def read_back(lib, case, source_directory, directory):
    """Loads `<case>.keras` from `source_directory` with `lib` and writes its predictions (or the error)."""
    try:
        inputs = load_arrays(os.path.join(source_directory, f"{case}.npz"))["inputs"]
        custom_objects(lib)
        arrays = load_arrays(os.path.join(source_directory, f"{case}.npz"))
        model = lib.saving.load_model(os.path.join(source_directory, f"{case}.keras"), **load_options(lib, case))
        groups = {"outputs": predict(lib, model, inputs), "weights": weights_of(model)}
        record = {"layers": [layer.name for layer in model.layers]}
        if "next_weights" in arrays:
            targets = arrays["targets"]
            record["iterations"] = int(model.optimizer.iterations.numpy())
            model.train_on_batch(model_inputs(inputs), targets[0] if len(targets) == 1 else targets)
            groups["next_weights"] = weights_of(model)
        save_arrays(os.path.join(directory, f"{case}.from_kerasx.npz"), **groups)
    except Exception:  # noqa: BLE001 - the error is the result, reported by the test that reads it
        record = {"error": traceback.format_exc()[-4000:]}
    with open(os.path.join(directory, f"{case}.from_kerasx.json"), "w") as file:
        json.dump(record, file)


# Legacy HDF5 full-model files (`model.save("m.h5")`), written by tf.keras 2 (the tf_keras package) or Keras 3.
LEGACY_CASES = [
    case for case in CASES
    if case not in {"ops_graph", "ops_graph_options", "custom_layer", "lambda_layer", "unregistered_layer",
                    "nested_shared_model"}
]


def write_legacy_case(lib, case, directory):
    """`<case>.h5` and `<case>.npz` (inputs, outputs, weights) of `case` built with `lib`."""
    model = CASES[case](lib)
    randomize(model)
    arrays = make_inputs(model)
    if case in TRAINED or case in COMPILED:
        model.compile(**(TRAINED.get(case) or COMPILED[case])[1](lib))
    outputs = predict(lib, model, arrays)
    model.save(os.path.join(directory, f"{case}.h5"))
    save_arrays(os.path.join(directory, f"{case}.npz"), inputs=arrays, outputs=outputs, weights=weights_of(model))
    with open(os.path.join(directory, f"{case}.json"), "w") as file:
        json.dump({"layers": [layer.name for layer in model.layers]}, file)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", help="directory to write the corpus to, with Keras 3")
    parser.add_argument("--read", help="directory of kerasx's corpus, read back with Keras 3")
    parser.add_argument("--out", help="directory for what Keras 3 predicts from --read's files")
    parser.add_argument("--legacy", help="directory to write legacy `.h5` files to")
    parser.add_argument("--tf-keras", action="store_true", help="write --legacy files with tf.keras 2 (tf_keras)")
    args = parser.parse_args(argv)
    if args.legacy:
        lib = importlib.import_module("tf_keras") if args.tf_keras else keras
        for case in LEGACY_CASES:
            write_legacy_case(lib, case, args.legacy)
        print("CORPUS DONE")
        return
    custom_objects(keras)
    if args.write:
        for case in CASES:
            write_case(keras, case, args.write)
    if args.read:
        for case in CASES:
            if case not in KERAS_CANNOT_LOAD:
                read_back(keras, case, args.read, args.out)
    print("CORPUS DONE")


if __name__ == "__main__":
    # Only the script runs under Keras 3; the tests import this module under kerasx.
    import keras

    main()
