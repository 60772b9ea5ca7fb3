"""Bidirectional and TimeDistributed against NumPy: merge modes, return_sequences / return_state, masks, initial
states, custom backward layers, TimeDistributed of a layer and of a whole model (shared weights), symbolic shapes,
config round trips, a training step, and tf.function traces with batch and time sizes unknown until run time."""

import importlib

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, ops
from kerasx.ops import _masking
from layer_support import run_layer_test
from test_layers_rnn import NUM_STATES, np_rnn

RECURRENT = {"SimpleRNN": layers.SimpleRNN, "LSTM": layers.LSTM, "GRU": layers.GRU}
MERGE = {
    "concat": lambda f, b: np.concatenate([f, b], axis=-1),
    "sum": lambda f, b: f + b,
    "mul": lambda f, b: f * b,
    "ave": lambda f, b: (f + b) / 2,
}


def np_bidirectional(kind, x, weights, merge_mode="concat", return_sequences=False, return_state=False, mask=None,
                     initial_state=None, backward_kind=None):
    """NumPy reference: a forward pass, a backward pass whose sequence is flipped back to time order, merged."""
    backward_kind = backward_kind or kind
    num_forward = NUM_STATES[kind]
    forward_init = backward_init = None
    if initial_state is not None:
        forward_init, backward_init = initial_state[:num_forward], initial_state[num_forward:]
    # Both directions output zeros at masked steps when returning sequences (Keras forces zero_output_for_mask).
    options = {"mask": mask, "zero_output_for_mask": return_sequences}
    forward = np_rnn(kind, x, weights[:3], initial_state=forward_init, **options)
    backward = np_rnn(backward_kind, x, weights[3:], initial_state=backward_init, go_backwards=True, **options)
    if return_sequences:
        f, b = forward[0], backward[0][:, ::-1]
    else:
        f, b = forward[1], backward[1]
    outputs = [f, b] if merge_mode is None else [MERGE[merge_mode](f, b)]
    if return_state:
        outputs += list(forward[2]) + list(backward[2])
    return outputs if len(outputs) > 1 else outputs[0]


def _randomize(layer, seed):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in layer.get_weights()])


# Bidirectional ------------------------------------------------------------------------------------------------------

FULL_CASES = [
    pytest.param("LSTM", "concat", True, False, id="Bidirectional-LSTM-concat-sequences"),
    pytest.param("GRU", None, False, True, id="Bidirectional-GRU-None-state"),
]


@pytest.mark.parametrize("kind, merge_mode, return_sequences, return_state", FULL_CASES)
def test_Bidirectional_layer(kind, merge_mode, return_sequences, return_state):
    x = support.random_array((2, 4, 3), "float32", -1, 1)
    template = RECURRENT[kind](3, return_sequences=return_sequences, return_state=return_state)

    def reference(inputs, weights):
        return np_bidirectional(kind, inputs, weights, merge_mode, return_sequences, return_state)

    layer = run_layer_test(
        layers.Bidirectional, {"layer": template, "merge_mode": merge_mode}, input_data=x, reference=reference
    )
    assert [w.path for w in layer.weights][::3] == [
        f"{layer.name}/forward_{template.name}/{template.cell.name}/kernel",
        f"{layer.name}/backward_{template.name}/{template.cell.name}/kernel",
    ]
    assert layer.forward_layer.go_backwards is False and layer.backward_layer.go_backwards is True


MERGE_CASES = [
    pytest.param(kind, mode, sequences, id=f"Bidirectional-{kind}-{mode}-" + ("sequences" if sequences else "last"))
    for kind, mode, sequences in (
        ("SimpleRNN", "sum", True),
        ("SimpleRNN", "mul", False),
        ("LSTM", "ave", False),
        ("LSTM", None, True),
        ("GRU", "concat", False),
        ("GRU", "mul", True),
    )
]


