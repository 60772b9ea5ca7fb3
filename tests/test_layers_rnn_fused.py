"""LSTM and GRU through the engine's fused recurrent kernel (`backend.nn.lstm` / `gru`): torch's own kernel, a
per-step-projecting lax.scan on jax and tf.while_loop on TensorFlow; numpy declines and the layer runs its scan.
The same numbers as the NumPy gate equations for every output flag, initial states and gradients; the fused path is
taken where the engine has one, and the layer falls back to the scan for masks, dropout while training, other
activations, GRU's reset-before form and cells that change the computation."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, ops
from test_layers_rnn import np_rnn

FUSED_ENGINES = ("torch", "jax", "tensorflow")
FUNCTION = {"LSTM": "lstm", "GRU": "gru"}
NUM_STATES = {"LSTM": 2, "GRU": 1}


@pytest.fixture
def fused_calls(monkeypatch):
    """Spies on the engine's fused functions: a list of (name, whether it returned a result) per call."""
    calls = []
    for name in FUNCTION.values():
        real = getattr(kerasx.backend.active.nn, name)

        def spy(*args, real=real, name=name, **kwargs):
            result = real(*args, **kwargs)
            calls.append((name, result is not None))
            return result

        monkeypatch.setattr(kerasx.backend.active.nn, name, spy)
    return calls


def _assert_fused(calls, kind):
    assert calls, "the layer did not offer the sequence to the engine's fused kernel"
    expected = support.BACKEND in FUSED_ENGINES
    assert calls == [(FUNCTION[kind], expected)] * len(calls)


def _random_weights(layer, seed):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in layer.get_weights()])


CONFIGS = (
    {},
    {"return_sequences": True},
    {"return_state": True},
    {"go_backwards": True, "return_sequences": True},
    {"go_backwards": True, "return_state": True},
    {"use_bias": False, "return_sequences": True, "return_state": True},
)
CASES = [
    pytest.param(kind, init, id=f"{kind}-" + ("-".join(sorted(init)) or "last_output"))
    for kind in FUNCTION
    for init in CONFIGS
]


@pytest.mark.parametrize("kind, init", CASES)
def test_fused_matches_gate_equations(kind, init, fused_calls):
    x = support.random_array((3, 5, 4), "float32", -1, 1)
    layer = getattr(layers, kind)(6, **init)
    layer(x)
    _random_weights(layer, 1)
    fused_calls.clear()
    got = layer(x)
    _assert_fused(fused_calls, kind)
    sequence, last, states = np_rnn(kind, x, layer.get_weights(), go_backwards=init.get("go_backwards", False))
    output = sequence if init.get("return_sequences") else last
    expected = [output, *states] if init.get("return_state") else [output]
    got = got if init.get("return_state") else [got]
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        support.assert_close(g, e, rtol=1e-5, atol=1e-5)
        support.assert_dtype(g, "float32")


@pytest.mark.parametrize("kind", list(FUNCTION))
def test_fused_initial_state_and_float64(kind, fused_calls):
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, (2, 4, 3))
    initial = [rng.uniform(-1, 1, (2, 5)) for _ in range(NUM_STATES[kind])]
    layer = getattr(layers, kind)(5, return_sequences=True, return_state=True, dtype="float64")
    layer(x)
    _random_weights(layer, 3)
    fused_calls.clear()
    got = layer(x, initial_state=initial)
    _assert_fused(fused_calls, kind)
    sequence, _, states = np_rnn(kind, x, layer.get_weights(), initial_state=initial)
    for g, e in zip(got, [sequence, *states]):
        support.assert_close(g, e, rtol=1e-10, atol=1e-10)
        support.assert_dtype(g, "float64")


def test_fused_bidirectional_and_training_without_dropout(fused_calls):
    x = support.random_array((2, 4, 3), "float32", -1, 1)
    layer = layers.Bidirectional(layers.LSTM(3, return_sequences=True))
    layer(x)
    fused_calls.clear()
    got = layer(x, training=True)  # no dropout rate: training changes nothing
    _assert_fused(fused_calls, "LSTM")
    assert len(fused_calls) == 2
    forward, _, _ = np_rnn("LSTM", x, layer.forward_layer.get_weights())
    backward, _, _ = np_rnn("LSTM", x, layer.backward_layer.get_weights(), go_backwards=True)
    support.assert_close(got, np.concatenate([forward, backward[:, ::-1]], axis=-1), atol=1e-5)


class ClippedLSTMCell(layers.LSTMCell):
    """A user subclass that changes the step (a clipped cell state): the fused kernel would compute something else."""

    def step(self, projected, states, weights, recurrent_mask):
        h, (_, c) = super().step(projected, states, weights, recurrent_mask)
        c = ops.clip(c, -0.1, 0.1)
        return h, [h, c]


FALLBACKS = [
    pytest.param("LSTM", {"recurrent_activation": "hard_sigmoid"}, {}, id="LSTM-hard_sigmoid"),
    pytest.param("LSTM", {"activation": "relu"}, {}, id="LSTM-relu"),
    pytest.param("LSTM", {}, {"mask": True}, id="LSTM-mask"),
    pytest.param("LSTM", {"dropout": 0.5}, {"training": True}, id="LSTM-dropout-training"),
    pytest.param("LSTM", {"recurrent_dropout": 0.5}, {"training": True}, id="LSTM-recurrent_dropout-training"),
    pytest.param("GRU", {"reset_after": False}, {}, id="GRU-reset_before"),
    pytest.param("GRU", {}, {"mask": True}, id="GRU-mask"),
    pytest.param("GRU", {"dropout": 0.5}, {"training": True}, id="GRU-dropout-training"),
]


