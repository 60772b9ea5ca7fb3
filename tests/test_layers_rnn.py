"""SimpleRNN, LSTM, GRU and RNN(cell) against an independent NumPy implementation of Keras's gate equations:
return_sequences / return_state / go_backwards, masks (argument and Embedding(mask_zero=True)), initial states,
dropout masks, symbolic shapes, config round trips, gradients against finite differences, argument errors."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, ops, random
from layer_support import run_layer_test

# NumPy reference ---------------------------------------------------------------------------------------------------


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_cell_step(kind, x, states, kernel, recurrent_kernel, bias, reset_after=True, recurrent_mask=None):
    """One step of Keras's SimpleRNN / LSTM / GRU equations (float64); returns (output, new_states)."""
    h = states[0]
    h_in = h if recurrent_mask is None else h * recurrent_mask
    units = recurrent_kernel.shape[0]
    if kind == "SimpleRNN":
        out = np.tanh(x @ kernel + h_in @ recurrent_kernel + (0 if bias is None else bias))
        return out, [out]
    if kind == "LSTM":
        z = x @ kernel + h_in @ recurrent_kernel + (0 if bias is None else bias)
        i, f, g, o = (z[:, k * units : (k + 1) * units] for k in range(4))
        c = _sigmoid(f) * states[1] + _sigmoid(i) * np.tanh(g)
        out = _sigmoid(o) * np.tanh(c)
        return out, [out, c]
    # GRU
    if bias is None:
        input_bias, recurrent_bias = 0.0, np.zeros(3 * units)
    elif reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, None
    xz, xr, xh = np.split(x @ kernel + input_bias, 3, axis=-1)
    kz, kr, kh = np.split(recurrent_kernel, 3, axis=-1)
    if reset_after:
        bz, br, bh = np.split(recurrent_bias, 3)
        z = _sigmoid(xz + h_in @ kz + bz)
        r = _sigmoid(xr + h_in @ kr + br)
        hh = np.tanh(xh + r * (h_in @ kh + bh))
    else:
        z = _sigmoid(xz + h_in @ kz)
        r = _sigmoid(xr + h_in @ kr)
        hh = np.tanh(xh + (r * h_in) @ kh)
    out = z * h + (1 - z) * hh
    return out, [out]


def np_rnn(
    kind,
    x,
    weights,
    mask=None,
    initial_state=None,
    go_backwards=False,
    reset_after=True,
    zero_output_for_mask=False,
    input_mask=None,
    recurrent_mask=None,
):
    """Keras RNN semantics over (batch, time, features); returns (outputs (batch, time, units), last output,
    final states). Masked steps keep the states and repeat the previous output (zeros before the first step)."""
    x = np.asarray(x, np.float64)
    kernel, recurrent_kernel = (np.asarray(w, np.float64) for w in weights[:2])
    bias = np.asarray(weights[2], np.float64) if len(weights) > 2 else None
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    num_states = 2 if kind == "LSTM" else 1
    states = [np.zeros((batch, units))] * num_states if initial_state is None else [np.asarray(s, np.float64) for s in initial_state]
    if input_mask is not None:
        x = x * input_mask[:, None, :]
    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    previous_output = np.zeros((batch, units))
    outputs = []
    for t in order:
        out, new_states = np_cell_step(kind, x[:, t], states, kernel, recurrent_kernel, bias, reset_after, recurrent_mask)
        if mask is not None:
            keep = np.asarray(mask[:, t], bool)[:, None]
            new_states = [np.where(keep, n, s) for n, s in zip(new_states, states)]
            emitted = np.where(keep, out, 0.0 if zero_output_for_mask else previous_output)
            out = np.where(keep, out, previous_output)
        else:
            emitted = out
        states, previous_output = new_states, out
        outputs.append(emitted)
    return np.stack(outputs, axis=1), previous_output, states


def reference(kind, return_sequences=False, return_state=False, **options):
    def compute(x, weights):
        sequence, last, states = np_rnn(kind, x, weights, **options)
        output = sequence if return_sequences else last
        return [output, *states] if return_state else output

    return compute