@pytest.mark.parametrize("kind, merge_mode, return_sequences", MERGE_CASES)
def test_Bidirectional_merge_modes(kind, merge_mode, return_sequences):
    x = support.random_array((3, 5, 2), "float32", -1, 1)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 1, 0, 1]], bool)
    layer = layers.Bidirectional(RECURRENT[kind](4, return_sequences=return_sequences), merge_mode=merge_mode)
    layer(x)
    _randomize(layer, 1)
    weights = layer.get_weights()
    got = layer(x)
    expected = np_bidirectional(kind, x, weights, merge_mode, return_sequences)
    for g, e in zip(got if merge_mode is None else [got], expected if merge_mode is None else [expected]):
        support.assert_close(g, e, atol=1e-5)
    # With a mask both directions skip the masked steps; sequences carry the mask on.
    got = layer(x, mask=mask)
    expected = np_bidirectional(kind, x, weights, merge_mode, return_sequences, mask=mask)
    got_list = got if merge_mode is None else [got]
    for g, e in zip(got_list, expected if merge_mode is None else [expected]):
        support.assert_close(g, e, atol=1e-5)
        output_mask = _masking.get_mask(g)
        if return_sequences:
            np.testing.assert_array_equal(support.to_numpy(output_mask), mask)
        else:
            assert output_mask is None
    # Symbolic shapes equal the eager ones.
    symbolic = layers.Bidirectional(RECURRENT[kind](4, return_sequences=return_sequences), merge_mode=merge_mode)(
        kerasx.Input((5, 2))
    )
    for s, g in zip(symbolic if merge_mode is None else [symbolic], got_list):
        assert s.shape == (None,) + tuple(ops.shape(g))[1:]
        assert s.dtype == ops.dtype(g)


def test_Bidirectional_return_state_and_initial_state():
    x = support.random_array((2, 4, 3), "float32", -1, 1)
    rng = np.random.default_rng(2)
    initial = [rng.uniform(-1, 1, (2, 5)).astype("float32") for _ in range(4)]
    layer = layers.Bidirectional(layers.LSTM(5, return_sequences=True, return_state=True), merge_mode="sum")
    layer(x)
    _randomize(layer, 3)
    got = layer(x, initial_state=initial)
    expected = np_bidirectional(
        "LSTM", x, layer.get_weights(), "sum", return_sequences=True, return_state=True, initial_state=initial
    )
    assert len(got) == 5
    for g, e in zip(got, expected):
        support.assert_close(g, e, atol=1e-5)
    # Functional: the four states as inputs; outputs [merged, h_f, c_f, h_b, c_b].
    inputs = kerasx.Input((4, 3))
    state_inputs = [kerasx.Input((5,)) for _ in range(4)]
    outputs = layers.Bidirectional(layers.LSTM(5, return_state=True))(inputs, initial_state=state_inputs)
    assert [t.shape for t in outputs] == [(None, 10)] + [(None, 5)] * 4
    with pytest.raises(ValueError, match="4 tensors in all"):
        layer(x, initial_state=initial[:2])


def test_Bidirectional_backward_layer_and_config():
    x = support.random_array((2, 4, 3), "float32", -1, 1)
    forward = layers.LSTM(3, return_sequences=True)
    backward = layers.GRU(2, return_sequences=True, go_backwards=True)
    layer = layers.Bidirectional(forward, backward_layer=backward)
    assert layer.backward_layer is backward
    layer(x)
    _randomize(layer, 4)
    got = layer(x)
    assert tuple(ops.shape(got)) == (2, 4, 5)
    expected = np_bidirectional("LSTM", x, layer.get_weights(), return_sequences=True, backward_kind="GRU")
    support.assert_close(got, expected, atol=1e-5)
    config = layer.get_config()
    clone = layers.Bidirectional.from_config(config)
    assert clone.get_config() == config
    assert type(clone.backward_layer) is layers.GRU and clone.backward_layer.units == 2
    clone(x)
    clone.set_weights(layer.get_weights())
    support.assert_close(clone(x), support.to_numpy(got), atol=1e-6)
    # Weights given at construction are set when the layer is built.
    preset = layers.Bidirectional(layers.LSTM(3, return_sequences=True), backward_layer=layers.GRU(
        2, return_sequences=True, go_backwards=True), weights=layer.get_weights())
    support.assert_close(preset(x), support.to_numpy(got), atol=1e-6)


