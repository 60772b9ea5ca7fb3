"""SimpleRNN, LSTM, GRU and RNN(cell) against Keras 3 with the same weights: flags, masks, initial states, unroll,
StackedRNNCells, a user-written Keras-style cell, and stateful layers (states carried across calls, predict and fit,
reset by reset_states)."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers
from keras_layer_oracle import check_layer_against_keras, keras

RNG = np.random.default_rng(3)
X = RNG.uniform(-1, 1, size=(2, 4, 3)).astype("float32")
MASK = np.array([[True, True, False, True], [False, True, True, False]])

FLAGS = [
    {},
    {"return_sequences": True},
    {"return_state": True},
    {"return_sequences": True, "return_state": True, "go_backwards": True},
    {"unroll": True, "return_sequences": True},
]


@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: "-".join(f) or "default")
def test_recurrent_layer_against_keras(name, flags):
    check_layer_against_keras(name, {"units": 2, **flags}, X)


@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("flags", [{"return_sequences": True}, {"return_sequences": True, "go_backwards": True},
                                   {"return_sequences": True, "zero_output_for_mask": True}, {"return_state": True}],
                         ids=lambda f: "-".join(f))
def test_recurrent_layer_mask_against_keras(name, flags):
    check_layer_against_keras(name, {"units": 2, **flags}, X, mask=MASK)


def test_GRU_reset_before_against_keras(tmp_path):
    check_layer_against_keras("GRU", {"units": 2, "reset_after": False, "return_sequences": True}, X, tmp_path=tmp_path)


@pytest.mark.parametrize("name, states", [("LSTM", 2), ("GRU", 1)])
def test_initial_state_against_keras(name, states):
    initial = [RNG.uniform(-1, 1, size=(2, 2)).astype("float32") for _ in range(states)]
    check_layer_against_keras(name, {"units": 2, "return_state": True}, X, call_kwargs={"initial_state": initial},
                              gradients=False)


def _cell_kwargs(cells, **flags):
    return lambda library: {"cell": cells(library), **flags}


def _lstm_gru(library):
    return library.layers.StackedRNNCells([library.layers.LSTMCell(3), library.layers.GRUCell(2)])


def _two_lstms(library):
    return library.layers.StackedRNNCells([library.layers.LSTMCell(3), library.layers.LSTMCell(2)])


@pytest.mark.parametrize("cells, flags", [
    (_lstm_gru, {"return_sequences": True}),
    (_two_lstms, {"return_sequences": True, "unroll": True}),
    (_lstm_gru, {"go_backwards": True, "zero_output_for_mask": True}),
], ids=["lstm-gru", "lstm-lstm", "backwards"])
def test_stacked_cells_against_keras(cells, flags, tmp_path):
    check_layer_against_keras("RNN", _cell_kwargs(cells, **flags), X, tmp_path=tmp_path)


def test_stacked_cells_mask_against_keras():
    check_layer_against_keras("RNN", _cell_kwargs(_lstm_gru, return_sequences=True), X, mask=MASK)


def test_stacked_cells_states_against_keras():
    # The oracle compares flat outputs; the states of stacked cells are nested per cell.
    ours = layers.RNN(_two_lstms(kerasx), return_state=True)
    theirs = keras.layers.RNN(_two_lstms(keras), return_state=True)
    expected = theirs(X)
    ours(X)
    ours.set_weights([keras.ops.convert_to_numpy(w) for w in theirs.get_weights()])
    output, first_states, second_states = ours(X)
    support.assert_close(output, keras.ops.convert_to_numpy(expected[0]), rtol=1e-5, atol=1e-5)
    for got, value in zip(first_states + second_states, list(expected[1]) + list(expected[2])):
        support.assert_close(got, keras.ops.convert_to_numpy(value), rtol=1e-5, atol=1e-5)


def test_stacked_cells_structure():
    cells = layers.StackedRNNCells([layers.LSTMCell(3), layers.GRUCell(2), layers.SimpleRNNCell(4)])
    assert cells.state_size == [[3, 3], 2, 4] and cells.output_size == 4
    rnn = layers.RNN(cells, return_state=True)
    output, (h, c), gru_state, simple_state = rnn(X)
    assert [support.to_numpy(t).shape for t in (output, h, c, gru_state, simple_state)] == [
        (2, 4), (2, 3), (2, 3), (2, 2), (2, 4)]
    symbolic = rnn(kerasx.Input((4, 3)))
    assert [t.shape for t in symbolic[1]] == [(None, 3), (None, 3)] and symbolic[2].shape == (None, 2)
    # Initial states nested as state_size, or flat.
    nested = [[np.ones((2, 3), "float32")] * 2, np.ones((2, 2), "float32"), np.ones((2, 4), "float32")]
    flat = [np.ones((2, 3), "float32")] * 2 + nested[1:]
    support.assert_close(rnn(X, initial_state=nested)[0], support.to_numpy(rnn(X, initial_state=flat)[0]))
    config = layers.serialize(rnn)
    clone = layers.deserialize(config)
    assert clone.cell.state_size == [[3, 3], 2, 4]
    with pytest.raises(ValueError, match="list of cells"):
        layers.StackedRNNCells([layers.Dense(2)])


@pytest.mark.skipif(not support.TRAINS, reason="dropout applies while training")
def test_stacked_cells_dropout_uses_one_mask_per_sequence():
    # With recurrent dropout only and a zero input kernel, a constant input gives a constant projection: one mask
    # for the whole sequence makes every row's output a deterministic function of its own mask, so two layers of
    # the same seed give equal outputs, and training differs from inference.
    def make():
        return layers.RNN(layers.StackedRNNCells([layers.SimpleRNNCell(3, dropout=0.5, seed=4),
                                                  layers.SimpleRNNCell(2, recurrent_dropout=0.5, seed=5)]))
    first, second = make(), make()
    first(X)
    second(X)
    second.set_weights(first.get_weights())
    trained = support.to_numpy(first(X, training=True))
    support.assert_close(trained, support.to_numpy(second(X, training=True)))
    assert not np.allclose(trained, support.to_numpy(first(X)))


def _minimal_cell_class(library):
    class MinimalRNNCell(library.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform",
                                          name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), initializer="orthogonal",
                                                    name="recurrent_kernel")

        def call(self, inputs, states):
            previous = states[0]
            output = library.ops.tanh(library.ops.matmul(inputs, self.kernel)
                                      + library.ops.matmul(previous, self.recurrent_kernel))
            return output, [output]

    return MinimalRNNCell


@pytest.mark.parametrize("flags", [{}, {"return_sequences": True, "go_backwards": True}, {"return_state": True}],
                         ids=["last", "backwards", "state"])
def test_user_cell_against_keras(flags):
    ours = layers.RNN(_minimal_cell_class(kerasx)(3), **flags)
    theirs = keras.layers.RNN(_minimal_cell_class(keras)(3), **flags)
    expected = theirs(X, mask=MASK)
    ours(X)
    ours.set_weights([keras.ops.convert_to_numpy(w) for w in theirs.get_weights()])
    got = ours(X, mask=MASK)
    for a, e in zip(got if isinstance(got, list) else [got], expected if isinstance(expected, (list, tuple)) else [expected]):
        support.assert_close(a, keras.ops.convert_to_numpy(e), rtol=1e-5, atol=1e-5)
    symbolic = ours(kerasx.Input((4, 3)))
    keras_symbolic = theirs(keras.Input((4, 3)))
    as_list = lambda v: v if isinstance(v, (list, tuple)) else [v]  # noqa: E731
    assert [tuple(t.shape) for t in as_list(symbolic)] == [tuple(t.shape) for t in as_list(keras_symbolic)]


# Stateful ------------------------------------------------------------------------------------------------------


def _stateful_pair(name, **kwargs):
    ours = getattr(layers, name)(2, stateful=True, **kwargs)
    theirs = getattr(keras.layers, name)(2, stateful=True, **kwargs)
    theirs(X)
    ours(X)
    ours.set_weights([keras.ops.convert_to_numpy(w) for w in theirs.get_weights()])
    ours.reset_states()
    theirs.reset_states()
    return ours, theirs


@pytest.mark.parametrize("name", ["SimpleRNN", "LSTM", "GRU"])
def test_stateful_against_keras(name):
    ours, theirs = _stateful_pair(name, return_sequences=True)
    outputs = []
    for _ in range(3):  # each call starts from the previous call's final states
        got = support.to_numpy(ours(X))
        support.assert_close(got, keras.ops.convert_to_numpy(theirs(X)), rtol=1e-5, atol=1e-5)
        outputs.append(got)
    assert not np.allclose(outputs[0], outputs[1])
    for state, keras_state in zip(ours.states, theirs.states):
        support.assert_close(state, keras.ops.convert_to_numpy(keras_state), rtol=1e-5, atol=1e-5)
    # The owner's automatic name counts per library (and depends on the tests run before): compare the variables.
    assert [v.path.split("/")[-1] for v in ours.states] == [v.path.split("/")[-1] for v in theirs.states]
    assert [v.path.split("/")[0] for v in ours.states] == [ours.name] * len(ours.states)
    assert len(ours.get_weights()) == len(theirs.get_weights())
    ours.reset_states()
    support.assert_close(ours(X), outputs[0], rtol=1e-6, atol=1e-6)
    ours.reset_state()
    support.assert_close(ours(X), outputs[0], rtol=1e-6, atol=1e-6)


def test_stateful_model_predict_and_fit():
    # Keras 3.15.1 carries the states through predict only on TensorFlow and torch (on JAX its compiled predict
    # drops them; on torch its fit fails); kerasx carries them on every engine, as the eager calls do.
    model = kerasx.Sequential([kerasx.Input(batch_shape=(2, 4, 3)), layers.LSTM(2, stateful=True)])
    layer = model.layers[0]
    first = model.predict(X, verbose=0)
    second = model.predict(X, verbose=0)
    assert not np.allclose(first, second)
    layer.reset_states()
    support.assert_close(model.predict(X, verbose=0), first, rtol=1e-5, atol=1e-6)
    # Two batches of 2 in one predict: the second continues the first.
    layer.reset_states()
    both = model.predict(np.concatenate([X, X]), batch_size=2, verbose=0)
    support.assert_close(both, np.concatenate([first, second]), rtol=1e-5, atol=1e-6)
    if support.TRAINS:
        layer.reset_states()
        model.compile(optimizer="sgd", loss="mse")
        model.fit(X, np.ones((2, 2), "float32"), batch_size=2, epochs=2, verbose=0, shuffle=False)
        assert np.abs(support.to_numpy(layer.states[0])).sum() > 0


def test_stateful_errors():
    with pytest.raises(ValueError, match=r"stateful=True.*fixed batch size"):
        layers.GRU(2, stateful=True)(kerasx.Input((4, 3)))
    layer = layers.LSTM(2, stateful=True)
    layer(X)
    with pytest.raises(ValueError, match=r"states for batches of 2. Received: a batch of 3"):
        layer(np.zeros((3, 4, 3), "float32"))
    assert layers.LSTM(2).states is None


def test_stateful_bidirectional_against_keras():
    pair = []
    for library in (kerasx, keras):
        library.utils.set_random_seed(0)
        pair.append(library.layers.Bidirectional(library.layers.LSTM(2, stateful=True, return_sequences=True)))
    ours, theirs = pair
    theirs(X)
    ours(X)
    ours.set_weights([keras.ops.convert_to_numpy(w) for w in theirs.get_weights()])
    theirs.reset_state()
    ours.reset_state()
    outputs = []
    for _ in range(2):  # the second call continues from the first call's final states, in both directions
        got = support.to_numpy(ours(X))
        support.assert_close(got, keras.ops.convert_to_numpy(theirs(X)), rtol=1e-5, atol=1e-5)
        outputs.append(got)
    assert ours.stateful and len(ours.states) == len(theirs.states) == 4
    for state, keras_state in zip(ours.states, theirs.states):
        support.assert_close(state, keras.ops.convert_to_numpy(keras_state), rtol=1e-5, atol=1e-5)
    ours.reset_states()
    support.assert_close(ours(X), outputs[0], rtol=1e-6, atol=1e-6)
    plain = layers.Bidirectional(layers.LSTM(2))
    plain(X)
    assert plain.states is None and keras.layers.Bidirectional(keras.layers.LSTM(2)).states is None
    with pytest.raises(AttributeError, match="stateful=False"):
        plain.reset_state()


@pytest.mark.parametrize("name", ["SimpleRNNCell", "LSTMCell", "GRUCell"])
def test_dropout_mask_cache_behaves_as_keras(name):
    step = np.ones((3, 4), "float32")
    gates = {"SimpleRNNCell": (), "LSTMCell": (4,), "GRUCell": (3,)}[name]  # Keras 3: one mask per gate
    for library in (kerasx, keras):
        cell = getattr(library.layers, name)(2, dropout=0.5, recurrent_dropout=0.25, seed=1)
        def to_numpy(masks, library=library):
            return np.stack([library.ops.convert_to_numpy(m) for m in masks]) if gates else (
                library.ops.convert_to_numpy(masks))

        first = to_numpy(cell.get_dropout_mask(step))
        assert first.shape == (*gates, 3, 4) and set(first.ravel().tolist()) <= {0.0, 2.0}
        np.testing.assert_array_equal(to_numpy(cell.get_dropout_mask(step)), first)  # cached until reset
        recurrent = to_numpy(cell.get_recurrent_dropout_mask(np.ones((3, 2), "float32")))
        assert recurrent.shape == (*gates, 3, 2) and set(recurrent.ravel().tolist()) <= {0.0, float(np.float32(4.0 / 3.0))}
        draws = []
        for _ in range(8):
            cell.reset_dropout_mask()
            draws.append(to_numpy(cell.get_dropout_mask(step)))
        assert any(not np.array_equal(draw, first) for draw in draws)
        cell.reset_recurrent_dropout_mask()
        assert getattr(library.layers, name)(2).get_dropout_mask(step) is None


def test_rnn_gives_a_cell_using_the_mask_cache_a_new_mask_per_sequence():
    class MaskedCell(layers.SimpleRNNCell):
        def call(self, inputs, states, training=False):
            if training:
                inputs = inputs * self.get_dropout_mask(inputs)
            return super().call(inputs, states, training=False)

    rnn = layers.RNN(MaskedCell(3, dropout=0.5, seed=2))
    x = np.ones((4, 5, 6), "float32")
    first = kerasx.ops.convert_to_numpy(rnn(x, training=True))
    second = kerasx.ops.convert_to_numpy(rnn(x, training=True))
    assert not np.allclose(first, second)  # without the RNN's reset, the cached mask would repeat
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(rnn(x)), kerasx.ops.convert_to_numpy(rnn(x)))
