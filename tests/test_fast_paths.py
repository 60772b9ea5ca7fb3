"""Every fast path gives the numbers of the engine-free code it replaces, on every layer kind that has variables.

The fast paths: the optimizer's `trainer.fused_adam_update` (torch's one-pass CPU kernel, and its `_foreach` form
used on accelerators), the engine's whole-layer `nn.lstm` / `nn.gru` (torch's recurrent kernel, the per-step
projecting scans of jax and TensorFlow), torch's fused `scaled_dot_product_attention` (taken without mask or
bias), the engine's whole `nn.layer_norm` / `nn.group_norm` (torch's F.layer_norm and F.group_norm) and the bias
added inside the convolution kernel (`nn.conv_bias` / `nn.conv_transpose_bias`, torch's F.conv*). The engine-free
path swaps each for what runs where there is none: the optimizer's own `update_step`, the layer's `ops.scan`,
attention with an all-True mask (the masked einsum form), the normalization layers' own ops, and the convolution
followed by `ops.add` of the bias.

For each case, a one-layer model: its training-mode outputs and loss gradients on both paths, then three Adam and
three AdamW steps from the same initial weights with the fused and the engine-free update (every model variable and
optimizer slot compared), all to float32 rounding. The cases are looked up by the names `kerasx.layers` exports: a
layer that creates variables and has no case here fails the test named after it; add its cases to `LAYER_CASES`.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Callable, NamedTuple

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, ops, optimizers
from kerasx.backend import _unfused, active

NUM_STEPS = 3
BATCH_SIZE = 4
TOLERANCE = 1e-6
MISSING_CASE = (
    "kerasx.layers.{name} creates variables but has no case in tests/test_fast_paths.py: add its constructor "
    "arguments and input shapes to LAYER_CASES."
)


class Case(NamedTuple):
    """`make()` returns the layer; `inputs` are `(shape without batch, dtype)`; `call(layer, *inputs)` defaults to
    `layer(*inputs)`."""

    id: str
    make: Callable
    inputs: tuple
    call: Callable | None = None


def _case(id, make, *inputs, call=None):
    return Case(id, make, tuple(inputs), call)


def _layer(name, *args, **kwargs):
    # Looked up when the case runs, so that cases of layers other work is adding can be written down in advance.
    return lambda: getattr(layers, name)(*args, **kwargs)


F32 = "float32"


def _conv_cases(name, rank):
    spatial = (5, 6, 4)[:rank]
    kernel = (3, 2, 2)[:rank]
    cases = []
    for data_format in ("channels_last", "channels_first"):
        shape = spatial + (4,) if data_format == "channels_last" else (4,) + spatial
        for groups in (1, 2):
            kwargs = {"data_format": data_format}
            if groups > 1:
                kwargs["groups"] = groups
            cases.append(_case(f"{data_format}-groups{groups}", _layer(name, 6, kernel, **kwargs), (shape, F32)))
    return cases


def _conv_transpose_cases(name, rank):
    spatial = (4, 5, 3)[:rank]
    kernel = (3, 2, 2)[:rank]
    return [
        _case(data_format, _layer(name, 5, kernel, strides=2, data_format=data_format),
              ((spatial + (3,)) if data_format == "channels_last" else (3,) + spatial, F32))
        for data_format in ("channels_last", "channels_first")
    ]


def _depthwise_cases(name, rank, filters=None):
    spatial = (5, 6)[:rank]
    kernel = (3, 2)[:rank]
    head = () if filters is None else (filters,)
    return [
        _case(data_format, _layer(name, *head, kernel, depth_multiplier=2, data_format=data_format),
              ((spatial + (3,)) if data_format == "channels_last" else (3,) + spatial, F32))
        for data_format in ("channels_last", "channels_first")
    ]


def _cell_call(layer, x, *states):
    output, _ = layer(x, list(states))
    return output


def _rnn_cases(name):
    sequence = ((5, 3), F32)
    return [
        _case("last_output", _layer(name, 4), sequence),
        _case("sequences", _layer(name, 4, return_sequences=True), sequence),
        _case("go_backwards", _layer(name, 4, return_sequences=True, go_backwards=True), sequence),
        _case("no_bias", _layer(name, 4, use_bias=False), sequence),
    ]


class SelfAttention(layers.Layer):
    """Multi-head self-attention from Dense projections and `ops.dot_product_attention` (no mask, no bias: the
    call torch runs through its fused kernel)."""

    def __init__(self, num_heads, num_kv_heads, head_dim, is_causal=False, **kwargs):
        super().__init__(**kwargs)
        self.num_heads, self.num_kv_heads, self.head_dim, self.is_causal = num_heads, num_kv_heads, head_dim, is_causal
        self.query = layers.Dense(num_heads * head_dim)
        # No key bias: it adds one constant to every logit of a row, which softmax cancels, so its gradient is
        # rounding noise. Adam scales noise up to full steps, and a one-ulp difference in the weights after a step
        # turns it into other noise: runs with it cannot agree.
        self.key = layers.Dense(num_kv_heads * head_dim, use_bias=False)
        self.value = layers.Dense(num_kv_heads * head_dim)
        self.output_projection = None

    def build(self, input_shape):
        self.output_projection = layers.Dense(input_shape[-1])

    def _heads(self, x, num_heads):
        return ops.reshape(x, (-1, x.shape[1], num_heads, self.head_dim))

    def call(self, x):
        query = self._heads(self.query(x), self.num_heads)
        key = self._heads(self.key(x), self.num_kv_heads)
        value = self._heads(self.value(x), self.num_kv_heads)
        attended = ops.dot_product_attention(query, key, value, is_causal=self.is_causal)
        return self.output_projection(ops.reshape(attended, (-1, x.shape[1], self.num_heads * self.head_dim)))


SEQUENCE_OF_VECTORS = ((6, 8), F32)

# Exported layer name -> cases. Layers being added by other work are listed ahead: their cases run once
# `kerasx.layers` exports them.
LAYER_CASES = {
    "Dense": [_case("rank2", _layer("Dense", 5), ((4,), F32)), _case("rank3", _layer("Dense", 5), ((3, 4), F32)),
              _case("lora", _layer("Dense", 5, lora_rank=2), ((4,), F32)),
              _case("int8", _layer("Dense", 5, dtype="int8_from_float32"), ((4,), F32))],
    "Conv1D": _conv_cases("Conv1D", 1)
    + [_case("causal-dilated", _layer("Conv1D", 3, 3, padding="causal", dilation_rate=2), ((7, 2), F32))],
    "Conv2D": _conv_cases("Conv2D", 2)
    + [_case("strided-same", _layer("Conv2D", 6, 3, strides=2, padding="same"), ((5, 6, 4), F32))],
    "Conv3D": _conv_cases("Conv3D", 3),
    "Conv1DTranspose": _conv_transpose_cases("Conv1DTranspose", 1),
    "Conv2DTranspose": _conv_transpose_cases("Conv2DTranspose", 2)
    # torch's one-call windows ("same" at stride 2, output_padding) and its full output cropped (stride 3, dilation).
    + [_case(f"same-strides{s}", _layer("Conv2DTranspose", 3, 3, strides=s, padding="same"), ((4, 5, 2), F32))
       for s in (2, 3)]
    + [_case("valid-output_padding", _layer("Conv2DTranspose", 3, 3, strides=2, output_padding=1), ((4, 5, 2), F32)),
       _case("same-dilated", _layer("Conv2DTranspose", 3, 3, padding="same", dilation_rate=2), ((4, 5, 2), F32))],
    "Conv3DTranspose": _conv_transpose_cases("Conv3DTranspose", 3),
    "DepthwiseConv1D": _depthwise_cases("DepthwiseConv1D", 1),
    "DepthwiseConv2D": _depthwise_cases("DepthwiseConv2D", 2),
    "SeparableConv1D": _depthwise_cases("SeparableConv1D", 1, filters=5),
    "SeparableConv2D": _depthwise_cases("SeparableConv2D", 2, filters=5),
    # Keras 3's longer names of the same classes: one case each.
    "Convolution1DTranspose": _conv_transpose_cases("Convolution1DTranspose", 1)[:1],
    "Convolution2DTranspose": _conv_transpose_cases("Convolution2DTranspose", 2)[:1],
    "Convolution3DTranspose": _conv_transpose_cases("Convolution3DTranspose", 3)[:1],
    "SeparableConvolution1D": _depthwise_cases("SeparableConvolution1D", 1, filters=5)[:1],
    "SeparableConvolution2D": _depthwise_cases("SeparableConvolution2D", 2, filters=5)[:1],
    "Embedding": [
        _case("plain", _layer("Embedding", 7, 3), ((5,), "int32")),
        _case("mask_zero", _layer("Embedding", 7, 3, mask_zero=True), ((5,), "int32")),
        _case("lora", _layer("Embedding", 7, 3, lora_rank=2), ((5,), "int32")),
    ],
    "ReversibleEmbedding": [
        _case("forward", _layer("ReversibleEmbedding", 7, 3), ((5,), "int32")),
        _case("reverse-tied", _layer("ReversibleEmbedding", 7, 3, logit_soft_cap=2.0), ((5, 3), F32),
              call=lambda layer, x: layer(x, reverse=True)),
        _case("reverse-untied", _layer("ReversibleEmbedding", 7, 3, tie_weights=False), ((5, 3), F32),
              call=lambda layer, x: layer(x, reverse=True)),
    ],
    "Wrapper": [_case("Dense", lambda: layers.Wrapper(layers.Dense(3)), ((4,), F32))],
    "BatchNormalization": [
        _case("channels_last", _layer("BatchNormalization"), ((4, 3), F32)),
        _case("renorm", _layer("BatchNormalization", renorm=True, renorm_clipping={"rmax": 2.0}), ((4, 3), F32)),
        _case("axis1", _layer("BatchNormalization", axis=1), ((3, 4, 2), F32)),
    ],
    "LayerNormalization": [
        _case("last_axis", _layer("LayerNormalization"), ((4, 3), F32)),
        _case("rms_scaling", _layer("LayerNormalization", rms_scaling=True), ((4, 3), F32)),
        # torch's F.layer_norm over the two trailing axes.
        _case("two_axes", _layer("LayerNormalization", axis=[1, 2]), ((4, 3), F32)),
    ],
    # torch's F.group_norm where the channels are on axis 1; the composed form elsewhere.
    "GroupNormalization": [
        _case("channels_last", _layer("GroupNormalization", 2), ((3, 4), F32)),
        _case("channels_first", _layer("GroupNormalization", 2, axis=1), ((4, 3), F32)),
        _case("instance", _layer("GroupNormalization", -1, axis=1, scale=False), ((4, 3, 2), F32)),
    ],
    "RMSNormalization": [_case("last_axis", _layer("RMSNormalization"), ((4, 3), F32))],
    # Preprocessing layers whose variables are state (mean/variance/count, the STFT kernels), not trained.
    "Normalization": [_case("built", _layer("Normalization", axis=-1), ((4, 3), F32))],
    "STFTSpectrogram": [_case("magnitude", _layer("STFTSpectrogram", frame_length=8, frame_step=4, fft_length=8),
                              ((32, 1), F32))],
    "PReLU": [_case("shared", _layer("PReLU", alpha_initializer="random_uniform", shared_axes=[1]), ((4, 3), F32))],
    "SpectralNormalization": [
        _case("Dense", lambda: layers.SpectralNormalization(layers.Dense(3)), ((4,), F32),
              call=lambda layer, x: layer(x, training=True)),
    ],
    "SimpleRNN": _rnn_cases("SimpleRNN"),
    "LSTM": _rnn_cases("LSTM") + [_case("state", _layer("LSTM", 4, return_state=True), ((5, 3), F32),
                                        call=lambda layer, x: layer(x)[2])],
    "GRU": _rnn_cases("GRU") + [_case("reset_before", _layer("GRU", 4, reset_after=False), ((5, 3), F32))],
    "RNN": [
        _case("LSTMCell", lambda: layers.RNN(layers.LSTMCell(4), return_sequences=True), ((5, 3), F32)),
        _case("GRUCell", lambda: layers.RNN(layers.GRUCell(4)), ((5, 3), F32)),
        _case("SimpleRNNCell", lambda: layers.RNN(layers.SimpleRNNCell(4)), ((5, 3), F32)),
    ],
    "SimpleRNNCell": [_case("step", _layer("SimpleRNNCell", 4), ((3,), F32), ((4,), F32), call=_cell_call)],
    "StackedRNNCells": [
        _case("step", lambda: layers.StackedRNNCells([layers.LSTMCell(4), layers.GRUCell(3)]), ((3,), F32),
              ((4,), F32), ((4,), F32), ((3,), F32), call=lambda layer, x, h, c, g: layer(x, [[h, c], g])[0]),
        _case("RNN", lambda: layers.RNN(layers.StackedRNNCells([layers.LSTMCell(4), layers.GRUCell(3)]),
                                        return_sequences=True), ((5, 3), F32)),
    ],
    "ConvLSTM1D": [_case("sequences", _layer("ConvLSTM1D", 2, 2, return_sequences=True), ((3, 5, 2), F32))],
    "ConvLSTM2D": [
        _case("channels_last", _layer("ConvLSTM2D", 2, 2), ((3, 4, 4, 2), F32)),
        _case("channels_first-same", _layer("ConvLSTM2D", 2, 2, padding="same", data_format="channels_first"),
              ((3, 2, 4, 4), F32)),
    ],
    "ConvLSTM3D": [_case("channels_last", _layer("ConvLSTM3D", 2, 2), ((2, 3, 3, 3, 1), F32))],
    "LSTMCell": [_case("step", _layer("LSTMCell", 4), ((3,), F32), ((4,), F32), ((4,), F32), call=_cell_call)],
    "GRUCell": [_case("step", _layer("GRUCell", 4), ((3,), F32), ((4,), F32), call=_cell_call)],
    "Bidirectional": [
        _case("LSTM", lambda: layers.Bidirectional(layers.LSTM(4)), ((5, 3), F32)),
        _case("GRU-sequences", lambda: layers.Bidirectional(layers.GRU(4, return_sequences=True)), ((5, 3), F32)),
    ],
    "TimeDistributed": [
        _case("Dense", lambda: layers.TimeDistributed(layers.Dense(3)), ((4, 5), F32)),
        _case("Conv2D", lambda: layers.TimeDistributed(layers.Conv2D(3, 2)), ((2, 4, 4, 2), F32)),
        _case("LSTM", lambda: layers.TimeDistributed(layers.LSTM(3)), ((2, 5, 2), F32)),
    ],
    "EinsumDense": [
        _case("heads", _layer("EinsumDense", "abc,cde->abde", (5, 2, 3), bias_axes="de"), ((5, 4), F32)),
        _case("lora", _layer("EinsumDense", "abc,cde->abde", (5, 2, 3), lora_rank=2), ((5, 4), F32)),
        _case("int8", _layer("EinsumDense", "abc,cde->abde", (5, 2, 3), bias_axes="de", dtype="int8_from_float32"),
              ((5, 4), F32)),
        _case("left_elided", _layer("EinsumDense", "...b,bc->...c", 3, bias_axes="c"), ((2, 5, 4), F32)),
    ],
    # Attention through the layer's fused `ops.dot_product_attention` path (no dropout, no scores). Without biases:
    # the key bias's gradient is rounding noise (see SelfAttention), and MultiHeadAttention has no key-only switch.
    "MultiHeadAttention": [
        _case("self", _layer("MultiHeadAttention", 2, 4, use_bias=False), SEQUENCE_OF_VECTORS,
              call=lambda layer, x: layer(x, x)),
        _case("causal", _layer("MultiHeadAttention", 2, 4, use_bias=False), SEQUENCE_OF_VECTORS,
              call=lambda layer, x: layer(x, x, use_causal_mask=True)),
        _case("cross", _layer("MultiHeadAttention", 2, 3, value_dim=2, use_bias=False), SEQUENCE_OF_VECTORS,
              ((5, 3), F32), call=lambda layer, x, y: layer(x, y)),
    ],
    # No engine fast path of their own: the cases check they train the same under every optimizer path.
    "Attention": [_case("concat", _layer("Attention", use_scale=True, score_mode="concat"), SEQUENCE_OF_VECTORS,
                        ((5, 8), F32), call=lambda layer, q, v: layer([q, v]))],
    "AdditiveAttention": [_case("scale", _layer("AdditiveAttention"), SEQUENCE_OF_VECTORS, ((5, 8), F32),
                                call=lambda layer, q, v: layer([q, v]))],
    # Grouped heads through the fused path, which shares key/value heads without repeating them (Keras repeats).
    "GroupedQueryAttention": [
        _case("self", _layer("GroupedQueryAttention", 3, 4, 2, use_bias=False), SEQUENCE_OF_VECTORS,
              call=lambda layer, x: layer(x, x)),
        _case("causal", _layer("GroupedQueryAttention", 3, 4, 2, use_bias=False), SEQUENCE_OF_VECTORS,
              call=lambda layer, x: layer(x, x, use_causal_mask=True)),
    ],
    # Keras 3's name of the same class.
    "GroupQueryAttention": [
        _case("self", _layer("GroupQueryAttention", 3, 4, 2, use_bias=False), SEQUENCE_OF_VECTORS,
              call=lambda layer, x: layer(x, x)),
        _case("causal", _layer("GroupQueryAttention", 3, 4, 2, use_bias=False), SEQUENCE_OF_VECTORS,
              call=lambda layer, x: layer(x, x, use_causal_mask=True)),
    ],
}

# Fast paths that no layer of `kerasx.layers` reaches (there is no attention layer yet).
EXTRA_CASES = {
    "dot_product_attention": [
        _case("heads", lambda: SelfAttention(2, 2, 4), SEQUENCE_OF_VECTORS),
        _case("causal", lambda: SelfAttention(2, 2, 4, is_causal=True), SEQUENCE_OF_VECTORS),
        _case("grouped_query", lambda: SelfAttention(4, 2, 3), SEQUENCE_OF_VECTORS),
    ],
}

# The engine wrappers run on their own engine only. torch's is the one with a fast path to check: fused Adam updates
# the wrapped module's own Parameters, and the gradients come through `torch.func.functional_call`.
if kerasx.backend.backend() == "torch":
    import torch

    EXTRA_CASES["TorchModuleWrapper"] = [
        _case("linear", lambda: layers.TorchModuleWrapper(torch.nn.Linear(8, 3)), ((8,), F32)),
        _case("sequence", lambda: layers.TorchModuleWrapper(torch.nn.Sequential(
            torch.nn.Linear(8, 4), torch.nn.LayerNorm(4), torch.nn.Tanh(), torch.nn.Linear(4, 3))),
            SEQUENCE_OF_VECTORS),
    ]


# Which exported layers create variables -----------------------------------------------------------------------
WRAPPED_ARGUMENTS = ("cell", "layer")


def _own_classes(cls):
    """The kerasx classes `cls` inherits its behaviour from, below the base Layer."""
    return [k for k in cls.__mro__ if k.__module__.startswith("kerasx.") and issubclass(k, layers.Layer)
            and k is not layers.Layer]


def _called_names(cls) -> set:
    """Names of what the class's code calls (docstrings and comments excluded)."""
    names = set()
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            names.add(function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None))
    return names


