"""kerasx and Keras 3 contenders: the same model code written once against either library's Keras API.

`lib` is the imported `kerasx` or `keras` module; both expose `Model`, `layers`, `ops`, `optimizers`, `losses`.
Training goes through `model.fit` (what users call), prediction through `model.predict`, and the direct call through
`model(x, training=False)`.
"""

from __future__ import annotations

import time

import numpy as np

import _workloads as W

MISSING_LAYER = "{lib} has no layers.{layer} yet"


class Unavailable(Exception):
    """The library cannot build this workload (a layer it lacks): reported as a "not available" row."""


def _require(lib, *names):
    for name in names:
        if not hasattr(lib.layers, name):
            raise Unavailable(MISSING_LAYER.format(lib=lib.__name__, layer=name))


def _encoder_block_class(lib):
    """A post-norm transformer encoder block built from Dense, LayerNormalization and ops.dot_product_attention
    (kerasx has no MultiHeadAttention layer, so Keras 3 runs this same block rather than its own)."""
    ops, layers = lib.ops, lib.layers

    class EncoderBlock(layers.Layer):
        def __init__(self, dim, num_heads, ff_units, **kwargs):
            super().__init__(**kwargs)
            self.dim, self.num_heads, self.head_dim = dim, num_heads, dim // num_heads
            self.query, self.key, self.value = (layers.Dense(dim, name=n) for n in ("query", "key", "value"))
            self.attention_output = layers.Dense(dim, name="attention_output")
            self.ff0 = layers.Dense(ff_units, activation="relu", name="ff0")
            self.ff1 = layers.Dense(dim, name="ff1")
            self.norm0 = layers.LayerNormalization(epsilon=1e-5, name="norm0")
            self.norm1 = layers.LayerNormalization(epsilon=1e-5, name="norm1")

        def _heads(self, x, length):
            return ops.reshape(x, (-1, length, self.num_heads, self.head_dim))

        def call(self, x):
            length = x.shape[1]
            attended = ops.dot_product_attention(
                self._heads(self.query(x), length), self._heads(self.key(x), length),
                self._heads(self.value(x), length),
            )
            x = self.norm0(x + self.attention_output(ops.reshape(attended, (-1, length, self.dim))))
            return self.norm1(x + self.ff1(self.ff0(x)))

    class PositionEmbedding(layers.Layer):
        def build(self, input_shape):
            self.position = self.add_weight(shape=tuple(input_shape[1:]), initializer="random_uniform",
                                            name="position")

        def call(self, x):
            return x + self.position

    return EncoderBlock, PositionEmbedding


