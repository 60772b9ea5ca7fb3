"""The Layer base class: naming, build, weights and tracking, trainable, losses, training flag, masks, config,
input checks, stateless calls, torch-style parameters and the node API."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, ops
from layer_support import run_layer_test

BACKEND = support.BACKEND


class Scale(layers.Layer):
    """y = x * w (elementwise over the last axis), with a call counter and a non-trainable step counter."""

    def __init__(self, initial=1.0, **kwargs):
        super().__init__(**kwargs)
        self.initial = initial
        self.build_shapes = []

    def build(self, input_shape):
        self.build_shapes.append(input_shape)
        self.w = self.add_weight(
            shape=(input_shape[-1],), initializer=lambda shape, dtype: np.full(shape, self.initial, dtype), name="w"
        )
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False, name="steps")

    def call(self, inputs):
        self.steps.assign_add(1.0)
        return ops.multiply(inputs, self.w)


class RecordTraining(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=None):
        self.seen.append(training)
        return inputs


class DefaultTraining(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=True):
        self.seen.append(training)
        return inputs


class Block(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.first = Scale(2.0)
        self.parts = [Scale(3.0), {"inner": Scale(4.0)}]
        self.record = RecordTraining()

    def call(self, inputs):
        x = self.first(inputs)
        x = self.parts[0](x)
        x = self.parts[1]["inner"](x)
        return self.record(x)


def test_layer_names_are_unique_snake_case():
    class MyFancyLayer(layers.Layer):
        pass

    first, second, third = MyFancyLayer(), MyFancyLayer(), MyFancyLayer(name="custom")
    assert (first.name, second.name, third.name) == ("my_fancy_layer", "my_fancy_layer_1", "custom")


def test_unknown_kwargs_raise_type_error_naming_layer_and_kwarg():
    with pytest.raises(TypeError, match=r"Unrecognized keyword argument\(s\) passed to Dense .*'unitz': 3"):
        layers.Dense(2, unitz=3)


@pytest.mark.parametrize("name", ["a/b", "", 3])
def test_bad_layer_names_raise(name):
    with pytest.raises(ValueError, match="Layer names must be non-empty strings"):
        layers.Layer(name=name)


def test_build_is_called_once_from_the_first_input_shape():
    layer = Scale()
    assert not layer.built
    x = support.random_array((2, 3))
    layer(x)
    layer(x)
    assert layer.built and layer.build_shapes == [(2, 3)]
    support.assert_close(layer(x), x)


def test_build_receives_nested_shapes():
    class Pair(layers.Layer):
        def build(self, input_shape):
            self.received = input_shape

        def call(self, inputs):
            return ops.add(inputs[0], inputs[1]["b"])

    layer = Pair()
    a, b = support.random_array((2, 3)), support.random_array((1, 3))
    support.assert_close(layer([a, {"b": b}]), a + b)
    assert layer.received == [(2, 3), {"b": (1, 3)}]


def test_explicit_build_marks_built():
    layer = Scale()
    layer.build((None, 5))
    assert layer.built and layer.w.shape == (5,)


def test_add_weight_paths_dtypes_and_defaults():
    layer = layers.Layer(name="owner")
    kernel = layer.add_weight(shape=(2, 3), name="kernel")
    counter = layer.add_weight(shape=(), dtype="int32", name="counter")
    assert kernel.path == "owner/kernel" and kernel.dtype == "float32" and kernel.trainable
    limit = np.sqrt(6 / (2 + 3))
    assert np.all(np.abs(kernel.numpy()) <= limit) and np.any(kernel.numpy() != 0)
    assert counter.dtype == "int32" and counter.numpy() == 0
    assert [w.path for w in layer.weights] == ["owner/kernel", "owner/counter"]


def test_add_weight_with_unknown_dimension_raises():
    with pytest.raises(ValueError, match=r"Cannot create weight 'kernel' of layer 'owner2'.*shape=\(None, 3\)"):
        layers.Layer(name="owner2").add_weight(shape=(None, 3), name="kernel")


def test_tracking_through_attributes_lists_and_dicts():
    block = Block()
    block(support.random_array((2, 3)))
    scales = [block.first, block.parts[0], block.parts[1]["inner"]]
    assert block._flatten_layers(include_self=False) == scales + [block.record]
    assert [id(w) for w in block.weights] == [id(w) for s in scales for w in (s.w, s.steps)]
    assert [id(w) for w in block.trainable_weights] == [id(s.w) for s in scales]
    assert [id(w) for w in block.non_trainable_weights] == [id(s.steps) for s in scales]
    assert [id(v) for v in block.variables] == [id(w) for w in block.weights]


def test_list_appended_after_assignment_and_deleted_attributes():
    class Holder(layers.Layer):
        def __init__(self):
            super().__init__()
            self.blocks = []

    holder = Holder()
    holder.blocks.append(Scale())
    holder.blocks[0].build((None, 2))
    holder.extra = Scale()
    holder.extra.build((None, 2))
    assert len(holder.weights) == 4
    del holder.extra
    holder.blocks = None
    assert holder.weights == []


def test_shared_layer_weights_appear_once():
    shared = Scale()
    shared.build((None, 2))

    class Twice(layers.Layer):
        def __init__(self):
            super().__init__()
            self.a = shared
            self.b = [shared]

    assert len(Twice().weights) == 2


def test_trainable_freezes_weights_of_layer_and_sublayers():
    block = Block()
    block(support.random_array((2, 3)))
    block.parts[0].trainable = False
    assert len(block.trainable_weights) == 2 and len(block.non_trainable_weights) == 4
    block.trainable = False
    assert block.trainable_weights == [] and len(block.non_trainable_weights) == 6
    assert not block.first.trainable and not block.parts[1]["inner"].trainable
    block.trainable = True
    assert len(block.trainable_weights) == 3


def test_training_flag_is_inherited_from_the_outer_call():
    block = Block()
    x = support.random_array((2, 3))
    block(x, training=True)
    block(x)
    block(x, training=False)
    assert block.record.seen == [True, None, False]


def test_explicit_training_overrides_context_and_call_default_applies():
    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = RecordTraining()
            self.default = DefaultTraining()

        def call(self, inputs):
            self.default(inputs)
            return self.inner(inputs, training=False)

    outer = Outer()
    outer(support.random_array((1, 2)), training=True)
    outer(support.random_array((1, 2)))
    assert outer.inner.seen == [False, False]
    assert outer.default.seen == [True, True]


def test_losses_from_add_loss_activity_and_weight_regularizers():
    class WithLoss(layers.Layer):
        def call(self, inputs):
            self.add_loss(ops.multiply(0.5, ops.sum(inputs)))
            return inputs

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = WithLoss()
            self.dense = layers.Dense(2, kernel_regularizer=kerasx.regularizers.L2(0.1), activity_regularizer="l1")

        def call(self, inputs):
            return self.dense(self.inner(inputs))

    model = Outer()
    x = support.random_array((3, 4))
    y = support.to_numpy(model(x))
    kernel = model.dense.kernel.numpy()
    # Keras 3 divides an activity penalty by the batch size.
    expected = [0.5 * x.sum(), 0.01 * np.abs(y).sum() / len(x), 0.1 * np.square(kernel).sum()]
    assert len(model.losses) == 3
    for loss, value in zip(model.losses, expected):
        support.assert_close(loss, np.asarray(value, "float32"), rtol=1e-5)
    model(x)
    assert len(model.losses) == 3, "losses must be reset at each outermost call"


def test_symbolic_call_adds_no_losses():
    layer = layers.Dense(2, activity_regularizer="l2")
    layer(kerasx.Input((3,)))
    assert len(layer.losses) == 0


class MaskZero(layers.Layer):
    """Produces a mask (x != 0) like Embedding(mask_zero=True)."""

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
        return ops.multiply(inputs, 2.0)


def test_masks_propagate_eagerly_to_layers_that_accept_them():
    x = np.array([[1.0, 0.0, 2.0]], "float32")
    reader = ReadMask()
    y = reader(MaskZero()(x))
    np.testing.assert_array_equal(support.to_numpy(reader.masks[0]), x != 0)
    np.testing.assert_array_equal(support.to_numpy(kerasx.ops._masking.get_mask(y)), x != 0)


def test_masks_propagate_symbolically():
    reader = ReadMask()
    y = reader(MaskZero()(kerasx.Input((3,))))
    assert isinstance(reader.masks[0], ops.KerasTensor) and reader.masks[0].dtype == "bool"
    assert y._keras_mask is not None and y._keras_mask.shape == (None, 3)


def test_explicit_mask_argument_wins():
    reader = ReadMask()
    mask = np.array([[True, False]])
    reader(support.random_array((1, 2)), mask=mask)
    np.testing.assert_array_equal(support.to_numpy(reader.masks[0]), mask)


def test_layer_without_masking_support_drops_mask_with_warning():
    x = np.array([[1.0, 0.0]], "float32")
    with pytest.warns(UserWarning, match="does not support masking"):
        y = Scale()(MaskZero()(x))
    assert kerasx.ops._masking.get_mask(y) is None


def test_get_config_from_config_round_trip_with_auto_config():
    layer = Scale(initial=3.0, name="scaler", dtype="float64", trainable=False)
    config = layer.get_config()
    float64 = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float64"}, "registered_name": None}
    assert config == {"name": "scaler", "trainable": False, "dtype": float64, "initial": 3.0}
    clone = Scale.from_config(config)
    assert clone.get_config() == config and clone.dtype == "float64" and not clone.trainable
    # A plain dtype name (what older files hold) still loads.
    assert Scale.from_config({**config, "dtype": "float64"}).get_config() == config


def test_auto_config_refuses_non_plain_arguments():
    class Holder(layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

    with pytest.raises(TypeError, match="Holder cannot be serialized automatically.*inner="):
        Holder(Scale()).get_config()


def test_count_params_and_unbuilt_error():
    layer = layers.Dense(3, name="counted")
    with pytest.raises(ValueError, match="count_params` on layer 'counted', but the layer isn't built"):
        layer.count_params()
    layer.build((None, 4))
    assert layer.count_params() == 4 * 3 + 3


def test_get_and_set_weights():
    layer = layers.Dense(3)
    layer.build((None, 2))
    kernel, bias = support.random_array((2, 3)), support.random_array((3,))
    layer.set_weights([kernel, bias])
    got = layer.get_weights()
    np.testing.assert_array_equal(got[0], kernel)
    np.testing.assert_array_equal(got[1], bias)


def test_set_weights_errors_name_layer_variable_and_shapes():
    layer = layers.Dense(3, name="target")
    layer.build((None, 2))
    with pytest.raises(ValueError, match=r"Layer 'target' has 2 weight\(s\) \(target/kernel, target/bias\).*received 1"):
        layer.set_weights([np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"weight 'target/kernel' has shape \(2, 3\).*array of shape \(3, 2\)"):
        layer.set_weights([np.zeros((3, 2)), np.zeros(3)])
    assert np.any(layer.get_weights()[0] != 0), "nothing is assigned when a shape is wrong"


def test_input_spec_errors_name_layer_shapes_and_backend():
    layer = layers.Dense(2, name="checked")
    with pytest.raises(ValueError, match=rf'layer "checked".*expected min_ndim=2, found ndim=1.*\(3,\).*{BACKEND}'):
        layer(np.ones(3, "float32"))
    layer(np.ones((1, 3), "float32"))
    with pytest.raises(ValueError, match=r'layer "checked".*axis -1 of input shape to have value 3.*\(1, 4\)'):
        layer(np.ones((1, 4), "float32"))


def test_non_tensor_inputs_raise_type_error_naming_layer():
    with pytest.raises(TypeError, match="Layer 'stringy' .* expected tensor inputs, but received an input of type str"):
        layers.Dense(2, name="stringy")("hello")
    with pytest.raises(TypeError, match=r'Layer "dicty" expects a tensor input, but received a dict with keys \[\'a\'\]'):
        layers.Dense(2, name="dicty")({"a": np.ones((1, 2))})


def test_numpy_inputs_are_converted_and_float_inputs_cast_to_compute_dtype():
    layer = Scale()
    y = layer(np.ones((2, 3), "float64"))
    assert kerasx.backend.is_tensor(y) and ops.dtype(y) == "float32"
    y64 = Scale(dtype="float64")(np.ones((2, 3), "float32"))
    assert ops.dtype(y64) == "float64"


def test_stateless_call_uses_given_values_and_returns_updates():
    layer = Scale()
    x = support.random_array((2, 3))
    layer(x)
    w = support.random_array((3,))
    outputs, (steps,) = layer.stateless_call([w], [np.asarray(10.0, "float32")], x)
    support.assert_close(outputs, x * w)
    support.assert_close(steps, np.asarray(11.0, "float32"))
    np.testing.assert_array_equal(layer.w.numpy(), np.ones(3, "float32"))
    assert layer.steps.numpy() == 1.0, "stateless_call must not change the stored variables"


def test_stateless_call_returns_losses():
    layer = layers.Dense(2, kernel_regularizer="l2")
    x = support.random_array((2, 3))
    layer(x)
    kernel = support.random_array((3, 2))
    _, _, losses = layer.stateless_call([kernel, np.zeros(2, "float32")], [], x, return_losses=True)
    support.assert_close(losses[0], np.asarray(0.01 * np.square(kernel).sum(), "float32"), rtol=1e-5)


def test_stateless_call_errors():
    layer = Scale(name="stateless_layer")
    with pytest.raises(ValueError, match="layer 'stateless_layer' must be built"):
        layer.stateless_call([], [], np.ones((1, 2)))
    layer.build((None, 2))
    with pytest.raises(ValueError, match="expects 1 trainable_variables values .* received 2"):
        layer.stateless_call([np.ones(2), np.ones(2)], [np.zeros(())], np.ones((1, 2)))


@support.needs_gradients
def test_gradient_through_stateless_call_matches_numpy():
    layer = layers.Dense(2)
    x = support.random_array((4, 3))
    layer(x)
    kernel, bias = support.random_array((3, 2), rng=np.random.default_rng(1)), support.random_array((2,))

    def loss(params):
        y, _ = layer.stateless_call(params, [], x)
        return ops.sum(ops.square(y))

    _, grads = kerasx.backend.value_and_grad(loss)([ops.convert_to_tensor(kernel), ops.convert_to_tensor(bias)])
    residual = 2 * (x @ kernel + bias)
    support.assert_close(grads[0], x.T @ residual, rtol=1e-4)
    support.assert_close(grads[1], residual.sum(0), rtol=1e-4)


def test_parameters_are_native_tensors_of_trainable_variables():
    block = Block()
    block(support.random_array((2, 3)))
    params = list(block.parameters())
    assert len(params) == 3
    named = dict(block.named_parameters())
    assert set(named) == {v.path for v in block.trainable_variables}
    if BACKEND == "torch":
        assert all(type(p).__name__ == "Parameter" and p.requires_grad for p in params)
    else:
        assert all(support.to_numpy(p).shape == (3,) for p in params)


@pytest.mark.skipif(BACKEND != "torch", reason="torch.optim drives the layer's Parameters")
def test_a_model_trains_in_a_hand_written_torch_loop():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    model = kerasx.Sequential([kerasx.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    x = torch.randn(64, 4)
    y = x.sum(1, keepdim=True)
    losses = []
    for _ in range(30):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
    # torch updated the Parameters in place: the kerasx variables read the trained values.
    kernel = model.layers[0].kernel
    np.testing.assert_array_equal(support.to_numpy(kernel), next(model.parameters()).detach().numpy())


def test_sublayers_built_in_call_are_built_by_a_symbolic_call_with_compute_output_shape():
    class Block(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.query = layers.Dense(4, name="query")

        def call(self, x):
            return self.query(x)

        def compute_output_shape(self, input_shape):
            return input_shape[:-1] + (4,)

    inputs = kerasx.Input((3,))
    block = Block()
    model = kerasx.Model(inputs, block(inputs))
    assert block.query.built and [v.path for v in model.trainable_weights] == [
        f"{block.name}/query/kernel", f"{block.name}/query/bias"  # built in the block's call: under its path
    ]
    x = support.random_array((2, 3))
    kernel, bias = (support.to_numpy(v) for v in block.query.weights)
    support.assert_close(model(x), x @ kernel + bias, rtol=1e-5)


def test_node_api_single_node():
    x = kerasx.Input((3,), name="features")
    dense = layers.Dense(4)
    y = dense(x)
    assert dense.input is x and dense.output is y
    assert dense.input_shape == (None, 3) and dense.output_shape == (None, 4)
    assert dense.get_input_at(0) is x and dense.get_output_shape_at(0) == (None, 4)
    assert y._history[0].operation is dense and dense._inbound_nodes[0].input_tensors == [x]


def test_node_api_multiple_nodes_and_errors():
    lstm = layers.Dense(4, name="lstm")
    a, b = kerasx.Input((3,)), kerasx.Input((5, 3))
    out_a, out_b = lstm(a), lstm(b)
    # A shared layer answers with its first call, as in Keras 3.
    assert lstm.output is out_a and lstm.input is a
    assert lstm.output_shape == (None, 4) and lstm.input_shape == (None, 3)
    assert lstm.get_output_at(1) is out_b and lstm.get_input_shape_at(1) == (None, 5, 3)
    assert lstm.get_output_at(0) is out_a
    with pytest.raises(ValueError, match="Asked to get output at node 2 of layer \"lstm\", but the layer has only 2"):
        lstm.get_output_at(2)

    same = layers.Dense(2)
    same(kerasx.Input((3,)))
    same(kerasx.Input((3,)))
    assert same.output_shape == (None, 2) and same.input_shape == (None, 3)


def test_node_api_before_any_call():
    with pytest.raises(AttributeError, match='layer "fresh" has never been called'):
        layers.Dense(2, name="fresh").output


def test_symbolic_call_returns_new_tensors_even_for_identity_layers():
    x = kerasx.Input((3,))
    y = layers.Layer()(x)
    assert y is not x and y.shape == x.shape and x._history[0].operation.__class__.__name__ == "InputLayer"


def test_nested_symbolic_calls_do_not_record_nodes_on_sublayers():
    block = Block()
    y = block(kerasx.Input((3,)))
    assert y.shape == (None, 3)
    assert len(block._inbound_nodes) == 1 and block.first._inbound_nodes == []


def test_dense_against_numpy_with_run_layer_test():
    run_layer_test(
        layers.Dense,
        {"units": 3, "activation": "relu", "name": "dense_checked"},
        input_shape=(4, 5),
        expected_output_shape=(4, 3),
        reference=lambda x, w: np.maximum(x @ w[0] + w[1], 0),
        rtol=1e-5,
    )


def test_dense_on_rank_3_inputs_without_bias():
    run_layer_test(
        layers.Dense,
        {"units": 2, "use_bias": False},
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 2),
        reference=lambda x, w: x @ w[0],
    )


def test_dense_int_inputs_give_float_outputs():
    layer = layers.Dense(2)
    x = np.arange(6, dtype="int32").reshape(2, 3)
    y = support.check_symbolic(layer, x)
    support.assert_dtype(y, "float32")
    support.assert_close(y, x @ layer.kernel.numpy() + layer.bias.numpy(), rtol=1e-5)


@pytest.mark.parametrize("units", [0, -1, 2.5, "3"])
def test_dense_bad_units(units):
    with pytest.raises(ValueError, match="Dense needs a positive integer number of units"):
        layers.Dense(units)


def test_dense_unknown_last_axis():
    with pytest.raises(ValueError, match="Layer 'no_last' .* last input axis .* unknown"):
        layers.Dense(2, name="no_last")(kerasx.Input((None,)))


def test_losses_of_an_earlier_call_are_dropped_when_a_later_call_adds_none():
    class MaybeLoss(layers.Layer):
        def call(self, inputs, training=None):
            if training:
                self.add_loss(ops.sum(inputs))
            return inputs

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = MaybeLoss()

        def call(self, inputs):
            return self.inner(inputs)

    outer = Outer()
    x = np.ones((2, 2), "float32")
    outer(x, training=True)
    assert len(outer.losses) == 1 and len(outer.inner.losses) == 1
    outer(x, training=False)
    assert outer.losses == [] and outer.inner.losses == []