def _exported_layers() -> dict:
    return {name: value for name, value in vars(layers).items()
            if inspect.isclass(value) and issubclass(value, layers.Layer) and value is not layers.Layer}


def layers_with_variables() -> list:
    """Exported layers that add weights, wrap a layer or cell given to them, or build another such layer."""
    exported = _exported_layers()
    calls = {name: set().union(*(_called_names(k) for k in _own_classes(cls))) for name, cls in exported.items()}
    found = set()
    for name, cls in exported.items():
        wraps = any(p in inspect.signature(k.__init__).parameters for k in _own_classes(cls) for p in WRAPPED_ARGUMENTS)
        if wraps or calls[name] & {"add_weight", "add_variable"}:
            found.add(name)
    grown = True
    while grown:
        grown = False
        for name in set(exported) - found:
            if calls[name] & found:
                found.add(name)
                grown = True
    return sorted(found)


# Running a case -----------------------------------------------------------------------------------------------
def _attention_with_all_true_mask(real):
    def attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False, *rest, **kwargs):
        if mask is None and bias is None:
            mask = ops.convert_to_tensor(np.ones((1, 1, 1, key.shape[1]), bool))
        return real(query, key, value, bias, mask, scale, is_causal, *rest, **kwargs)

    return attention


def _engine_free_layers(monkeypatch):
    monkeypatch.setattr(active.nn, "lstm", _unfused.lstm)
    monkeypatch.setattr(active.nn, "gru", _unfused.gru)
    monkeypatch.setattr(active.nn, "layer_norm", _unfused.layer_norm)
    monkeypatch.setattr(active.nn, "group_norm", _unfused.group_norm)
    monkeypatch.setattr(active.nn, "conv_bias", _unfused.conv_bias)
    monkeypatch.setattr(active.nn, "conv_transpose_bias", _unfused.conv_transpose_bias)
    attention = _attention_with_all_true_mask(active.nn.dot_product_attention)
    monkeypatch.setattr(active.nn, "dot_product_attention", attention)


