"""The benchmark workloads: sizes, step counts and seeded synthetic data, shared by every contender.

Nothing here imports an engine, so the hand-written loops, kerasx and Keras 3 all train on the same NumPy arrays and
start from the same NumPy initial weights (for the loops that take weights from here).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

SEED = 1234


@dataclass(frozen=True)
class Workload:
    """One benchmark model: its batch size, steps per timed repeat (full and quick) and what it is."""

    name: str
    batch_size: int
    steps: int
    quick_steps: int
    description: str


WORKLOADS = {
    w.name: w
    for w in (
        Workload("mlp", 128, 50, 3, "MLP 784-512-512-10, softmax cross-entropy, batch 128"),
        Workload("cnn", 128, 20, 2, "CNN 28x28x1: Conv32-MaxPool-Conv64-MaxPool-Flatten-Dense128-Dense10, batch 128"),
        Workload("lstm", 64, 8, 2, "Embedding 10000x64, sequence 100, LSTM 64, Dense 1 sigmoid, batch 64"),
        Workload("transformer", 64, 20, 2, "tokens 64 of 1000, d 64, 4 heads, FF 128, one post-norm encoder block, "
                 "mean pool, 2 classes, batch 64"),
        Workload("mha", 64, 20, 2, "the transformer workload with its attention from layers.MultiHeadAttention "
                 "(hand-written loops: the same block as transformer), batch 64"),
        Workload("autoencoder", 64, 20, 2, "conv autoencoder 28x28x1: Conv16/s2-Conv32/s2-Conv2DTranspose32/s2-"
                 "Conv2DTranspose16/s2-Conv1 sigmoid, mean squared error, batch 64"),
        Workload("two_io", 32, 8, 2, "seeds' 2-in/2-out: Embedding 10000x512, LSTM 32 -> aux; concat aux_input(5), "
                 "3x Dense 64 -> main; loss_weights [1, 0.2], batch 32"),
    )
}

# Sizes shared by the builders of every contender.
MLP_UNITS = (784, 512, 512, 10)
VOCAB, SEQ_LEN, EMBED, LSTM_UNITS = 10000, 100, 64, 64
TF_VOCAB, TF_SEQ, TF_DIM, TF_HEADS, TF_FF, TF_CLASSES = 1000, 64, 64, 4, 128, 2
IO_EMBED, IO_LSTM, IO_AUX, IO_DENSE = 512, 32, 5, 64
AE_FILTERS = (16, 32)
AUX_LOSS_WEIGHT = 0.2
LEARNING_RATE = 1e-3
EPSILON = 1e-7  # Keras's Adam epsilon, used by every contender


def make_data(name: str, num_samples: int):
    """(x, y) as NumPy arrays for `num_samples` samples; x and y are lists for the two-input/two-output model."""
    rng = np.random.default_rng(SEED)
    if name == "mlp":
        return rng.normal(size=(num_samples, 784)).astype("float32"), rng.integers(0, 10, num_samples).astype("int32")
    if name == "cnn":
        x = rng.normal(size=(num_samples, 28, 28, 1)).astype("float32")
        return x, rng.integers(0, 10, num_samples).astype("int32")
    if name == "lstm":
        x = rng.integers(1, VOCAB, (num_samples, SEQ_LEN)).astype("int32")
        return x, rng.integers(0, 2, (num_samples, 1)).astype("float32")
    if name in ("transformer", "mha"):
        x = rng.integers(0, TF_VOCAB, (num_samples, TF_SEQ)).astype("int32")
        return x, rng.integers(0, TF_CLASSES, num_samples).astype("int32")
    if name == "autoencoder":
        x = rng.uniform(size=(num_samples, 28, 28, 1)).astype("float32")
        return x, x
    if name == "two_io":
        tokens = rng.integers(1, VOCAB, (num_samples, SEQ_LEN)).astype("int32")
        aux = rng.normal(size=(num_samples, IO_AUX)).astype("float32")
        labels = rng.integers(0, 2, (num_samples, 1)).astype("float32")
        return [tokens, aux], [labels, labels]
    raise ValueError(f"Unknown workload. Received: name={name!r}; expected one of {sorted(WORKLOADS)}.")


def take(data, count: int):
    """The first `count` samples of an array or a list of arrays (views, no copy)."""
    if isinstance(data, list):
        return [d[:count] for d in data]
    return data[:count]


def _glorot(rng, shape, fan_in, fan_out):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, shape).astype("float32")


def _dense(rng, params, name, fan_in, fan_out):
    params[f"{name}/kernel"] = _glorot(rng, (fan_in, fan_out), fan_in, fan_out)
    params[f"{name}/bias"] = np.zeros((fan_out,), "float32")


def _lstm(rng, params, name, input_dim, units):
    """Keras layout: kernel (input_dim, 4u), recurrent (u, 4u), gates i, f, c, o; forget bias starts at 1."""
    params[f"{name}/kernel"] = _glorot(rng, (input_dim, 4 * units), input_dim, 4 * units)
    params[f"{name}/recurrent"] = _glorot(rng, (units, 4 * units), units, 4 * units)
    bias = np.zeros((4 * units,), "float32")
    bias[units:2 * units] = 1.0
    params[f"{name}/bias"] = bias


def init_params(name: str) -> dict:
    """Initial weights (Keras layouts: Dense (in, out), Conv HWIO) as NumPy arrays, for the hand-written loops."""
    rng = np.random.default_rng(SEED + 1)
    params = {}
    if name == "mlp":
        for i, (fan_in, fan_out) in enumerate(itertools.pairwise(MLP_UNITS)):
            _dense(rng, params, f"dense{i}", fan_in, fan_out)
    elif name == "cnn":
        params["conv0/kernel"] = _glorot(rng, (3, 3, 1, 32), 9, 9 * 32)
        params["conv0/bias"] = np.zeros((32,), "float32")
        params["conv1/kernel"] = _glorot(rng, (3, 3, 32, 64), 9 * 32, 9 * 64)
        params["conv1/bias"] = np.zeros((64,), "float32")
        _dense(rng, params, "dense0", 5 * 5 * 64, 128)
        _dense(rng, params, "dense1", 128, 10)
    elif name == "lstm":
        params["embedding"] = rng.uniform(-0.05, 0.05, (VOCAB, EMBED)).astype("float32")
        _lstm(rng, params, "lstm", EMBED, LSTM_UNITS)
        _dense(rng, params, "out", LSTM_UNITS, 1)
    elif name in ("transformer", "mha"):
        params["embedding"] = rng.uniform(-0.05, 0.05, (TF_VOCAB, TF_DIM)).astype("float32")
        params["position"] = rng.uniform(-0.05, 0.05, (TF_SEQ, TF_DIM)).astype("float32")
        for part in ("query", "key", "value", "attention_output"):
            _dense(rng, params, part, TF_DIM, TF_DIM)
        _dense(rng, params, "ff0", TF_DIM, TF_FF)
        _dense(rng, params, "ff1", TF_FF, TF_DIM)
        for norm in ("norm0", "norm1"):
            params[f"{norm}/gamma"] = np.ones((TF_DIM,), "float32")
            params[f"{norm}/beta"] = np.zeros((TF_DIM,), "float32")
        _dense(rng, params, "out", TF_DIM, TF_CLASSES)
    elif name == "autoencoder":
        # Convolutions HWIO; the transposed ones HWIO too, I being the channels they read (what lax.conv_transpose
        # takes; TensorFlow's conv2d_transpose wants HWOI and transposes them).
        small, large = AE_FILTERS
        for layer, (fan_in, fan_out) in {"conv0": (1, small), "conv1": (small, large), "deconv0": (large, large),
                                         "deconv1": (large, small), "conv2": (small, 1)}.items():
            params[f"{layer}/kernel"] = _glorot(rng, (3, 3, fan_in, fan_out), 9 * fan_in, 9 * fan_out)
            params[f"{layer}/bias"] = np.zeros((fan_out,), "float32")
    elif name == "two_io":
        params["embedding"] = rng.uniform(-0.05, 0.05, (VOCAB, IO_EMBED)).astype("float32")
        _lstm(rng, params, "lstm", IO_EMBED, IO_LSTM)
        _dense(rng, params, "aux_output", IO_LSTM, 1)
        _dense(rng, params, "dense0", IO_LSTM + IO_AUX, IO_DENSE)
        _dense(rng, params, "dense1", IO_DENSE, IO_DENSE)
        _dense(rng, params, "dense2", IO_DENSE, IO_DENSE)
        _dense(rng, params, "main_output", IO_DENSE, 1)
    else:
        raise ValueError(f"Unknown workload. Received: name={name!r}; expected one of {sorted(WORKLOADS)}.")
    return params


def split_batches(x, y, batch_size: int) -> list:
    """[(x_batch, y_batch), ...] NumPy views over every whole batch of (x, y)."""
    count = len(y[0] if isinstance(y, list) else y) // batch_size
    return [
        (take_range(x, i * batch_size, (i + 1) * batch_size), take_range(y, i * batch_size, (i + 1) * batch_size))
        for i in range(count)
    ]


def take_range(data, start: int, stop: int):
    if isinstance(data, list):
        return [d[start:stop] for d in data]
    return data[start:stop]