def test_Bidirectional_mask_from_embedding():
    tokens = np.array([[3, 1, 0, 0], [2, 4, 4, 1]], "int32")
    embedding = layers.Embedding(5, 3, mask_zero=True)
    bidirectional = layers.Bidirectional(layers.GRU(2))
    model = kerasx.Sequential([embedding, bidirectional])
    got = model(tokens)
    vectors = embedding.get_weights()[0][tokens]
    expected = np_bidirectional("GRU", vectors, bidirectional.get_weights(), mask=tokens != 0)
    support.assert_close(got, expected, atol=1e-5)


def test_Bidirectional_errors():
    with pytest.raises(ValueError, match="merge_mode='max'"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="wraps a recurrent layer"):
        layers.Bidirectional(layers.Dense(2))
    with pytest.raises(ValueError, match="same `return_sequences`"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2, return_sequences=True, go_backwards=True))
    with pytest.raises(ValueError, match="opposite of `layer.go_backwards`"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2))


@support.needs_gradients
def test_Bidirectional_LSTM_trains_in_a_model():
    # Also the compiled training path of the recurrent layers themselves (jit on JAX, tf.function on TensorFlow).
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (8, 4, 3)).astype("float32")
    y = (x[:, 0].sum(-1, keepdims=True) - x[:, -1].sum(-1, keepdims=True)).astype("float32")
    model = kerasx.Sequential(
        [kerasx.Input((4, 3)), layers.TimeDistributed(layers.Dense(4)), layers.Bidirectional(layers.LSTM(4)),
         layers.Dense(1)]
    )
    model.compile(optimizer=kerasx.optimizers.Adam(0.05), loss="mse")
    losses = model.fit(x, y, epochs=3, batch_size=8, verbose=0).history["loss"]
    assert losses[-1] < losses[0]


# TimeDistributed ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "int32"], ids=["TimeDistributed-Dense-float32", "TimeDistributed-Dense-int32"])
def test_TimeDistributed_dense(dtype):
    x = support.random_array((2, 5, 4), dtype, -3, 3)

    def reference(inputs, weights):
        return np.asarray(inputs, np.float64) @ weights[0] + weights[1]

    layer = run_layer_test(
        layers.TimeDistributed,
        {"layer": layers.Dense(3)},
        input_data=x,
        expected_output_shape=(2, 5, 3),
        reference=reference,
    )
    assert ops.dtype(layer(x)) == "float32"


def test_TimeDistributed_higher_rank_layer():
    # Conv1D over (batch, time, length, channels): each time step is a (length, channels) signal.
    x = support.random_array((2, 3, 6, 2), "float32", -1, 1)

    def reference(inputs, weights):
        kernel, bias = weights
        windows = np.stack([inputs[:, :, i : i + 3] for i in range(4)], axis=2)  # (b, t, 4, 3, c)
        return np.einsum("btlkc,kco->btlo", windows, kernel) + bias

    run_layer_test(
        layers.TimeDistributed,
        {"layer": layers.Conv1D(4, 3)},
        input_data=x,
        expected_output_shape=(2, 3, 4, 4),
        reference=reference,
    )