def _engine_free_optimizer(monkeypatch):
    monkeypatch.setattr(active.trainer, "fused_adam_update", _unfused.fused_adam_update)


def _adam_through_foreach(monkeypatch):
    # torch's fused Adam on accelerators (and for tensors the one-pass kernel cannot take): forced on the CPU.
    monkeypatch.setattr(active.trainer, "_adam_cpu_kernel", active.trainer._adam_foreach)


OPTIMIZER_VARIANTS = {"engine": lambda monkeypatch: None}
if hasattr(active.trainer, "_adam_foreach"):
    OPTIMIZER_VARIANTS["adam_foreach"] = _adam_through_foreach
OPTIMIZERS = {
    "Adam": lambda: optimizers.Adam(learning_rate=0.01),
    "AdamW": lambda: optimizers.AdamW(learning_rate=0.01, weight_decay=0.1),
}


def _batch(case, rng):
    arrays = []
    for shape, dtype in case.inputs:
        if dtype == "int32":
            arrays.append(rng.integers(0, 7, size=(BATCH_SIZE,) + shape).astype(dtype))
        else:
            arrays.append(rng.uniform(-1, 1, size=(BATCH_SIZE,) + shape).astype(dtype))
    return arrays


def _model(case, initial_weights=None):
    inputs = [layers.Input(shape, dtype=dtype) for shape, dtype in case.inputs]
    layer = case.make()
    model = kerasx.Model(inputs, case.call(layer, *inputs) if case.call else layer(*inputs))
    if initial_weights is not None:
        model.set_weights([value for _, value in initial_weights])
    return model


