"""Functional models: graph building from Input to outputs, replay with real tensors, structures, nesting, sharing,
and the errors for malformed graphs."""

import json

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, models, ops

BACKEND = support.BACKEND


def _dense_np(layer, x, activation=lambda v: v):
    return activation(x @ layer.kernel.numpy() + layer.bias.numpy())


class RecordTraining(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=None):
        self.seen.append(training)
        return ops.multiply(inputs, 2.0) if training else inputs


def test_model_inputs_outputs_builds_functional():
    x = kerasx.Input((3,))
    model = kerasx.Model(x, layers.Dense(2)(x))
    assert isinstance(model, models.Functional) and isinstance(model, kerasx.Model)
    assert model.name.startswith("functional") and model.built


def test_replay_equals_manual_composition():
    x = kerasx.Input((4,), name="features")
    first, second = layers.Dense(5, activation="relu"), layers.Dense(2)
    model = kerasx.Model(inputs=x, outputs=second(first(x)))
    data = support.random_array((3, 4))
    expected = _dense_np(second, _dense_np(first, data, lambda v: np.maximum(v, 0)))
    support.assert_close(model(data), expected, rtol=1e-5)
    assert [layer.name for layer in model.layers] == ["features", first.name, second.name]
    assert len(model.weights) == 4 and model.count_params() == 4 * 5 + 5 + 5 * 2 + 2


def test_graph_with_ops_and_two_inputs():
    a, b = kerasx.Input((3,), name="a"), kerasx.Input((3,), name="b")
    dense = layers.Dense(3)
    summed = ops.add(dense(a), ops.multiply(b, 2.0))
    model = kerasx.Model([a, b], summed)
    x, y = support.random_array((2, 3)), support.random_array((2, 3))
    expected = _dense_np(dense, x) + 2 * y
    support.assert_close(model([x, y]), expected, rtol=1e-5)
    support.assert_close(model({"a": x, "b": y}), expected, rtol=1e-5)
    assert model.input_names == ["a", "b"] and model.input_shape == [(None, 3), (None, 3)]


def test_dict_inputs_and_outputs():
    a, b = kerasx.Input((2,), name="left"), kerasx.Input((2,), name="right")
    model = kerasx.Model({"x": a, "y": b}, {"sum": ops.add(a, b), "scaled": ops.multiply(a, 3.0)})
    x, y = support.random_array((4, 2)), support.random_array((4, 2))
    outputs = model({"x": x, "y": y})
    assert set(outputs) == {"sum", "scaled"}
    support.assert_close(outputs["sum"], x + y)
    support.assert_close(outputs["scaled"], 3 * x)
    assert model.input_names == ["x", "y"] and model.output_names == ["scaled", "sum"]


def test_list_outputs_and_output_names():
    x = kerasx.Input((3,))
    head_a, head_b = layers.Dense(1, name="head_a"), layers.Dense(2, name="head_b")
    model = kerasx.Model(x, [head_a(x), head_b(x)])
    out_a, out_b = model(support.random_array((5, 3)))
    assert tuple(ops.shape(out_a)) == (5, 1) and tuple(ops.shape(out_b)) == (5, 2)
    assert model.output_names == ["head_a", "head_b"]
    assert model.output_shape == [(None, 1), (None, 2)]
    assert isinstance(model.output, list) and model.outputs == model.output


def test_get_layer_by_name_and_index_and_errors():
    x = kerasx.Input((3,), name="in_a")
    dense = layers.Dense(2, name="projection")
    model = kerasx.Model(x, dense(x), name="finder")
    assert model.get_layer("projection") is dense and model.get_layer(index=1) is dense
    with pytest.raises(ValueError, match=r"No such layer: 'nope' in model 'finder'. Existing layers are: \['in_a', 'projection'\]"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="Was asked to retrieve layer at index 5 but model 'finder' only has 2 layers"):
        model.get_layer(index=5)
    with pytest.raises(ValueError, match="Provide only a layer name or a layer index"):
        model.get_layer("projection", 1)
    with pytest.raises(ValueError, match="Provide either a layer name or a layer index"):
        model.get_layer()


