"""Models defined by subclassing `kerasx.Model`: tracking, eager and symbolic calls, use inside functional models,
explicit build, summary and a stateless training step."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, ops


class MLP(kerasx.Model):
    def __init__(self, hidden=(4, 3), units=2, **kwargs):
        super().__init__(**kwargs)
        self.blocks = [layers.Dense(h, activation="relu") for h in hidden]
        self.head = layers.Dense(units)
        self.calls_in_training = []

    def call(self, inputs, training=None):
        self.calls_in_training.append(training)
        x = inputs
        for block in self.blocks:
            x = block(x)
        return self.head(x)


def _mlp_np(model, x):
    for block in model.blocks:
        x = np.maximum(x @ block.kernel.numpy() + block.bias.numpy(), 0)
    return x @ model.head.kernel.numpy() + model.head.bias.numpy()


def test_subclass_is_not_functional():
    model = MLP()
    assert isinstance(model, kerasx.Model) and not isinstance(model, kerasx.models.Functional)
    assert model.name.startswith("mlp")


def test_eager_call_tracks_weights_and_matches_numpy():
    model = MLP()
    data = support.random_array((5, 6))
    support.assert_close(model(data), _mlp_np(model, data), rtol=1e-5)
    assert model.layers == model.blocks + [model.head]
    assert [w.path for w in model.weights] == [  # built in the model's first call: under its path, as in Keras 3
        f"{model.name}/{layer.name}/{name}" for layer in model.layers for name in ("kernel", "bias")
    ]
    assert model.count_params() == 6 * 4 + 4 + 4 * 3 + 3 + 3 * 2 + 2


def test_symbolic_call_and_use_inside_a_functional_model():
    model = MLP()
    x = kerasx.Input((6,))
    y = model(x)
    assert y.shape == (None, 2) and y.dtype == "float32"
    assert all(layer._inbound_nodes == [] for layer in model.layers)
    outer = kerasx.Model(x, ops.multiply(y, 2.0))
    data = support.random_array((3, 6))
    support.assert_close(outer(data), 2 * _mlp_np(model, data), rtol=1e-5)


def test_training_flag():
    model = MLP()
    data = support.random_array((1, 6))
    model(data, training=True)
    model(data)
    assert model.calls_in_training == [True, None]


def test_explicit_build_creates_sublayer_weights():
    model = MLP(hidden=(3,), units=1)
    model.build((None, 5))
    assert model.built and len(model.weights) == 4 and model.blocks[0].kernel.shape == (5, 3)


def test_get_layer_and_summary():
    model = MLP(hidden=(3,), units=1, name="sub_summary")
    model(support.random_array((2, 4)))
    assert model.get_layer(index=1) is model.head
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[0] == 'Model: "sub_summary"'
    assert any(line.startswith(f"│ {model.head.name} (Dense) ") and line.endswith(" 4 │") for line in lines)
    assert " Total params: 19 (76.00 B)" in lines


def test_get_config_uses_constructor_arguments():
    model = MLP(hidden=[5], units=3, name="configured")
    config = model.get_config()
    assert config["hidden"] == [5] and config["units"] == 3 and config["name"] == "configured"
    clone = MLP.from_config(config)
    assert clone.head.units == 3 and len(clone.blocks) == 1


def test_plain_model_rejects_positional_arguments():
    with pytest.raises(TypeError):
        kerasx.Model(3)


def test_freezing_a_sublayer():
    model = MLP()
    model(support.random_array((1, 6)))
    model.blocks[0].trainable = False
    assert len(model.trainable_weights) == 4 and len(model.non_trainable_weights) == 2


@support.needs_gradients
def test_stateless_training_step_reduces_loss():
    model = MLP()
    data = support.random_array((8, 6))
    target = support.random_array((8, 2))
    model(data)
    params = [ops.convert_to_tensor(v) for v in model.trainable_variables]

    def loss_fn(values):
        prediction, _ = model.stateless_call(values, [], data, training=True)
        return ops.mean(ops.square(ops.subtract(prediction, target)))

    loss, grads = kerasx.backend.value_and_grad(loss_fn)(params)
    updated = [ops.subtract(p, ops.multiply(0.05, g)) for p, g in zip(params, grads)]
    assert float(support.to_numpy(loss_fn(updated))) < float(support.to_numpy(loss))
    # The stored weights are untouched by the stateless step.
    support.assert_close(model(data), _mlp_np(model, data), rtol=1e-5)