def _values(variables):
    # Compared by position: the second model's layer has another automatic name, so other paths. Copies: on torch
    # the NumPy view of a variable would follow its later updates.
    return [(v.path, np.array(support.to_numpy(v))) for v in variables]


def _outputs_and_gradients(model, batch, target):
    """The model's training-mode outputs and the gradients of the mean squared error, by the engine."""
    non_trainable = [v.value for v in model.non_trainable_variables]
    if not model.trainable_variables:  # state only (Normalization's statistics): outputs, nothing to differentiate
        outputs, _ = model.stateless_call([], non_trainable, batch, training=True)
        return [("outputs", support.to_numpy(outputs))]

    def loss(trainable):
        outputs, _ = model.stateless_call(trainable, non_trainable, batch, training=True)
        return ops.mean(ops.square(ops.subtract(outputs, target))), outputs

    trainable = [v.value for v in model.trainable_variables]
    (_, outputs), gradients = kerasx.backend.value_and_grad(loss, has_aux=True)(trainable)
    paths = [v.path for v in model.trainable_variables]
    return [("outputs", support.to_numpy(outputs))] + list(zip(paths, map(support.to_numpy, gradients)))


def _train(case, optimizer, batch, target, initial_weights):
    """Weights and optimizer variables after `NUM_STEPS` steps on one batch."""
    model = _model(case, initial_weights)
    model.compile(optimizer=optimizer, loss="mse")
    for _ in range(NUM_STEPS):
        model.train_on_batch(batch, target)
    return _values(model.weights), _values(model.optimizer.variables)