@pytest.mark.parametrize("kind, init, call", FALLBACKS)
def test_fallback_to_scan(kind, init, call, fused_calls):
    x = support.random_array((3, 6, 4), "float32", -1, 1)
    mask = np.array([[1, 1, 0, 1, 0, 0], [0, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 1]], bool)
    layer = getattr(layers, kind)(3, return_sequences=True, **init)
    kwargs = {"mask": mask} if call.get("mask") else {"training": call.get("training", False)}
    got = layer(x, **kwargs)
    assert fused_calls == []
    if init.get("dropout") or init.get("recurrent_dropout"):
        # Dropout masks were drawn: the output differs from the undropped equations (checked in test_layers_rnn).
        plain, _, _ = np_rnn(kind, x, layer.get_weights())
        assert not np.allclose(support.to_numpy(got), plain, atol=1e-3)
        # At inference the same layer takes the fused kernel again.
        layer(x)
        _assert_fused(fused_calls, kind)
        return
    if "activation" in init or "recurrent_activation" in init:
        return  # the NumPy reference has only tanh/sigmoid; not being fused is the point here
    expected, _, _ = np_rnn(kind, x, layer.get_weights(), mask=mask if call.get("mask") else None, **init)
    support.assert_close(got, expected, atol=1e-5)


def test_engine_declines_half_precision(fused_calls):
    # torch's CPU kernel is float32/float64 only here: a float16 layer runs the scan, with the same equations.
    x = support.random_array((2, 4, 3), "float16", -1, 1)
    layer = layers.LSTM(3, return_sequences=True, dtype="float16")
    got = layer(x)
    assert fused_calls == [("lstm", False)]
    support.assert_dtype(got, "float16")
    expected, _, _ = np_rnn("LSTM", x, layer.get_weights())
    support.assert_close(got, expected, rtol=1e-2, atol=1e-2)


def test_fallback_for_cell_subclass(fused_calls):
    x = support.random_array((2, 5, 3), "float32", -1, 1)
    clipped = layers.RNN(ClippedLSTMCell(4), return_state=True)
    _, _, c = clipped(x)
    assert fused_calls == []
    assert float(np.max(np.abs(support.to_numpy(c)))) <= 0.1 + 1e-6
    # The built-in cell in the generic RNN layer is fused like LSTM.
    plain = layers.RNN(layers.LSTMCell(4), return_sequences=True)
    got = plain(x)
    _assert_fused(fused_calls, "LSTM")
    expected, _, _ = np_rnn("LSTM", x, plain.get_weights())
    support.assert_close(got, expected, atol=1e-5)


# Gradients ----------------------------------------------------------------------------------------------------------


def _loss_of(layer, weights, x, initial):
    def loss(*trainable):
        outputs, _ = layer.stateless_call(list(trainable), [], x, initial_state=initial)
        sequence, *states = outputs
        return ops.add(ops.sum(ops.square(sequence)), ops.sum(ops.multiply(states[-1], states[0])))

    return loss


def _gradient_case(kind, go_backwards):
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (2, 4, 3)).astype("float32")
    initial = [rng.uniform(-1, 1, (2, 3)).astype("float32") for _ in range(NUM_STATES[kind])]
    layer = getattr(layers, kind)(3, return_sequences=True, return_state=True, go_backwards=go_backwards)
    layer(x)
    _random_weights(layer, 6)
    return layer, layer.get_weights(), x, initial


GRADIENT_CASES = [
    pytest.param(kind, backwards, id=f"{kind}-" + ("go_backwards" if backwards else "forward"))
    for kind in FUNCTION
    for backwards in (False, True)
]


@support.needs_gradients
@pytest.mark.parametrize("kind, go_backwards", GRADIENT_CASES)
def test_fused_gradients_match_finite_differences(kind, go_backwards, fused_calls):
    layer, weights, x, initial = _gradient_case(kind, go_backwards)
    fused_calls.clear()
    grads = support.grad_of(_loss_of(layer, weights, x, initial), *weights)
    _assert_fused(fused_calls, kind)
    for index, grad in enumerate(grads):

        def numpy_loss(value, index=index):
            trial = [np.asarray(w, np.float64) for w in weights]
            trial[index] = value
            sequence, _, states = np_rnn(kind, x, trial, initial_state=initial, go_backwards=go_backwards)
            return float(np.sum(sequence**2) + np.sum(states[-1] * states[0]))

        support.assert_close(grad, support.numeric_grad(numpy_loss, weights[index]), rtol=1e-3, atol=1e-4)


@pytest.mark.skipif(support.BACKEND not in FUSED_ENGINES, reason="compares the engine's fused kernel with the scan")
@pytest.mark.parametrize("kind, go_backwards", GRADIENT_CASES)
def test_fused_gradients_match_scan(kind, go_backwards, fused_calls, monkeypatch):
    layer, weights, x, initial = _gradient_case(kind, go_backwards)
    loss = _loss_of(layer, weights, x, initial)
    fused_calls.clear()
    fused_value = support.to_numpy(loss(*[ops.convert_to_tensor(w) for w in weights]))
    fused = support.grad_of(loss, *weights)
    _assert_fused(fused_calls, kind)
    monkeypatch.setattr(kerasx.backend.active.nn, FUNCTION[kind], lambda *args, **kwargs: None)
    scan_value = support.to_numpy(loss(*[ops.convert_to_tensor(w) for w in weights]))
    scan = support.grad_of(loss, *weights)
    support.assert_close(fused_value, scan_value, rtol=1e-5, atol=1e-5)
    for f, s in zip(fused, scan):
        support.assert_close(f, s, rtol=1e-5, atol=1e-5)
