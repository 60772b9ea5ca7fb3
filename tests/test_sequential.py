"""Sequential models: eager and lazy building, add/pop, the recorded graph, config round trip, summary, errors."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, ops


def _dense_np(layer, x):
    return x @ layer.kernel.numpy() + layer.bias.numpy()


def test_first_layer_input_shape_builds_eagerly():
    model = kerasx.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
    assert model.built and len(model.weights) == 4
    assert model.input_shape == (None, 3) and model.output_shape == (None, 2)
    first, second = model.layers
    data = support.random_array((5, 3))
    support.assert_close(model(data), _dense_np(second, _dense_np(first, data)), rtol=1e-5)


def test_input_dim_and_input_tensor_as_first_element():
    by_dim = kerasx.Sequential([layers.Dense(2, input_dim=6)])
    by_input = kerasx.Sequential([kerasx.Input((6,)), layers.Dense(2)])
    assert by_dim.input_shape == by_input.input_shape == (None, 6)
    assert len(by_input.layers) == 1 and by_input.layers[0].kernel.shape == (6, 2)


def test_lazy_build_on_first_call():
    model = kerasx.Sequential([layers.Dense(4, activation="relu"), layers.Dense(1)])
    assert not model.built and model.weights == []
    with pytest.raises(AttributeError, match="Sequential model '.*' has no defined inputs yet"):
        model.inputs
    data = support.random_array((2, 5))
    out = model(data)
    assert model.built and model.input_shape == (None, 5)
    first, second = model.layers
    support.assert_close(out, _dense_np(second, np.maximum(_dense_np(first, data), 0)), rtol=1e-5)


def test_explicit_build():
    model = kerasx.Sequential([layers.Dense(3)])
    model.build((None, 4))
    assert model.built and model.layers[0].kernel.shape == (4, 3)
    assert model.count_params() == 15


def test_add_and_pop_keep_one_node_per_layer():
    model = kerasx.Sequential()
    model.add(kerasx.Input((3,)))
    first = layers.Dense(4)
    model.add(first)
    model.add(layers.Dense(5))
    model.add(layers.Dense(2))
    assert model.output_shape == (None, 2) and len(first._inbound_nodes) == 1
    popped = model.pop()
    assert popped.units == 2 and popped._inbound_nodes == []
    assert model.output_shape == (None, 5) and len(model.layers) == 2
    data = support.random_array((2, 3))
    support.assert_close(model(data), _dense_np(model.layers[1], _dense_np(first, data)), rtol=1e-5)
    feature = kerasx.Model(model.inputs, first.output)
    support.assert_close(feature(data), _dense_np(first, data), rtol=1e-5)


def test_pop_empty_model_raises():
    with pytest.raises(TypeError, match="has no layers"):
        kerasx.Sequential(name="empty").pop()


def test_add_errors():
    model = kerasx.Sequential([layers.Dense(2, name="only")], name="checked")
    with pytest.raises(TypeError, match=r"Only layers .* can be added to Sequential model 'checked'. Received: 'dense' \(of type str\)"):
        model.add("dense")
    with pytest.raises(ValueError, match="can only be added to Sequential model 'checked' as its first element"):
        model.add(kerasx.Input((3,)))
    with pytest.raises(ValueError, match="Name 'only' is already the name of a layer in this model"):
        model.add(layers.Dense(3, name="only"))
    x = kerasx.Input((3,))
    with pytest.raises(ValueError, match="accepts KerasTensors only directly from `kerasx.Input"):
        kerasx.Sequential().add(layers.Dense(2)(x))


def test_multi_output_layer_is_rejected():
    class Split(layers.Layer):
        def call(self, inputs):
            return [inputs, ops.multiply(inputs, 2.0)]

    model = kerasx.Sequential([kerasx.Input((2,))])
    with pytest.raises(ValueError, match="should have a single output tensor, but layer 'split' returned list"):
        model.add(Split(name="split"))
    assert model.layers == []


def test_config_round_trip_gives_identical_outputs():
    model = kerasx.Sequential(
        [kerasx.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(2, kernel_regularizer="l2")],
        name="round_trip",
    )
    config = model.get_config()
    clone = kerasx.Sequential.from_config(config)
    assert clone.name == "round_trip" and clone.built and clone.input_shape == (None, 3)
    assert clone.get_config() == config
    clone.set_weights(model.get_weights())
    data = support.random_array((2, 3))
    support.assert_close(clone(data), support.to_numpy(model(data)), rtol=1e-6)


def test_lazily_built_config_round_trip():
    model = kerasx.Sequential([layers.Dense(2)])
    model(support.random_array((1, 5)))
    clone = kerasx.Sequential.from_config(model.get_config())
    assert clone.built and clone.layers[0].kernel.shape == (5, 2)


def test_sequential_in_functional_and_functional_in_sequential():
    x = kerasx.Input((3,))
    block = kerasx.Model(x, layers.Dense(4)(x), name="block")
    stack = kerasx.Sequential([kerasx.Input((3,)), block, layers.Dense(2)])
    y = kerasx.Input((3,))
    outer = kerasx.Model(y, stack(y))
    data = support.random_array((2, 3))
    expected = _dense_np(stack.layers[1], support.to_numpy(block(data)))
    support.assert_close(stack(data), expected, rtol=1e-5)
    support.assert_close(outer(data), expected, rtol=1e-5)
    assert len(outer.weights) == 4 and [id(w) for w in outer.weights] == [id(w) for w in stack.weights]


def test_freezing_the_whole_model():
    model = kerasx.Sequential([layers.Dense(3, input_shape=(2,)), layers.Dense(1)])
    model.trainable = False
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 4
    model.layers[1].trainable = True
    model.trainable = True
    assert len(model.trainable_weights) == 4


def test_training_flag_passes_to_layers():
    class Record(layers.Layer):
        def __init__(self):
            super().__init__()
            self.seen = []

        def call(self, inputs, training=None):
            self.seen.append(training)
            return inputs

    record = Record()
    model = kerasx.Sequential([layers.Dense(2, input_shape=(2,)), record])
    model(support.random_array((1, 2)), training=True)
    model(support.random_array((1, 2)), training=False)
    assert record.seen[-2:] == [True, False]


def test_symbolic_call_matches_eager():
    model = kerasx.Sequential([layers.Dense(3), layers.Dense(2)])
    support.check_symbolic(model, support.random_array((4, 5)))


def test_summary_text_and_param_counts():
    model = kerasx.Sequential([layers.Dense(5, input_shape=(3,), name="hidden"), layers.Dense(1, name="out")],
                              name="seq_summary")
    model.layers[1].trainable = False
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[0] == 'Model: "seq_summary"'
    header = next(line for line in lines if "Layer (type)" in line)
    assert "Output Shape" in header and "Param #" in header and "Connected to" not in header
    assert _cells(next(line for line in lines if "hidden (Dense)" in line)) == ["hidden (Dense)", "(None, 5)", "20"]
    assert _cells(next(line for line in lines if "out (Dense)" in line))[-1] == "6"
    assert " Total params: 26 (104.00 B)" in lines
    assert " Trainable params: 20 (80.00 B)" in lines
    assert " Non-trainable params: 6 (24.00 B)" in lines
    assert not any("InputLayer" in line for line in lines)


def _cells(row: str) -> list:
    """The texts of one row of the summary table ("│ a │ b │" -> ["a", "b"])."""
    return [cell.strip() for cell in row.strip().strip("│").split("│")]


def test_summary_of_unbuilt_model():
    lines = []
    kerasx.Sequential([layers.Dense(2, name="later")]).summary(print_fn=lines.append)
    row = next(line for line in lines if "later (Dense)" in line)
    assert _cells(row) == ["later (Dense)", "?", "0 (unbuilt)"]
    assert " Total params: 0 (0.00 B)" in lines