LAYERS = {"SimpleRNN": layers.SimpleRNN, "LSTM": layers.LSTM, "GRU": layers.GRU}
NUM_STATES = {"SimpleRNN": 1, "LSTM": 2, "GRU": 1}

# Layer tests: reference, symbolic, config round trip, training step --------------------------------------------

def _random_weights(layer, rng):
    # Zero biases would hide a wrong bias layout: give every weight random values.
    layer.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in layer.get_weights()])


def _check_against_reference(layer, kind, x, init, rng, **call_kwargs):
    layer(x, **call_kwargs)
    _random_weights(layer, rng)
    options = {k: v for k, v in init.items() if k in ("go_backwards", "reset_after")}
    outputs = {k: init.get(k, False) for k in ("return_sequences", "return_state")}
    expected = reference(kind, **outputs, **options)(x, layer.get_weights())
    got = layer(x, **call_kwargs)
    if outputs["return_state"]:
        assert isinstance(got, list) and len(got) == 1 + NUM_STATES[kind]
    for g, e in zip(got if isinstance(got, list) else [got], expected if isinstance(expected, list) else [expected]):
        support.assert_close(g, e, rtol=1e-5, atol=1e-5)


# Full layer checks (config round trip, symbolic shapes, reference, one training step) for two configurations of
# each layer; the other flags are checked against the reference directly (each check compiles a loop on JAX).
FULL = {"return_sequences": True, "return_state": True, "go_backwards": True}
CASES = [
    pytest.param(kind, init, id=f"{kind}-" + ("-".join(sorted(init)) or "last_output"))
    for kind in LAYERS
    for init in ({}, FULL)
]
CASES.append(pytest.param("GRU", {"reset_after": False, "return_sequences": True}, id="GRU-reset_before"))


@pytest.mark.parametrize("kind, init", CASES)
def test_recurrent_layer(kind, init):
    init = {"units": 3, **init}
    options = {k: v for k, v in init.items() if k in ("go_backwards", "reset_after")}
    outputs = {k: init.get(k, False) for k in ("return_sequences", "return_state")}
    x = support.random_array((2, 5, 4), "float32", -1, 1)
    layer = run_layer_test(LAYERS[kind], init, input_data=x, reference=reference(kind, **outputs, **options))
    _check_against_reference(layer, kind, x, init, np.random.default_rng(1))


FLAG_CASES = [
    pytest.param(kind, init, id=f"{kind}-" + "-".join(f"{k}={v}" for k, v in init.items()))
    for kind in LAYERS
    for init in (
        {"return_sequences": True},
        {"return_state": True},
        {"go_backwards": True},
        {"use_bias": False, "return_sequences": True},
    )
]
FLAG_CASES.append(pytest.param("GRU", {"reset_after": False, "use_bias": False}, id="GRU-reset_before-no_bias"))


@pytest.mark.parametrize("kind, init", FLAG_CASES)
def test_recurrent_flags(kind, init):
    x = support.random_array((2, 4, 3), "float32", -1, 1)
    _check_against_reference(LAYERS[kind](3, **init), kind, x, init, np.random.default_rng(2))


@pytest.mark.parametrize("kind", list(LAYERS))
def test_recurrent_weights_layout(kind):
    layer = LAYERS[kind](5)
    layer(np.zeros((1, 2, 3), "float32"))
    gates = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]
    shapes = [tuple(w.shape) for w in layer.weights]
    bias_shape = (2, 3 * 5) if kind == "GRU" else (gates * 5,)
    assert shapes == [(3, gates * 5), (5, gates * 5), bias_shape]
    cell_name = {"SimpleRNN": "simple_rnn_cell", "LSTM": "lstm_cell", "GRU": "gru_cell"}[kind]
    assert [w.path for w in layer.weights] == [
        f"{layer.name}/{cell_name}/{name}" for name in ("kernel", "recurrent_kernel", "bias")
    ]
    # "orthogonal" recurrent initializer over the whole (units, gates * units) matrix: orthonormal rows.
    recurrent = layer.weights[1].numpy()
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(5), atol=1e-5)


