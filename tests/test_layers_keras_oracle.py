"""Layers that kerasx has had longest, through the shared Keras 3 oracle (`keras_layer_oracle`): outputs, symbolic
shapes, masks, configs and `.keras` files both ways, and gradients against Keras's and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from keras_layer_oracle import check_layer_against_keras

RNG = np.random.default_rng(0)
X2 = RNG.normal(size=(2, 5)).astype("float32")
X3 = RNG.normal(size=(2, 4, 3)).astype("float32")
X4 = RNG.normal(size=(2, 5, 5, 3)).astype("float32")
X5 = RNG.normal(size=(2, 4, 4, 4, 2)).astype("float32")
PAIR = [RNG.normal(size=(2, 4, 3)).astype("float32"), RNG.normal(size=(2, 4, 3)).astype("float32")]
TOKENS = np.array([[3, 1, 4, 0], [2, 7, 0, 0]], "int32")

CASES = [
    ("Dense", {"units": 3}, X2),
    ("Dense", {"units": 3, "activation": "tanh", "use_bias": False}, X3),
    ("Conv2D", {"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2}, X4),
    ("Conv1D", {"filters": 2, "kernel_size": 2, "dilation_rate": 2}, X3),
    ("LSTM", {"units": 3, "return_sequences": True}, X3),
    ("GRU", {"units": 2}, X3),
    ("LayerNormalization", {}, X3),
    ("BatchNormalization", {"momentum": 0.5}, X4),
    ("MaxPooling2D", {"pool_size": 2}, X4),
    ("Embedding", {"input_dim": 10, "output_dim": 3, "mask_zero": True}, TOKENS),
    ("Conv3D", {"filters": 2, "kernel_size": 2, "strides": (1, 2, 1)}, X5),
    ("Conv2D", {"filters": 6, "kernel_size": 3, "groups": 3, "padding": "same"}, RNG.normal(size=(2, 5, 5, 6))
     .astype("float32")),
    ("SimpleRNN", {"units": 3, "return_sequences": True, "go_backwards": True}, X3),
    ("LSTM", {"units": 2, "return_state": True}, X3),
    ("GRU", {"units": 2, "reset_after": False, "return_sequences": True}, X3),
    ("Bidirectional", lambda lib: {"layer": lib.layers.LSTM(2, return_sequences=True)}, X3),
    ("Bidirectional", lambda lib: {"layer": lib.layers.GRU(2), "merge_mode": "sum"}, X3),
    ("TimeDistributed", lambda lib: {"layer": lib.layers.Dense(2)}, X3),
    ("Dropout", {"rate": 0.5}, X3),
    ("Activation", {"activation": "gelu"}, X3),
    ("Flatten", {}, X4),
    ("Reshape", {"target_shape": (3, 4)}, X3),
    ("Permute", {"dims": (2, 1)}, X3),
    ("RepeatVector", {"n": 3}, X2),
    ("Add", {}, PAIR),
    ("Subtract", {}, PAIR),
    ("Multiply", {}, PAIR),
    ("Average", {}, PAIR),
    ("Maximum", {}, PAIR),
    ("Minimum", {}, PAIR),
    ("Concatenate", {"axis": 1}, PAIR),
    ("Dot", {"axes": (2, 2)}, PAIR),
    ("GlobalAveragePooling1D", {}, X3),
    ("GlobalMaxPooling2D", {"keepdims": True}, X4),
    ("AveragePooling3D", {"pool_size": 2, "padding": "same"}, X5),
    ("BatchNormalization", {"axis": 1, "center": False}, X3),
    ("LayerNormalization", {"axis": (1, 2), "scale": False}, X3),
]


@pytest.mark.parametrize(("name", "kwargs", "inputs"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_layer_matches_keras(name, kwargs, inputs, tmp_path):
    check_layer_against_keras(name, kwargs, inputs, tmp_path=tmp_path)


def test_masked_LSTM_matches_keras():
    mask = np.array([[True, True, True, False], [True, True, False, False]])
    check_layer_against_keras("LSTM", {"units": 2, "return_sequences": True}, X3, mask=mask)


def test_oracle_catches_a_wrong_output(monkeypatch):
    """The harness fails when kerasx's output differs from Keras's (here: a Dense whose bias is ignored)."""
    from kerasx import layers, ops

    original = layers.Dense.call
    monkeypatch.setattr(layers.Dense, "call", lambda self, x, **kw: ops.matmul(x, self.kernel))
    with pytest.raises(AssertionError):
        check_layer_against_keras("Dense", {"units": 3, "bias_initializer": "ones"}, X2)
    monkeypatch.setattr(layers.Dense, "call", original)