def test_disconnected_output_names_tensor_and_missing_input():
    a, b = kerasx.Input((3,), name="used"), kerasx.Input((3,), name="forgotten")
    out = ops.add(a, b)
    with pytest.raises(ValueError, match=r"not connected to the model inputs: it depends on Input 'forgotten' \(shape \(None, 3\)\)"):
        kerasx.Model(a, out)


def test_duplicate_layer_names_raise():
    x = kerasx.Input((3,))
    y = layers.Dense(2, name="twin")(layers.Dense(3, name="twin")(x))
    with pytest.raises(ValueError, match='The name "twin" is used 2 times in the model'):
        kerasx.Model(x, y)


def test_non_symbolic_inputs_or_outputs_raise():
    x = kerasx.Input((3,))
    with pytest.raises(TypeError, match=r"model outputs must be KerasTensors.*outputs\[0\] of type ndarray"):
        kerasx.Model(x, np.ones(3))


def test_input_shape_mismatch_names_model_input_and_backend():
    x = kerasx.Input((3,), name="three")
    model = kerasx.Model(x, layers.Dense(2)(x), name="strict")
    with pytest.raises(ValueError, match=rf"Input 'three' of model 'strict' .*expected shape \(None, 3\), received shape \(2, 4\) \(backend: {BACKEND}\)"):
        model(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"Model 'strict' expects 1 input\(s\)"):
        model([np.ones((2, 3)), np.ones((2, 3))])


def test_inputs_are_converted_to_the_input_dtype():
    x = kerasx.Input((3,), dtype="int32")
    model = kerasx.Model(x, ops.add(x, 1))
    y = model(np.array([[1.0, 2.0, 3.0]]))
    support.assert_dtype(y, "int32")
    support.assert_close(y, np.array([[2, 3, 4]]))


def test_calling_a_model_on_new_tensors_shares_weights():
    x = kerasx.Input((3,))
    inner = kerasx.Model(x, layers.Dense(4)(x), name="shared_body")
    a, b = kerasx.Input((3,)), kerasx.Input((3,))
    out_a, out_b = inner(a), inner(b)
    assert out_a.shape == (None, 4) and len(inner._inbound_nodes) == 2
    outer = kerasx.Model([a, b], ops.add(out_a, out_b))
    assert [id(w) for w in outer.weights] == [id(w) for w in inner.weights]
    u, v = support.random_array((2, 3)), support.random_array((2, 3))
    support.assert_close(outer([u, v]), support.to_numpy(inner(u)) + support.to_numpy(inner(v)), rtol=1e-5)


def test_nested_models_compute_like_their_composition():
    x = kerasx.Input((3,))
    inner = kerasx.Model(x, layers.Dense(4, activation="relu")(x))
    y = kerasx.Input((3,))
    head = layers.Dense(1)
    outer = kerasx.Model(y, head(inner(y)))
    data = support.random_array((5, 3))
    expected = _dense_np(head, support.to_numpy(inner(data)))
    support.assert_close(outer(data), expected, rtol=1e-5)
    assert outer.layers[1] is inner and len(outer.weights) == 4


def test_shared_layer_within_one_model_is_listed_once():
    a, b = kerasx.Input((3,)), kerasx.Input((3,))
    shared = layers.Dense(2)
    model = kerasx.Model([a, b], ops.add(shared(a), shared(b)))
    assert [layer for layer in model.layers if layer is shared] == [shared]
    assert len(model.weights) == 2 and shared.output_shape == (None, 2)
    assert shared.output is shared.get_output_at(0) and shared.input is a


def test_training_flag_reaches_layers_in_the_graph():
    x = kerasx.Input((2,))
    recorder = RecordTraining()
    model = kerasx.Model(x, recorder(x))
    data = support.random_array((1, 2))
    support.assert_close(model(data, training=True), 2 * data)
    support.assert_close(model(data), data)
    assert recorder.seen[-2:] == [True, None]


