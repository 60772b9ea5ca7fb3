"""TorchModuleWrapper, JaxLayer and FlaxLayer against Keras 3's own wrappers on the same engine.

TorchModuleWrapper runs on torch; JaxLayer and FlaxLayer on jax, and on tensorflow through jax2tf, as in Keras 3.
There the same module or function gives Keras's outputs, weights (count, shapes, order), state updates and training;
elsewhere creating one raises a ValueError naming the backend it needs.
"""

import copy
import zipfile

import h5py
import numpy as np
import pytest

import kerasx
import support
from kerasx.backend import _config
from kerasx.layers import _jax_layer, _torch_module_wrapper

keras = pytest.importorskip("keras")

BACKEND = kerasx.backend.backend()
torch_only = pytest.mark.skipif(BACKEND != "torch", reason="TorchModuleWrapper runs on the torch backend only")
jax_or_tensorflow = pytest.mark.skipif(BACKEND not in ("jax", "tensorflow"), reason="JaxLayer and FlaxLayer run on jax and tensorflow")

if BACKEND == "torch":
    import torch
if BACKEND in ("jax", "tensorflow"):
    import jax
    import jax.numpy as jnp


def _close(actual, expected, rtol=1e-5, atol=1e-6):
    """`support.assert_close` of anything either library returns (torch tensors that require grad included)."""
    support.assert_close(support.to_numpy(actual), support.to_numpy(expected), rtol=rtol, atol=atol)