def _eager_apply(model, make_optimizer):
    """Variables shaped as the model's trainable ones and the optimizer's slots after `NUM_STEPS` eager `apply`
    calls with fixed random gradients."""
    variables = [kerasx.Variable(support.to_numpy(v), name=v.name) for v in model.trainable_variables]
    optimizer, rng = make_optimizer(), np.random.default_rng(2)
    for _ in range(NUM_STEPS):
        gradients = [kerasx.ops.convert_to_tensor(rng.uniform(-1, 1, size=v.shape).astype(F32)) for v in variables]
        optimizer.apply(gradients, variables)
    return _values(variables), _values(optimizer.variables)


def _recording(fused_update, taken):
    """`fused_update`, appending to `taken` whether it took the fused path (it returns False when it does not)."""

    def update(*args, **kwargs):
        taken.append(fused_update(*args, **kwargs))
        return taken[-1]

    return update


def _assert_eager_adam_matches(model, what, monkeypatch):
    if not model.trainable_variables:  # e.g. Normalization: nothing for an optimizer to update
        return
    for optimizer_name, make_optimizer in OPTIMIZERS.items():
        with monkeypatch.context() as patch:
            _engine_free_optimizer(patch)
            expected_weights, expected_slots = _eager_apply(model, make_optimizer)
        taken = []
        with monkeypatch.context() as patch:
            patch.setattr(active.trainer, "fused_adam_update", _recording(active.trainer.fused_adam_update, taken))
            weights, slots = _eager_apply(model, make_optimizer)
        assert taken and all(taken), f"{what}: the eager {optimizer_name} update did not take jax's fused path"
        label = f"{what}, eager fused {optimizer_name} against the engine-free update"
        _assert_same(weights, expected_weights, label + ", weights")
        _assert_same(slots, expected_slots, label + ", optimizer slots")