def build_model(lib, name: str):
    """The compiled model of workload `name` in library `lib`."""
    L = lib.layers
    adam = lib.optimizers.Adam(learning_rate=W.LEARNING_RATE, epsilon=W.EPSILON)
    sparse_ce = lib.losses.SparseCategoricalCrossentropy(from_logits=True)
    if name == "mlp":
        inputs = L.Input((784,))
        x = L.Dense(512, activation="relu")(inputs)
        x = L.Dense(512, activation="relu")(x)
        model = lib.Model(inputs, L.Dense(10)(x))
        model.compile(optimizer=adam, loss=sparse_ce)
    elif name == "cnn":
        inputs = L.Input((28, 28, 1))
        x = L.MaxPooling2D(2)(L.Conv2D(32, 3, activation="relu")(inputs))
        x = L.MaxPooling2D(2)(L.Conv2D(64, 3, activation="relu")(x))
        x = L.Dense(128, activation="relu")(L.Flatten()(x))
        model = lib.Model(inputs, L.Dense(10)(x))
        model.compile(optimizer=adam, loss=sparse_ce)
    elif name == "lstm":
        _require(lib, "LSTM")
        inputs = L.Input((W.SEQ_LEN,), dtype="int32")
        x = L.LSTM(W.LSTM_UNITS)(L.Embedding(W.VOCAB, W.EMBED)(inputs))
        model = lib.Model(inputs, L.Dense(1, activation="sigmoid")(x))
        model.compile(optimizer=adam, loss="binary_crossentropy")
    elif name == "transformer":
        EncoderBlock, PositionEmbedding = _encoder_block_class(lib)
        inputs = L.Input((W.TF_SEQ,), dtype="int32")
        x = PositionEmbedding()(L.Embedding(W.TF_VOCAB, W.TF_DIM)(inputs))
        x = EncoderBlock(W.TF_DIM, W.TF_HEADS, W.TF_FF)(x)
        model = lib.Model(inputs, L.Dense(W.TF_CLASSES)(L.GlobalAveragePooling1D()(x)))
        model.compile(optimizer=adam, loss=sparse_ce)
    elif name == "mha":
        _, PositionEmbedding = _encoder_block_class(lib)
        inputs = L.Input((W.TF_SEQ,), dtype="int32")
        x = PositionEmbedding()(L.Embedding(W.TF_VOCAB, W.TF_DIM)(inputs))
        attended = L.MultiHeadAttention(W.TF_HEADS, W.TF_DIM // W.TF_HEADS)(x, x)
        x = L.LayerNormalization(epsilon=1e-5)(L.Add()([x, attended]))
        feed_forward = L.Dense(W.TF_DIM)(L.Dense(W.TF_FF, activation="relu")(x))
        x = L.LayerNormalization(epsilon=1e-5)(L.Add()([x, feed_forward]))
        model = lib.Model(inputs, L.Dense(W.TF_CLASSES)(L.GlobalAveragePooling1D()(x)))
        model.compile(optimizer=adam, loss=sparse_ce)
    elif name == "autoencoder":
        small, large = W.AE_FILTERS
        inputs = L.Input((28, 28, 1))
        x = L.Conv2D(small, 3, strides=2, padding="same", activation="relu")(inputs)
        x = L.Conv2D(large, 3, strides=2, padding="same", activation="relu")(x)
        x = L.Conv2DTranspose(large, 3, strides=2, padding="same", activation="relu")(x)
        x = L.Conv2DTranspose(small, 3, strides=2, padding="same", activation="relu")(x)
        model = lib.Model(inputs, L.Conv2D(1, 3, padding="same", activation="sigmoid")(x))
        model.compile(optimizer=adam, loss="mse")
    elif name == "two_io":
        _require(lib, "LSTM")
        main_input = L.Input((W.SEQ_LEN,), dtype="int32", name="main_input")
        lstm_out = L.LSTM(W.IO_LSTM)(L.Embedding(W.VOCAB, W.IO_EMBED)(main_input))
        aux_output = L.Dense(1, activation="sigmoid", name="aux_output")(lstm_out)
        aux_input = L.Input((W.IO_AUX,), name="aux_input")
        x = L.Concatenate()([lstm_out, aux_input])
        for _ in range(3):
            x = L.Dense(W.IO_DENSE, activation="relu")(x)
        main_output = L.Dense(1, activation="sigmoid", name="main_output")(x)
        model = lib.Model([main_input, aux_input], [main_output, aux_output])
        # One loss per output: Keras 3 refuses a single loss with two loss weights.
        model.compile(optimizer=adam, loss=["binary_crossentropy"] * 2, loss_weights=[1.0, W.AUX_LOSS_WEIGHT])
    else:
        raise ValueError(f"Unknown workload. Received: name={name!r}; expected one of {sorted(W.WORKLOADS)}.")
    return model


def _last_loss(history) -> float:
    return float(np.asarray(history.history["loss"][-1]))


class FrameworkContender:
    """kerasx or Keras 3 on the engine named by KERAS_BACKEND."""

    def __init__(self, lib, workload: W.Workload, x, y):
        self.lib, self.workload, self.x, self.y = lib, workload, x, y
        self.model = build_model(lib, workload.name)

    def _fit(self, steps: int) -> float:
        count = steps * self.workload.batch_size
        history = self.model.fit(W.take(self.x, count), W.take(self.y, count), batch_size=self.workload.batch_size,
                                 epochs=1, shuffle=False, verbose=0)
        return _last_loss(history)

    def first_step(self) -> float:
        start = time.perf_counter()
        self._fit(1)
        return time.perf_counter() - start

    def train(self, steps: int):
        start = time.perf_counter()
        loss = self._fit(steps)
        return time.perf_counter() - start, loss

    def predict(self, x):
        return self.model.predict(x, batch_size=128, verbose=0)

    def call(self, x):
        outputs = self.model(x, training=False)
        if isinstance(outputs, (list, tuple)):
            return [self.lib.ops.convert_to_numpy(o) for o in outputs]
        return self.lib.ops.convert_to_numpy(outputs)