def _data(n=32, features=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    y = np.stack([x.sum(axis=1), x[:, 0] - x[:, 1]], axis=1).astype("float32")
    return x, y


# Every backend: the names exist, and the wrong engine is named in the error ---------------------------------------
@pytest.mark.skipif(BACKEND == "torch", reason="the wrapper runs here")
def test_torch_module_wrapper_elsewhere_names_torch():
    with pytest.raises(ValueError, match=f"runs only on the torch backend. Current backend: {BACKEND}"):
        kerasx.layers.TorchModuleWrapper(object())


@pytest.mark.skipif(BACKEND in ("jax", "tensorflow"), reason="the wrappers run here")
@pytest.mark.parametrize("make", [lambda: kerasx.layers.JaxLayer(lambda inputs: inputs), lambda: kerasx.layers.FlaxLayer(None)])
def test_jax_wrappers_elsewhere_name_jax(make):
    with pytest.raises(ValueError, match=rf"runs only on the jax backend \(or on tensorflow, through jax2tf\). Current backend: {BACKEND}"):
        make()


# TorchModuleWrapper -------------------------------------------------------------------------------------------------
def _torch_module(batch_norm=True):
    torch.manual_seed(0)
    layers = [torch.nn.Linear(3, 4)]
    if batch_norm:
        layers.append(torch.nn.BatchNorm1d(4))
    layers += [torch.nn.Tanh(), torch.nn.Linear(4, 2)]
    return torch.nn.Sequential(*layers)


@torch_only
@pytest.mark.parametrize("training", [False, True])
def test_torch_wrapper_matches_keras(training):
    module = _torch_module()
    ours = kerasx.layers.TorchModuleWrapper(module)
    theirs = keras.layers.TorchModuleWrapper(copy.deepcopy(module))
    assert [tuple(w.shape) for w in ours.trainable_weights] == [tuple(w.shape) for w in theirs.trainable_weights]
    assert len(ours.non_trainable_weights) == len(theirs.non_trainable_weights) == 0
    # The module's Parameters are the variables: torch and kerasx see one storage.
    assert all(w.value is p for w, p in zip(ours.trainable_weights, module.parameters()))
    x, _ = _data(8)
    _close(ours(x, training=training), theirs(x, training=training))
    assert module.training is training
    # Train mode moved both modules' running statistics alike.
    _close(module[1].running_mean, theirs.module[1].running_mean)


@torch_only
def test_torch_wrapper_training_argument_switches_dropout():
    layer = kerasx.layers.TorchModuleWrapper(torch.nn.Dropout(0.5))
    x = np.ones((4, 64), "float32")
    np.testing.assert_array_equal(support.to_numpy(layer(x, training=False)), x)
    dropped = support.to_numpy(layer(x, training=True))
    assert set(np.unique(dropped)) == {0.0, 2.0}


@torch_only
def test_torch_wrapper_symbolic_shapes():
    # Without output_shape the module runs on placeholders (Keras 3 needs output_shape there).
    layer = kerasx.layers.TorchModuleWrapper(torch.nn.Linear(3, 2))
    assert layer(kerasx.Input((5, 3))).shape == (None, 5, 2)
    assert layer.compute_output_shape((7, 3)) == (7, 2)
    fixed = kerasx.layers.TorchModuleWrapper(torch.nn.Linear(3, 2), output_shape=(None, 2))
    assert fixed(kerasx.Input((3,))).shape == (None, 2)
    assert fixed.output_shape == (None, 2)


@torch_only
def test_torch_wrapper_gradients():
    module = _torch_module(batch_norm=False).double()
    layer = kerasx.layers.TorchModuleWrapper(module, dtype="float64")
    x = np.random.default_rng(1).normal(size=(5, 3))
    projection = torch.tensor(np.random.default_rng(2).normal(size=(5, 2)))

    def loss(params, inputs):
        outputs, _ = layer.stateless_call(params, [], inputs)
        return (outputs * projection).sum()

    values = [v.value.detach().clone() for v in layer.trainable_variables]
    value, grads = kerasx.backend.value_and_grad(loss)(values, torch.tensor(x))
    # The module differentiated directly (what Keras 3's wrapper computes) ...
    reference = torch.autograd.grad((module(torch.tensor(x)) * projection).sum(), list(module.parameters()))
    for grad, expected in zip(grads, reference):
        _close(grad, expected, rtol=1e-10, atol=1e-10)
    # ... and a central finite difference along a random direction of every weight.
    directions = [torch.tensor(np.random.default_rng(3).normal(size=tuple(v.shape))) for v in values]
    eps = 1e-6
    with torch.no_grad():
        shifted = [float(loss([v + s * eps * d for v, d in zip(values, directions)], torch.tensor(x))) for s in (1, -1)]
        assert float(value) == pytest.approx(float(loss(values, torch.tensor(x))))
    slope = sum(float((g * d).sum()) for g, d in zip(grads, directions))
    assert abs((shifted[0] - shifted[1]) / (2 * eps) - slope) < 1e-6 * max(1.0, abs(slope))


@torch_only
def test_torch_wrapper_fit_matches_keras():
    module = _torch_module()
    x, y = _data()
    models = []
    for library, wrapped in ((kerasx, module), (keras, copy.deepcopy(module))):
        model = library.Sequential(
            [library.Input((3,)), library.layers.TorchModuleWrapper(wrapped, output_shape=(None, 2))]
        )
        model.compile(optimizer=library.optimizers.SGD(0.1), loss="mse")
        history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
        models.append((model, history.history["loss"]))
    (ours, our_losses), (theirs, their_losses) = models
    assert our_losses[-1] < our_losses[0]
    np.testing.assert_allclose(our_losses, their_losses, rtol=1e-5)
    for actual, expected in zip(ours.get_weights(), theirs.get_weights()):
        _close(actual, expected, rtol=1e-5, atol=1e-6)
    _close(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


@torch_only
def test_torch_wrapper_errors():
    with pytest.raises(TypeError, match=r"needs a `torch.nn.Module` instance. Received: module='linear'"):
        kerasx.layers.TorchModuleWrapper("linear")
    with pytest.raises(ValueError, match="LazyModules are not supported unless they are already initialized"):
        kerasx.layers.TorchModuleWrapper(torch.nn.LazyLinear(3))
    config = kerasx.layers.TorchModuleWrapper(torch.nn.Linear(3, 2)).get_config()
    with pytest.raises(ValueError, match="unpickling it .* can run arbitrary code"):
        kerasx.layers.TorchModuleWrapper.from_config(config)
    assert _torch_module_wrapper.UNSAFE_MODULE.startswith("TorchModuleWrapper.from_config")


@torch_only
def test_torch_wrapper_config_round_trip(monkeypatch):
    layer = kerasx.layers.TorchModuleWrapper(torch.nn.Linear(3, 2), output_shape=(None, 2))
    config = layer.get_config()
    assert set(config) == set(keras.layers.TorchModuleWrapper(torch.nn.Linear(3, 2)).get_config())
    restored = kerasx.layers.TorchModuleWrapper.from_config(config, safe_mode=False)
    x, _ = _data(4)
    _close(restored(x), layer(x))
    assert restored.output_shape == (None, 2)
    # Keras 3 reads kerasx's config, and kerasx Keras 3's (its module is pickled the same way).
    theirs = keras.layers.TorchModuleWrapper.from_config(config, safe_mode=False)
    _close(theirs(x), layer(x))
    keras_config = keras.saving.serialize_keras_object(theirs)
    with pytest.raises(ValueError, match="pass `safe_mode=False` to the loading function"):
        kerasx.saving.deserialize_keras_object(keras_config)
    back = kerasx.saving.deserialize_keras_object(keras_config, safe_mode=False)
    _close(back(x), layer(x))
    monkeypatch.setattr(_config.SETTINGS, "safe_mode", False)
    _close(kerasx.layers.TorchModuleWrapper.from_config(theirs.get_config())(x), layer(x))


@torch_only
def test_torch_wrapper_keras_files_both_ways(tmp_path, monkeypatch):
    x, y = _data()
    ours = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.TorchModuleWrapper(_torch_module())])
    ours.compile(optimizer="sgd", loss="mse")
    ours.fit(x, y, epochs=1, batch_size=8, verbose=0)  # moves BatchNorm's running statistics off their start
    expected = support.to_numpy(ours.predict(x, verbose=0))
    path = str(tmp_path / "ours.keras")
    ours.save(path)
    with zipfile.ZipFile(path) as archive, archive.open("model.weights.h5") as raw, h5py.File(raw) as file:
        names = sorted(file["layers/torch_module_wrapper/vars"])
    # The whole state_dict (buffers included) under its keys, as Keras 3 writes it.
    assert names == sorted(ours.layers[0].module.state_dict())
    with pytest.raises(ValueError, match="unpickling it"):
        kerasx.saving.load_model(path)
    theirs = keras.saving.load_model(path, safe_mode=False)
    _close(theirs.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)

    loaded = kerasx.saving.load_model(path, safe_mode=False)
    _close(loaded.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    _close(loaded.layers[0].module[1].running_var, ours.layers[0].module[1].running_var)
    keras_path = str(tmp_path / "theirs.keras")
    theirs.fit(x, y, epochs=1, batch_size=8, verbose=0)
    theirs.save(keras_path)
    monkeypatch.setattr(_config.SETTINGS, "safe_mode", False)  # `enable_unsafe_deserialization()`, undone after
    from_keras = kerasx.saving.load_model(keras_path)
    _close(from_keras.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


# JaxLayer --------------------------------------------------------------------------------------------------------
def _stateful_call(params, state, rng, inputs, training):
    outputs = jnp.tanh(inputs @ params["dense"]["kernel"] + params["dense"]["bias"]) * params["scale"]
    if training:
        outputs = outputs * jax.random.bernoulli(rng, 0.5, outputs.shape) * 2.0
    return outputs, {"calls": state["calls"] + 1, "mean": jnp.mean(inputs, axis=0)}


def _stateful_init(rng, inputs):
    features = inputs.shape[-1]
    params = {"dense": {"kernel": jnp.linspace(-1.0, 1.0, features * 2).reshape(features, 2), "bias": jnp.zeros(2)},
              "scale": jnp.ones(2)}
    return params, {"calls": jnp.zeros((), jnp.int32), "mean": jnp.zeros(features)}


def _linear_call(params, inputs):
    return inputs @ params["kernel"] + params["bias"]


def _linear_init(rng, inputs):
    return {"kernel": jnp.full((inputs.shape[-1], 2), 0.1), "bias": jnp.zeros(2)}


if BACKEND in ("jax", "tensorflow"):
    # Registered in both libraries under one name, so that configs and files name them for either.
    for _function in (_stateful_call, _stateful_init, _linear_call, _linear_init):
        kerasx.saving.register_keras_serializable(package="engine_wrappers")(_function)
        keras.saving.register_keras_serializable(package="engine_wrappers")(_function)


@jax_or_tensorflow
def test_jax_layer_matches_keras():
    x, _ = _data(6)
    ours = kerasx.layers.JaxLayer(_stateful_call, _stateful_init, seed=1)
    theirs = keras.layers.JaxLayer(_stateful_call, _stateful_init, seed=1)
    _close(ours(x), theirs(x))
    # Same weights in the same (JAX flattening) order, params trainable and state not, int state kept int.
    assert [(tuple(w.shape), w.dtype, w.trainable) for w in ours.weights] == [
        (tuple(w.shape), w.dtype, w.trainable) for w in theirs.weights
    ]
    for actual, expected in zip(ours.get_weights(), theirs.get_weights()):
        _close(actual, expected)
    assert int(ours.state["calls"].numpy()) == 1
    _close(ours.state["mean"], x.mean(axis=0))
    assert ours(kerasx.Input((3,))).shape == (None, 2)


@jax_or_tensorflow
def test_jax_layer_rng_only_in_training():
    layer = kerasx.layers.JaxLayer(_stateful_call, _stateful_init, seed=3)
    x, _ = _data(4)
    inference = [support.to_numpy(layer(x)) for _ in range(2)]
    np.testing.assert_array_equal(inference[0], inference[1])
    trained = [support.to_numpy(layer(x, training=True)) for _ in range(2)]
    assert not np.array_equal(trained[0], trained[1])  # a new key per training call
    assert set(np.unique(np.round(trained[0] / np.where(inference[0] == 0, 1, inference[0]), 5))) <= {0.0, 2.0}


@jax_or_tensorflow
def test_jax_layer_with_given_params_matches_keras():
    params = {"kernel": np.arange(6, dtype="float32").reshape(3, 2) / 10, "bias": np.array([0.5, -0.5], "float32")}
    ours = kerasx.layers.JaxLayer(_linear_call, params=params)
    theirs = keras.layers.JaxLayer(_linear_call, params=params)
    assert ours.built and [w.trainable for w in ours.weights] == [True, True]
    x, _ = _data(5)
    _close(ours(x), theirs(x))
    _close(ours(x), x @ params["kernel"] + params["bias"])


@jax_or_tensorflow
def test_jax_layer_gradients():
    layer = kerasx.layers.JaxLayer(_linear_call, _linear_init)
    x, _ = _data(5)
    layer(x)
    projection = np.random.default_rng(4).normal(size=(5, 2)).astype("float32")

    def loss(params, inputs):
        outputs, _ = layer.stateless_call(params, [], inputs)
        return kerasx.ops.sum(outputs * projection)

    values = [v.value for v in layer.trainable_variables]
    _, grads = kerasx.backend.value_and_grad(loss)(values, x)
    # The JAX function differentiated directly, and a finite difference.
    params = jax.tree_util.tree_map(support.to_numpy, layer.params)
    expected = jax.grad(lambda p: jnp.sum(_linear_call(p, x) * projection))(params)
    for grad, reference in zip(grads, jax.tree_util.tree_leaves(expected)):
        _close(grad, reference, rtol=1e-5, atol=1e-5)
    direction = [np.random.default_rng(5).normal(size=v.shape).astype("float32") for v in values]
    eps = 1e-2
    shifted = [float(loss([v + s * eps * d for v, d in zip(values, direction)], x)) for s in (1, -1)]
    slope = sum(float(np.sum(support.to_numpy(g) * d)) for g, d in zip(grads, direction))
    assert (shifted[0] - shifted[1]) / (2 * eps) == pytest.approx(slope, rel=1e-3, abs=1e-3)


@jax_or_tensorflow
def test_jax_layer_fit_matches_keras():
    x, y = _data()
    models = []
    for library in (kerasx, keras):
        model = library.Sequential([library.Input((3,)), library.layers.JaxLayer(_linear_call, _linear_init)])
        model.compile(optimizer=library.optimizers.SGD(0.05), loss="mse")
        history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
        models.append((model, history.history["loss"]))
    (ours, our_losses), (theirs, their_losses) = models
    assert our_losses[-1] < our_losses[0]
    np.testing.assert_allclose(our_losses, their_losses, rtol=1e-5)
    for actual, expected in zip(ours.get_weights(), theirs.get_weights()):
        _close(actual, expected, rtol=1e-5, atol=1e-6)


@jax_or_tensorflow
def test_jax_layer_state_updates_in_fit():
    x, y = _data(16)
    layer = kerasx.layers.JaxLayer(_stateful_call, _stateful_init, seed=0)
    model = kerasx.Sequential([kerasx.Input((3,)), layer])
    model.compile(optimizer="sgd", loss="mse")
    calls_before = int(layer.state["calls"].numpy())
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert int(layer.state["calls"].numpy()) == calls_before + 4
    _close(layer.state["mean"], x[8:].mean(axis=0))


@jax_or_tensorflow
def test_jax_layer_config_and_files(tmp_path):
    x, _ = _data(4)
    layer = kerasx.layers.JaxLayer(_stateful_call, _stateful_init, seed=2, name="wrapped")
    layer(x)
    config = layer.get_config()
    assert set(config) == set(keras.layers.JaxLayer(_stateful_call, _stateful_init).get_config())
    assert config["call_fn"] == "engine_wrappers>_stateful_call"
    restored = kerasx.layers.JaxLayer.from_config(config)
    restored(x)
    restored.set_weights(layer.get_weights())
    _close(restored(x), layer(x))
    # Keras 3's serialized layer deserializes in kerasx, and kerasx's config makes Keras's layer.
    theirs = keras.layers.JaxLayer(_stateful_call, _stateful_init)
    # Built symbolically first: on tensorflow Keras 3 converts the function for the first input shape it sees.
    keras_model = keras.Sequential([keras.Input((3,)), theirs])
    theirs.set_weights(layer.get_weights())
    from_keras = kerasx.saving.deserialize_keras_object(keras.saving.serialize_keras_object(theirs))
    from_keras(x)
    from_keras.set_weights(layer.get_weights())
    _close(from_keras(x), theirs(x))
    from_kerasx = keras.layers.JaxLayer.from_config(config)
    keras.Sequential([keras.Input((3,)), from_kerasx])
    from_kerasx.set_weights(layer.get_weights())
    _close(from_kerasx(x), layer(x))

    model = kerasx.Sequential([kerasx.Input((3,)), layer])
    path = str(tmp_path / "jax_layer.keras")
    model.save(path)
    loaded = kerasx.saving.load_model(path)
    _close(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    _close(keras.saving.load_model(path).predict(x, verbose=0), model.predict(x, verbose=0))
    keras_path = str(tmp_path / "keras_jax_layer.keras")
    keras_model.save(keras_path)
    _close(kerasx.saving.load_model(keras_path).predict(x, verbose=0), keras_model.predict(x, verbose=0))


@jax_or_tensorflow
def test_jax_layer_errors():
    def no_inputs(params, x):
        return x

    def extra(params, inputs, scale):
        return inputs

    with pytest.raises(ValueError, match=r"`call_fn` must take an argument named `inputs`. Received: call_fn with arguments \['params', 'x'\]"):
        kerasx.layers.JaxLayer(no_inputs, params={})
    with pytest.raises(ValueError, match=r"takes an argument named `scale`, which is not one JaxLayer passes"):
        kerasx.layers.JaxLayer(extra, params={})
    with pytest.raises(ValueError, match="`init_fn`, `params` and `state` cannot all be None"):
        kerasx.layers.JaxLayer(_linear_call)
    with pytest.raises(ValueError, match="`init_fn` must take an argument named `inputs`"):
        kerasx.layers.JaxLayer(_linear_call, init_fn=no_inputs)
    with pytest.raises(TypeError, match=r"`call_fn` must be callable. Received: call_fn=3"):
        kerasx.layers.JaxLayer(3)
    assert _jax_layer.NEEDS_JAX.startswith("{cls} wraps a JAX model")


# FlaxLayer -------------------------------------------------------------------------------------------------------
if BACKEND in ("jax", "tensorflow"):
    flax_linen = pytest.importorskip("flax.linen")

    @kerasx.saving.register_keras_serializable(package="engine_wrappers")
    @keras.saving.register_keras_serializable(package="engine_wrappers")
    class SmallFlaxModel(flax_linen.Module):
        features: int = 4

        @flax_linen.compact
        def __call__(self, inputs, training):
            x = flax_linen.Dense(self.features)(inputs)
            x = flax_linen.BatchNorm(use_running_average=not training, momentum=0.5)(x)
            return flax_linen.Dense(2)(flax_linen.tanh(x))

        def get_config(self):
            return {"features": self.features}

        @classmethod
        def from_config(cls, config):
            return cls(**config)

    def _doubled(module, inputs):
        return module(inputs, training=False) * 2.0


def _flax_variables(module, x):
    return module.init(jax.random.PRNGKey(0), x, training=False)


@jax_or_tensorflow
@pytest.mark.parametrize("training", [False, True])
def test_flax_layer_matches_keras(training):
    x, _ = _data(6)
    module = SmallFlaxModel()
    variables = _flax_variables(module, x)
    ours = kerasx.layers.FlaxLayer(module, variables=variables)
    theirs = keras.layers.FlaxLayer(module, variables=variables)
    assert [(tuple(w.shape), w.trainable) for w in ours.weights] == [
        (tuple(w.shape), w.trainable) for w in theirs.weights
    ]
    _close(ours(x, training=training), theirs(x, training=training))
    # In training BatchNorm's statistics (the "batch_stats" collection) were updated alike.
    for actual, expected in zip(ours.get_weights(), theirs.get_weights()):
        _close(actual, expected)
    assert ours(kerasx.Input((3,))).shape == (None, 2)


@jax_or_tensorflow
def test_flax_layer_initializes_at_build_and_trains():
    x, y = _data()
    layer = kerasx.layers.FlaxLayer(SmallFlaxModel())
    model = kerasx.Sequential([kerasx.Input((3,)), layer])
    shapes = [tuple(w.shape) for w in layer.trainable_weights]
    assert shapes == [(4,), (4,), (4,), (3, 4), (2,), (4, 2)]  # BatchNorm, Dense_0, Dense_1, JAX's order
    assert [tuple(w.shape) for w in layer.non_trainable_weights] == [(4,), (4,)]
    model.compile(optimizer=kerasx.optimizers.Adam(0.05), loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


@jax_or_tensorflow
def test_flax_layer_method_and_files(tmp_path):
    x, _ = _data(4)
    module = SmallFlaxModel()
    variables = _flax_variables(module, x)
    doubled = kerasx.layers.FlaxLayer(module, method=_doubled, variables=variables)
    _close(doubled(x), 2.0 * module.apply(variables, x, training=False))
    bound = kerasx.layers.FlaxLayer(module, method=module.__call__, variables=variables)
    assert bound.get_config()["method"] == "__call__"
    restored = kerasx.layers.FlaxLayer.from_config(bound.get_config())
    restored(x)
    restored.set_weights(bound.get_weights())
    _close(restored(x), bound(x))
    layer = kerasx.layers.FlaxLayer(SmallFlaxModel(features=3))
    model = kerasx.Sequential([kerasx.Input((3,)), layer])
    path = str(tmp_path / "flax.keras")
    model.save(path)
    loaded = kerasx.saving.load_model(path)
    assert loaded.layers[0].module.features == 3
    _close(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    keras_loaded = keras.saving.load_model(path)
    _close(keras_loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.skipif(BACKEND != "jax", reason="a JAX trace of the layer's call happens on jax only")
def test_jax_layer_cannot_be_built_inside_a_trace():
    layer = kerasx.layers.JaxLayer(_linear_call, _linear_init)
    with pytest.raises(ValueError, match="cannot be built inside a JAX trace"):
        jax.jit(lambda x: layer(x))(np.ones((2, 3), "float32"))