def test_masks_flow_through_the_graph():
    class MaskZero(layers.Layer):
        supports_masking = True

        def compute_mask(self, inputs, mask=None):
            return ops.not_equal(inputs, 0.0)

    class ReadMask(layers.Layer):
        supports_masking = True

        def __init__(self):
            super().__init__()
            self.masks = []

        def call(self, inputs, mask=None):
            self.masks.append(mask)
            return inputs

    x = kerasx.Input((3,))
    reader = ReadMask()
    model = kerasx.Model(x, reader(MaskZero()(x)))
    data = np.array([[0.0, 1.0, 0.0]], "float32")
    model(data)
    np.testing.assert_array_equal(support.to_numpy(reader.masks[-1]), data != 0)


def test_model_symbolic_call_shape_and_dtype():
    x = kerasx.Input((None, 3))
    model = kerasx.Model(x, layers.Dense(5)(x))
    data = support.random_array((2, 4, 3))
    support.check_symbolic(model, data)


def test_intermediate_tensors_as_inputs():
    x = kerasx.Input((3,))
    hidden = layers.Dense(4)(x)
    out_layer = layers.Dense(2)
    out = out_layer(hidden)
    tail = kerasx.Model(hidden, out)
    h = support.random_array((2, 4))
    support.assert_close(tail(h), _dense_np(out_layer, h), rtol=1e-5)
    assert tail.layers == [out_layer]


def test_trainable_false_on_a_functional_model():
    x = kerasx.Input((3,))
    model = kerasx.Model(x, layers.Dense(2)(layers.Dense(4)(x)))
    model.trainable = False
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 4
    assert all(not layer.trainable for layer in model.layers)


def test_functional_summary_lists_layers_ops_and_connections():
    a, b = kerasx.Input((3,), name="left"), kerasx.Input((3,), name="right")
    dense = layers.Dense(2, name="proj")
    out = ops.add(dense(a), dense(b))
    model = kerasx.Model([a, b], out, name="two_towers")
    lines = []
    model.summary(print_fn=lines.append, line_length=150)  # wide enough that no cell wraps
    text = "\n".join(lines)
    assert lines[0] == 'Model: "two_towers"'
    assert "Connected to" in text
    assert "proj (Dense)" in text and "add (Add)" in text and "left (InputLayer)" in text
    assert "left[0][0]" in text and "proj[0][0], proj[1][0]" in text
    assert " Total params: 8 (32.00 B)" in lines
    assert " Trainable params: 8 (32.00 B)" in lines and " Non-trainable params: 0 (0.00 B)" in lines


def test_nested_summary_expands_with_expand_nested():
    x = kerasx.Input((3,))
    inner = kerasx.Model(x, layers.Dense(4, name="inner_dense")(x), name="inner")
    y = kerasx.Input((3,))
    outer = kerasx.Model(y, layers.Dense(1, name="outer_dense")(inner(y)), name="outer")
    collapsed, expanded = [], []
    outer.summary(print_fn=collapsed.append)
    outer.summary(print_fn=expanded.append, expand_nested=True)
    assert any(line.startswith("│ inner (Functional) ") and line.endswith(" 16 │") for line in collapsed)
    assert not any("inner_dense" in line for line in collapsed)
    assert any(line.startswith("│    └ inner_dense (Dense) ") for line in expanded)
    assert " Total params: 21 (84.00 B)" in collapsed


def test_config_round_trip_rebuilds_the_graph():
    a, b = kerasx.Input((3,), name="cfg_a"), kerasx.Input((3,), name="cfg_b")
    shared = layers.Dense(2, activation="relu", name="cfg_shared")
    out = ops.add(shared(a), ops.multiply(shared(b), 0.5))
    model = kerasx.Model({"a": a, "b": b}, [out, layers.Dense(1, name="cfg_head")(out)], name="cfg_model")
    config = model.get_config()
    clone = kerasx.models.Functional.from_config(config)
    assert clone.name == "cfg_model" and [layer.name for layer in clone.layers] == [l.name for l in model.layers]
    assert clone.get_config() == config
    clone.set_weights(model.get_weights())
    x, y = support.random_array((2, 3)), support.random_array((2, 3))
    for got, expected in zip(clone({"a": x, "b": y}), model({"a": x, "b": y})):
        support.assert_close(got, support.to_numpy(expected), rtol=1e-6)