def _assert_same(got, expected, what):
    assert len(got) == len(expected), what
    for (_, actual), (path, value) in zip(got, expected):
        np.testing.assert_allclose(actual, value, rtol=TOLERANCE, atol=TOLERANCE, err_msg=f"{what}: {path}")


def _params():
    names = layers_with_variables()
    params = [pytest.param(name, None, id=name) for name in names if name not in LAYER_CASES]
    for table in (LAYER_CASES, EXTRA_CASES):
        for name, cases in table.items():
            if table is LAYER_CASES and name not in names:
                continue  # not exported (yet)
            params += [pytest.param(name, case, id=f"{name}-{case.id}") for case in cases]
    return params


@pytest.mark.parametrize("name, case", _params())
def test_fast_paths_equal_engine_free_paths(name, case, monkeypatch):
    assert case is not None, MISSING_CASE.format(name=name)
    if not support.TRAINS:
        pytest.skip("the numpy backend is inference only")
    batch = _batch(case, np.random.default_rng(0))
    model = _model(case)
    initial = _values(model.weights)
    target = np.random.default_rng(1).uniform(-1, 1, size=(BATCH_SIZE, *model.outputs[0].shape[1:])).astype(F32)

    # The layers' fast paths (fused recurrent kernels, fused attention): outputs and gradients. Both come from the
    # same weights: a whole training run would let Adam magnify rounding-level gradient differences (a relative
    # 1e-3 on an element whose gradient nearly cancels) into learning-rate-sized steps.
    fast = _outputs_and_gradients(model, batch, target)
    with monkeypatch.context() as patch:
        _engine_free_layers(patch)
        reference = _outputs_and_gradients(model, batch, target)
    _assert_same(fast, reference, f"{name} ({case.id}): the layer's fast path against its engine-free path")

    # The optimizer's fast paths, fed by the same layer code: weights and slots after a few steps. Engines that
    # compile whole steps have none (their compiler fuses the engine-free update); jax's fused Adam serves eager
    # `apply` calls only (a hand-written loop), never `train_on_batch`'s compiled step: it gets this layer's
    # variables directly.
    if active.trainer.fused_adam_update is _unfused.fused_adam_update:
        return
    if support.BACKEND == "jax":
        _assert_eager_adam_matches(model, f"{name} ({case.id})", monkeypatch)
        return
    for optimizer_name, make_optimizer in OPTIMIZERS.items():
        with monkeypatch.context() as patch:
            _engine_free_optimizer(patch)
            expected_weights, expected_slots = _train(case, make_optimizer(), batch, target, initial)
        for variant, enable in OPTIMIZER_VARIANTS.items():
            with monkeypatch.context() as patch:
                enable(patch)
                weights, slots = _train(case, make_optimizer(), batch, target, initial)
            what = f"{name} ({case.id}), fused {optimizer_name} ({variant}) against the engine-free update"
            _assert_same(weights, expected_weights, what + ", weights")
            _assert_same(slots, expected_slots, what + ", optimizer slots")