def _mlp():
    inputs = kerasx.Input((784,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    return kerasx.Model(inputs, layers.Dense(10)(hidden))


def test_TimeDistributed_model():
    model = _mlp()
    wrapper = layers.TimeDistributed(model)
    outputs = wrapper(kerasx.Input((20, 784)))
    assert outputs.shape == (None, 20, 10)
    assert outputs.dtype == "float32"
    # The wrapper shares the model's weights: the same Variable objects.
    assert len(wrapper.weights) == 4 and all(a is b for a, b in zip(wrapper.weights, model.weights))
    x = support.random_array((2, 20, 784), "float32", -1, 1)
    w1, b1, w2, b2 = model.get_weights()
    expected = np.maximum(x @ w1 + b1, 0) @ w2 + b2
    support.assert_close(wrapper(x), expected, rtol=1e-5, atol=1e-5)
    # In a functional model around it, and after a weight change through the inner model.
    outer = kerasx.Model(inputs := kerasx.Input((20, 784)), layers.TimeDistributed(model)(inputs))
    model.layers[-1].kernel.assign(np.ones((16, 10), "float32"))
    expected = np.maximum(x @ w1 + b1, 0) @ np.ones((16, 10)) + b2
    support.assert_close(outer(x), expected, rtol=1e-5, atol=1e-4)
    clone = layers.TimeDistributed.from_config(wrapper.get_config())
    assert clone.get_config() == wrapper.get_config()
    assert clone(kerasx.Input((7, 784))).shape == (None, 7, 10)


def test_TimeDistributed_masks():
    tokens = np.array([[3, 1, 0, 0], [2, 4, 4, 0]], "int32")
    embedding = layers.Embedding(5, 3, mask_zero=True)
    dense = layers.TimeDistributed(layers.Dense(2))
    lstm = layers.LSTM(2)
    model = kerasx.Sequential([embedding, dense, lstm])
    got = model(tokens)
    hidden = embedding(tokens)
    np.testing.assert_array_equal(support.to_numpy(_masking.get_mask(dense(hidden))), tokens != 0)
    w, b = dense.get_weights()
    vectors = embedding.get_weights()[0][tokens] @ w + b
    _, expected, _ = np_rnn("LSTM", vectors, lstm.get_weights(), mask=tokens != 0)
    support.assert_close(got, expected, atol=1e-5)


def test_TimeDistributed_folds_the_mask_for_the_wrapped_layer():
    # An LSTM over the inner time axis of (batch, outer_time, inner_time, features) gets the folded inner mask.
    x = support.random_array((2, 3, 4, 2), "float32", -1, 1)
    mask = np.random.default_rng(6).uniform(size=(2, 3, 4)) > 0.3
    wrapper = layers.TimeDistributed(layers.LSTM(3, return_sequences=True))
    got = wrapper(x, mask=mask)
    assert tuple(ops.shape(got)) == (2, 3, 4, 3)
    sequence, _, _ = np_rnn("LSTM", x.reshape(6, 4, 2), wrapper.layer.get_weights(), mask=mask.reshape(6, 4))
    support.assert_close(got, sequence.reshape(2, 3, 4, 3), atol=1e-5)
    np.testing.assert_array_equal(support.to_numpy(_masking.get_mask(got)), mask)
    symbolic = layers.TimeDistributed(layers.LSTM(3))(kerasx.Input((None, 4, 2)))
    assert symbolic.shape == (None, None, 3)


def test_TimeDistributed_errors():
    with pytest.raises(ValueError, match="wraps a layer or a model"):
        layers.TimeDistributed(lambda x: x)
    with pytest.raises(ValueError, match="at least 3 axes"):
        layers.TimeDistributed(layers.Dense(2))(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="batch and time axes first"):
        layers.TimeDistributed(layers.Dense(2))(np.zeros((2, 3, 4), "float32"), mask=np.ones((2, 4), bool))


@pytest.mark.skipif(support.BACKEND != "tensorflow", reason="only tf.function traces with sizes unknown until run time")
@pytest.mark.parametrize(
    "known", [(False, False), (False, True), (True, False)], ids=["TimeDistributed-dynamic-batch-and-time",
                                                                 "TimeDistributed-dynamic-batch",
                                                                 "TimeDistributed-dynamic-time"]
)
def test_wrappers_in_tf_function_with_unknown_sizes(known):
    tf = importlib.import_module("tensorflow")
    x = support.random_array((2, 5, 4), "float32", -1, 1)
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    dense = layers.TimeDistributed(layers.Dense(3))
    bidirectional = layers.Bidirectional(layers.LSTM(2, return_sequences=True))
    inner = layers.TimeDistributed(layers.GRU(2))  # a recurrent layer per outer step: folds the inner mask too
    eager_sequence = bidirectional(dense(x), mask=mask)
    eager = inner(ops.expand_dims(eager_sequence, -1))
    signature = tuple(size if is_known else None for size, is_known in zip((2, 5), known)) + (4,)

    @tf.function(
        input_signature=[tf.TensorSpec(signature, tf.float32), tf.TensorSpec(signature[:2], tf.bool)], autograph=False
    )
    def fn(inputs, input_mask):
        sequence = bidirectional(dense(inputs), mask=input_mask)
        return sequence, inner(ops.expand_dims(sequence, -1))

    sequence, traced = fn(x, mask)
    support.assert_close(sequence, support.to_numpy(eager_sequence), atol=1e-6)
    support.assert_close(traced, support.to_numpy(eager), atol=1e-6)
    assert tuple(ops.shape(traced)) == (2, 5, 2)