def test_nested_model_config_round_trip():
    x = kerasx.Input((3,))
    inner = kerasx.Model(x, layers.Dense(4)(x), name="cfg_inner")
    y = kerasx.Input((3,))
    outer = kerasx.Model(y, layers.Dense(1)(inner(y)))
    clone = kerasx.models.Functional.from_config(outer.get_config())
    assert isinstance(clone.layers[1], kerasx.models.Functional) and clone.layers[1].name == "cfg_inner"
    clone.set_weights(outer.get_weights())
    data = support.random_array((2, 3))
    support.assert_close(clone(data), support.to_numpy(outer(data)), rtol=1e-6)


def test_model_from_config_of_a_functional_config():
    x = kerasx.Input((3,))
    model = kerasx.Model(x, layers.Dense(2, name="fc_head")(layers.Dense(4)(x)))
    clone = kerasx.Model.from_config(model.get_config())
    assert isinstance(clone, kerasx.models.Functional) and clone.get_config() == model.get_config()

    class Tagged(kerasx.Model):
        pass

    tagged = Tagged.from_config(model.get_config())
    assert isinstance(tagged, Tagged) and isinstance(tagged, kerasx.models.Functional)
    tagged.set_weights(model.get_weights())
    data = support.random_array((2, 3))
    support.assert_close(tagged(data), support.to_numpy(model(data)), rtol=1e-6)


def test_config_keeps_constant_arrays_and_slices_refuses_other_objects():
    # Constant arrays and slices are written as Keras 3 writes them ("__numpy__", "__slice__").
    x = kerasx.Input((2,))
    model = kerasx.Model(x, ops.add(x, np.array([1.0, 2.0], "float32"))[:, 1:], name="arrays_inside")
    rebuilt = kerasx.Model.from_config(json.loads(json.dumps(model.get_config())))
    data = support.random_array((3, 2))
    support.assert_close(rebuilt(data), data[:, 1:] + 2.0)

    class Scaled(layers.Layer):
        def call(self, inputs, scale=None):
            return inputs * scale.value

    class Scale:
        value = 2.0

    model = kerasx.Model(x, Scaled(name="scaled")(x, scale=Scale()), name="objects_inside")
    with pytest.raises(TypeError, match="Cannot serialize model 'objects_inside': the call of 'scaled' received"):
        model.get_config()


def test_input_shapes_dtypes_and_names():
    x = kerasx.Input((None, 4), batch_size=8, dtype="int32", name="tokens")
    assert x.shape == (8, None, 4) and x.dtype == "int32" and x.name == "tokens"
    assert isinstance(x._history[0].operation, layers.InputLayer)
    y = kerasx.Input(batch_shape=(None, 2))
    assert y.shape == (None, 2) and y.dtype == "float32"
    layer = x._history[0].operation
    # An InputLayer's node has no input tensors: `input` is an empty list, as in Keras 3.
    assert layer.input == [] and layer.output is x and layer.output_shape == (8, None, 4)
    assert layers.InputLayer.from_config(layer.get_config()).batch_shape == (8, None, 4)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "An Input needs a shape"),
        ({"shape": (3,), "batch_shape": (None, 3)}, "Pass either `shape` or `batch_shape`, not both"),
        ({"shape": 3}, r"Cannot interpret shape=3 as a shape"),
        ({"shape": (-1,)}, r"Cannot interpret shape=\(-1,\) as a shape"),
        ({"shape": ("a",)}, r"Cannot interpret shape=\('a',\) as a shape"),
    ],
)
def test_input_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        kerasx.Input(**kwargs)