def test_LSTM_unit_forget_bias():
    layer = layers.LSTM(3, bias_initializer="zeros")
    layer(np.zeros((1, 2, 2), "float32"))
    np.testing.assert_array_equal(layer.weights[2].numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    layer = layers.LSTM(3, unit_forget_bias=False, bias_initializer="ones")
    layer(np.zeros((1, 2, 2), "float32"))
    np.testing.assert_array_equal(layer.weights[2].numpy(), np.ones(12))


# Masks --------------------------------------------------------------------------------------------------------------

MASK = np.array([[1, 1, 0, 1, 0, 0], [0, 1, 1, 1, 1, 1], [1, 0, 0, 0, 0, 1]], bool)

MASK_CASES = [
    pytest.param(kind, options, id=f"{kind}-mask-" + ("-".join(sorted(options)) or "plain"))
    for kind in LAYERS
    for options in ({}, {"go_backwards": True}, {"zero_output_for_mask": True})
]


@pytest.mark.parametrize("kind, options", MASK_CASES)
def test_recurrent_masked_steps(kind, options):
    x = support.random_array((3, 6, 4), "float32", -1, 1)
    layer = LAYERS[kind](3, return_sequences=True, return_state=True, **options)
    layer(x)
    _random_weights(layer, np.random.default_rng(2))
    sequence, last, states = np_rnn(kind, x, layer.get_weights(), mask=MASK, **options)
    got = layer(x, mask=MASK)
    support.assert_close(got[0], sequence, atol=1e-5)
    for g, e in zip(got[1:], states):
        support.assert_close(g, e, atol=1e-5)
    # The last output with return_sequences=False is the last unmasked step's output (one option per kind: each
    # new layer compiles its own loop on JAX).
    if not options:
        single = LAYERS[kind](3)
        single(x)
        single.set_weights(layer.get_weights())
        support.assert_close(single(x, mask=MASK), last, atol=1e-5)
    # Masked steps repeat the previous output (zeros before the first step) unless zero_output_for_mask.
    values = support.to_numpy(got[0])
    if not options and kind != "GRU":
        np.testing.assert_array_equal(values[1, 0], np.zeros(3))
        np.testing.assert_array_equal(values[0, 2], values[0, 1])


@pytest.mark.parametrize("kind", list(LAYERS))
def test_recurrent_mask_from_embedding(kind):
    tokens = np.array([[3, 1, 0, 0, 0], [2, 4, 4, 1, 0]], "int32")
    embedding = layers.Embedding(5, 4, mask_zero=True)
    recurrent = LAYERS[kind](3, return_sequences=True)
    model = kerasx.Sequential([embedding, recurrent])
    got = model(tokens)
    vectors = embedding.get_weights()[0][tokens]
    expected, _, _ = np_rnn(kind, vectors, recurrent.get_weights(), mask=tokens != 0)
    support.assert_close(got, expected, atol=1e-5)
    # The output carries the time mask on to the next layer.
    np.testing.assert_array_equal(support.to_numpy(kerasx.ops._masking.get_mask(got)), tokens != 0)
    # Functional form, symbolic: the mask travels with the KerasTensors as well.
    inputs = kerasx.Input((None,), dtype="int32")
    outputs = LAYERS[kind](3)(layers.Embedding(5, 4, mask_zero=True)(inputs))
    functional = kerasx.Model(inputs, outputs)
    assert outputs.shape == (None, 3)
    assert tuple(ops.shape(functional(tokens))) == (2, 3)


# Initial states -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(LAYERS))
def test_recurrent_initial_state(kind):
    rng = np.random.default_rng(3)
    x = support.random_array((2, 4, 3), "float32", -1, 1)
    initial = [rng.uniform(-1, 1, (2, 5)).astype("float32") for _ in range(NUM_STATES[kind])]
    layer = LAYERS[kind](5, return_state=True, return_sequences=True)
    got = layer(x, initial_state=initial)
    sequence, _, states = np_rnn(kind, x, layer.get_weights(), initial_state=initial)
    support.assert_close(got[0], sequence, atol=1e-5)
    for g, e in zip(got[1:], states):
        support.assert_close(g, e, atol=1e-5)
    # Symbolic, in a functional model with the states as extra inputs.
    sequence_input = kerasx.Input((None, 3))
    state_inputs = [kerasx.Input((5,)) for _ in initial]
    outputs = LAYERS[kind](5)(sequence_input, initial_state=state_inputs)
    assert outputs.shape == (None, 5)
    model = kerasx.Model([sequence_input, *state_inputs], outputs)
    model.layers[-1].set_weights(layer.get_weights())
    support.assert_close(model([x, *initial]), support.to_numpy(got[0])[:, -1], atol=1e-5)


# Dropout ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(LAYERS))
def test_recurrent_dropout(kind):
    x = support.random_array((3, 4, 6), "float32", -1, 1)
    layer = LAYERS[kind](5, dropout=0.5, recurrent_dropout=0.25, seed=7, return_sequences=True)
    inference = layer(x)
    plain, _, _ = np_rnn(kind, x, layer.get_weights())
    support.assert_close(inference, plain, atol=1e-5)
    trained = layer(x, training=True)
    # The masks are the cell generator's first two draws: inputs (batch, features), then state (batch, units).
    generator = random.SeedGenerator(7)
    input_mask = support.to_numpy(random.dropout(np.ones((3, 6), "float32"), 0.5, seed=generator))
    recurrent_mask = support.to_numpy(random.dropout(np.ones((3, 5), "float32"), 0.25, seed=generator))
    expected, _, _ = np_rnn(kind, x, layer.get_weights(), input_mask=input_mask, recurrent_mask=recurrent_mask)
    support.assert_close(trained, expected, atol=1e-5)
    assert not np.allclose(support.to_numpy(trained), plain, atol=1e-3)
    # The generator advanced: the next training call draws new masks.
    assert not np.allclose(support.to_numpy(layer(x, training=True)), support.to_numpy(trained))


# Cells and the generic RNN ------------------------------------------------------------------------------------------

CELLS = {"SimpleRNN": layers.SimpleRNNCell, "LSTM": layers.LSTMCell, "GRU": layers.GRUCell}


@pytest.mark.parametrize("kind", list(CELLS))
def test_cell_single_step(kind):
    rng = np.random.default_rng(4)
    cell = CELLS[kind](4)
    x = rng.uniform(-1, 1, (2, 3)).astype("float32")
    states = [rng.uniform(-1, 1, (2, 4)).astype("float32") for _ in range(NUM_STATES[kind])]
    output, new_states = cell(x, states)
    expected, expected_states = np_cell_step(kind, x.astype(np.float64), states, *cell.get_weights())
    support.assert_close(output, expected, atol=1e-5)
    for g, e in zip(new_states, expected_states):
        support.assert_close(g, e, atol=1e-5)
    # RNN(cell) equals the dedicated layer, and its config round-trips through the registry.
    x_seq = support.random_array((2, 5, 3), "float32", -1, 1)
    wrapped = layers.RNN(CELLS[kind](4), return_sequences=True)
    sequence, _, _ = np_rnn(kind, x_seq, _weights_after_call(wrapped, x_seq))
    support.assert_close(wrapped(x_seq), sequence, atol=1e-5)
    clone = layers.RNN.from_config(wrapped.get_config())
    assert clone.get_config() == wrapped.get_config()
    assert type(clone.cell) is CELLS[kind]


def _weights_after_call(layer, x):
    layer(x)
    return layer.get_weights()


class MinimalCell(layers.Layer):
    """A user cell (not a RecurrentCell): running sum of the inputs times a scale, output `2 * state`."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones", name="scale")

    def call(self, inputs, states):
        state = ops.add(states[0], ops.matmul(inputs, self.scale))
        return ops.multiply(state, 2.0), [state]


def test_RNN_generic_cell():
    x = support.random_array((2, 4, 3), "float32", -1, 1)
    mask = np.array([[1, 1, 0, 1], [0, 1, 1, 1]], bool)
    layer = layers.RNN(MinimalCell(2), return_sequences=True, return_state=True)
    sequence, state = layer(x, mask=mask)
    sums = np.cumsum(np.where(mask[..., None], x, 0.0).sum(-1, keepdims=True), axis=1) * np.ones(2)
    previous = np.zeros((2, 2))
    expected = []
    for t in range(4):  # masked steps repeat the previous output
        previous = np.where(mask[:, t, None], 2 * sums[:, t], previous)
        expected.append(previous)
    support.assert_close(sequence, np.stack(expected, 1), atol=1e-5)
    support.assert_close(state, sums[:, -1], atol=1e-5)
    symbolic = layers.RNN(MinimalCell(2))(kerasx.Input((None, 3)))
    assert symbolic.shape == (None, 2)


# Gradients ----------------------------------------------------------------------------------------------------------


@support.needs_gradients
@pytest.mark.parametrize("kind", list(LAYERS))
def test_recurrent_gradients_match_finite_differences(kind):
    x = support.random_array((2, 3, 2), "float32", -1, 1)
    mask = np.array([[1, 0, 1], [1, 1, 1]], bool)
    layer = LAYERS[kind](2, return_sequences=True)
    layer(x)
    _random_weights(layer, np.random.default_rng(5))
    weights = layer.get_weights()

    def loss(kernel, recurrent_kernel):
        outputs, _ = layer.stateless_call([kernel, recurrent_kernel, weights[2]], [], x, mask=mask)
        return ops.sum(ops.square(outputs))

    grads = support.grad_of(loss, weights[0], weights[1])
    for index, grad in enumerate(grads):

        def numpy_loss(value, index=index):
            trial = [np.asarray(w, np.float64) for w in weights]
            trial[index] = value
            return float(np.sum(np_rnn(kind, x, trial, mask=mask)[0] ** 2))

        support.assert_close(grad, support.numeric_grad(numpy_loss, weights[index]), rtol=1e-3, atol=1e-4)


# Symbolic and errors ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(LAYERS))
def test_recurrent_symbolic_shapes(kind):
    inputs = kerasx.Input((7, 3))
    outputs = LAYERS[kind](4, return_sequences=True, return_state=True)(inputs)
    assert [t.shape for t in outputs] == [(None, 7, 4)] + [(None, 4)] * NUM_STATES[kind]
    assert all(t.dtype == "float32" for t in outputs)
    model = kerasx.Model(inputs, outputs)
    values = model(support.random_array((2, 7, 3)))
    assert [tuple(ops.shape(v)) for v in values] == [(2, 7, 4)] + [(2, 4)] * NUM_STATES[kind]


def test_recurrent_errors():
    with pytest.raises(ValueError, match=r"stateful=True.*fixed batch size"):
        layers.LSTM(2, stateful=True)(kerasx.Input((3, 4)))
    with pytest.raises(ValueError, match="units=0"):
        layers.GRU(0)
    with pytest.raises(TypeError, match="expects a cell"):
        layers.RNN(layers.Dense(2))
    x = np.zeros((2, 3, 4), "float32")
    with pytest.raises(ValueError, match="has 2 state"):
        layers.LSTM(2)(x, initial_state=[np.zeros((2, 2), "float32")])
    with pytest.raises(ValueError, match=r"shape \(batch, 2\)"):
        layers.GRU(2)(x, initial_state=[np.zeros((2, 3), "float32")])
    with pytest.raises(ValueError, match="batch, timesteps, features"):
        layers.SimpleRNN(2)(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match="mask should have shape"):
        layers.SimpleRNN(2)(x, mask=np.ones((2, 4), bool))


@pytest.mark.skipif(support.BACKEND != "torch", reason="checks the torch autograd graph")
def test_LSTM_torch_graph_slices_time_once():
    # One `unbind` over the time axis, not one `x[t]` per step: each `x[t]`'s backward would write a zero tensor the
    # size of the whole sequence (quadratic in the number of steps). A hard-sigmoid LSTM runs the scan, not torch's
    # fused kernel.
    layer = layers.LSTM(3, recurrent_activation="hard_sigmoid", return_sequences=True)
    x = support.random_array((2, 6, 4), "float32", -1, 1)
    output = layer(x)
    seen, stack, names = set(), [output.grad_fn], []
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        names.append(type(node).__name__)
        stack.extend(next_node for next_node, _ in node.next_functions)
    assert names.count("UnbindBackward0") == 1
    assert "SelectBackward0" not in names
    # The input projection runs once for the whole sequence, then one recurrent matmul per step.
    assert names.count("MmBackward0") == 1 + 6
