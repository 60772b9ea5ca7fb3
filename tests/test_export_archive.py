"""ExportArchive (endpoints, variable collections, write_out), TFSMLayer (a SavedModel as a layer, on every engine)
and Model.export's arguments (input signatures, formats, keywords), against NumPy."""


import numpy as np
import pytest

import kerasx
import support
from kerasx import layers

BACKEND = support.BACKEND
WRITES_SAVED_MODEL = BACKEND in ("tensorflow", "jax")
tf = pytest.importorskip("tensorflow")


def _dense_model():
    kerasx.utils.set_random_seed(11)
    model = kerasx.Sequential([kerasx.Input((3,)), layers.Dense(4, activation="tanh"), layers.Dense(2)])
    return model


def _numpy_predict(model, x):
    (k1, b1), (k2, b2) = [[support.to_numpy(w) for w in layer.weights] for layer in model.layers]
    return np.tanh(x @ k1 + b1) @ k2 + b2


@pytest.fixture(scope="module")
def scaled_saved_model(tmp_path_factory):
    """A SavedModel written by TensorFlow alone: `serve(x) = x * [2, 3] + 1`, and its serving signature."""
    module = tf.Module()
    module.scale = tf.Variable([2.0, 3.0])
    module.serve = tf.function(lambda x: x * module.scale + 1.0, input_signature=[tf.TensorSpec((None, 2), tf.float32)])
    module.train = tf.function(lambda x: x * 0.0, input_signature=[tf.TensorSpec((None, 2), tf.float32)])
    path = str(tmp_path_factory.mktemp("tfsm") / "scaled")
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve})
    return path


X2 = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]], "float32")
EXPECTED2 = X2 * np.array([2.0, 3.0], "float32") + 1.0


@pytest.mark.parametrize("endpoint", ["serve", "serving_default"])
def test_tfsm_layer_runs_a_saved_model_eagerly(scaled_saved_model, endpoint):
    layer = layers.TFSMLayer(scaled_saved_model, call_endpoint=endpoint)
    support.assert_close(layer(X2), EXPECTED2)
    assert layer.weights == []


def test_tfsm_layer_inside_a_functional_model_predicts(scaled_saved_model):
    inputs = kerasx.Input((2,))
    outputs = layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")(
        layers.TFSMLayer(scaled_saved_model)(inputs)
    )
    model = kerasx.Model(inputs, outputs)
    assert model.output.shape == (None, 1)
    support.assert_close(model.predict(X2, verbose=0), EXPECTED2.sum(axis=1, keepdims=True))


def test_tfsm_layer_training_endpoint_and_config(scaled_saved_model):
    layer = layers.TFSMLayer(scaled_saved_model, call_endpoint="serve", call_training_endpoint="train", name="sm")
    support.assert_close(layer(X2, training=True), np.zeros_like(X2))
    support.assert_close(layer(X2, training=False), EXPECTED2)
    config = layer.get_config()
    assert (config["filepath"], config["call_endpoint"], config["call_training_endpoint"]) == (
        scaled_saved_model, "serve", "train")
    support.assert_close(layers.TFSMLayer.from_config(config, safe_mode=False)(X2), EXPECTED2)


UNSAFE = "Refusing to deserialize a `TFSMLayer`.*arbitrary TensorFlow operations.*safe_mode=False"
KERAS_UNSAFE = "Requested the deserialization of a `TFSMLayer`"
# Keras 3's TFSMLayer runs on its tensorflow backend only.
KERAS_HAS_TFSM = BACKEND == "tensorflow"


def _tfsm_model(module, path):
    inputs = module.Input((2,))
    return module.Model(inputs, module.layers.TFSMLayer(path, call_endpoint="serve")(inputs))


def test_tfsm_layer_from_config_respects_safe_mode(scaled_saved_model):
    config = layers.TFSMLayer(scaled_saved_model).get_config()
    # Outside a load, an unset safe_mode counts as safe, as in Keras 3.
    for safe_mode in (None, True):
        with pytest.raises(ValueError, match=UNSAFE):
            layers.TFSMLayer.from_config(config, safe_mode=safe_mode)
    support.assert_close(layers.TFSMLayer.from_config(config, safe_mode=False)(X2), EXPECTED2)


def test_load_model_with_a_tfsm_layer_respects_safe_mode(scaled_saved_model, tmp_path, monkeypatch):
    path = tmp_path / "tfsm.keras"
    _tfsm_model(kerasx, scaled_saved_model).save(path)
    with pytest.raises(ValueError, match=UNSAFE):
        kerasx.saving.load_model(path)
    with pytest.raises(ValueError, match=UNSAFE):
        kerasx.saving.load_model(path, safe_mode=True)
    support.assert_close(kerasx.saving.load_model(path, safe_mode=False).predict(X2, verbose=0), EXPECTED2)
    # For the whole process: the setting overrides the default `safe_mode=True`, as Keras 3's does.
    monkeypatch.setattr(kerasx.backend._config.SETTINGS, "safe_mode", None)
    kerasx.config.enable_unsafe_deserialization()
    support.assert_close(kerasx.saving.load_model(path).predict(X2, verbose=0), EXPECTED2)


@pytest.mark.skipif(not KERAS_HAS_TFSM, reason="Keras 3's TFSMLayer runs on its tensorflow backend only")
def test_tfsm_layer_files_refused_and_allowed_as_keras_does(scaled_saved_model, tmp_path):
    keras = pytest.importorskip("keras")
    by_keras, by_kerasx = tmp_path / "keras.keras", tmp_path / "kerasx.keras"
    _tfsm_model(keras, scaled_saved_model).save(by_keras)
    _tfsm_model(kerasx, scaled_saved_model).save(by_kerasx)
    for path in (by_keras, by_kerasx):
        with pytest.raises(ValueError, match=KERAS_UNSAFE):
            keras.saving.load_model(path)
        with pytest.raises(ValueError, match=UNSAFE):
            kerasx.saving.load_model(path, safe_mode=True)
        support.assert_close(keras.saving.load_model(path, safe_mode=False).predict(X2, verbose=0), EXPECTED2)
        support.assert_close(kerasx.saving.load_model(path, safe_mode=False).predict(X2, verbose=0), EXPECTED2)


def test_tfsm_layer_unknown_endpoint_names_the_available_ones(scaled_saved_model):
    with pytest.raises(ValueError, match=r"no endpoint named 'predict'.*call_endpoint='predict'.*'serve'"):
        layers.TFSMLayer(scaled_saved_model, call_endpoint="predict")


@pytest.mark.skipif(not WRITES_SAVED_MODEL, reason="only tensorflow and jax write SavedModels")
def test_export_archive_endpoints_and_variable_collection(tmp_path):
    model = _dense_model()
    archive = kerasx.export.ExportArchive()
    archive.track(model)
    spec = kerasx.InputSpec(shape=(None, 3), dtype="float32")
    archive.add_endpoint("serve", model.__call__, input_signature=[spec])
    archive.add_endpoint("doubled", lambda x: model(x) * 2.0, input_signature=[tf.TensorSpec((None, 3), tf.float32)])
    archive.add_variable_collection("kernels", [model.layers[0].kernel, model.layers[1].kernel])
    path = str(tmp_path / "archive")
    archive.write_out(path, verbose=False)
    reloaded = tf.saved_model.load(path)
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    expected = _numpy_predict(model, x)
    support.assert_close(reloaded.serve(x).numpy(), expected, atol=1e-5)
    support.assert_close(reloaded.doubled(x[:1]).numpy(), 2.0 * expected[:1], atol=1e-5)
    support.assert_close(reloaded.kernels[1].numpy(), support.to_numpy(model.layers[1].kernel))
    # Reloaded as a layer, on this engine, the exported model gives its own numbers.
    support.assert_close(layers.TFSMLayer(path)(x), expected, atol=1e-5)


@pytest.mark.skipif(not WRITES_SAVED_MODEL, reason="only tensorflow and jax write SavedModels")
def test_export_archive_errors():
    model = _dense_model()
    archive = kerasx.export.ExportArchive()
    with pytest.raises(ValueError, match="needs `input_signature`"):
        archive.add_endpoint("serve", model.__call__)
    with pytest.raises(TypeError, match="takes a kerasx Layer or Model.*Received: resource=3"):
        archive.track(3)
    with pytest.raises(ValueError, match="not built"):
        archive.track(layers.Dense(2))
    with pytest.raises(ValueError, match="every variable must belong to a tracked resource"):
        archive.add_variable_collection("kernels", [model.layers[0].kernel])
    with pytest.raises(ValueError, match="has no endpoint to serve"):
        archive.write_out("unused")
    archive.track(model)
    archive.add_endpoint("serve", model.__call__, input_signature=[kerasx.InputSpec(shape=(None, 3))])
    with pytest.raises(ValueError, match="'serve' is already used"):
        archive.add_variable_collection("serve", model.variables)


@pytest.mark.skipif(WRITES_SAVED_MODEL, reason="tensorflow and jax write SavedModels")
def test_export_archive_refused_where_no_saved_model_can_be_written():
    with pytest.raises(ValueError, match="SavedModel"):
        kerasx.export.ExportArchive()


@pytest.mark.skipif(not WRITES_SAVED_MODEL, reason="only tensorflow and jax write SavedModels")
def test_model_export_with_an_input_signature_and_a_subclassed_model(tmp_path, capsys):
    class Scaled(kerasx.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2, kernel_initializer="ones")

        def call(self, inputs):
            return self.dense(inputs) * 3.0

    model = Scaled()
    model(np.zeros((1, 4), "float32"))
    path = str(tmp_path / "subclassed")
    model.export(path)  # the signature comes from the build shape; verbose by default
    assert f"Saved artifact at '{path}'" in capsys.readouterr().out
    x = np.arange(8, dtype="float32").reshape(2, 4)
    expected = x.sum(axis=1, keepdims=True).repeat(2, axis=1) * 3.0
    reloaded = tf.saved_model.load(path)  # kept: a reloaded object's functions need it alive
    support.assert_close(reloaded.serve(x).numpy(), expected)
    explicit = str(tmp_path / "explicit")
    model.export(explicit, input_signature=[tf.TensorSpec((None, 4), tf.float32)], verbose=False)
    reloaded = tf.saved_model.load(explicit)
    support.assert_close(reloaded.serve(x[:1]).numpy(), expected[:1])


def test_model_export_argument_errors(tmp_path):
    model = _dense_model()
    with pytest.raises(ValueError, match="Unrecognized export format. Received: format='keras'"):
        model.export(str(tmp_path / "a"), format="keras")
    for format, converter in (("openvino", "openvino.convert_model"), ("litert", "TFLiteConverter")):
        with pytest.raises(ValueError, match=f"format='{format}' is not written by kerasx.*{converter}"):
            model.export(str(tmp_path / "a"), format=format)
    if BACKEND != "numpy":
        with pytest.raises(ValueError, match=r"does not take \['opset'\]"):
            model.export(str(tmp_path / "a.onnx"), format="onnx", opset=17)
    with pytest.raises(ValueError, match="must be built before export"):
        kerasx.Sequential([layers.Dense(2)]).export(str(tmp_path / "b"))
    with pytest.raises(TypeError, match="An input signature holds specs.*Received: 'x'"):
        model.export(str(tmp_path / "c"), input_signature=["x"])


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend writes no artifact")
def test_two_input_model_keeps_one_dynamic_batch(tmp_path):
    a, b = kerasx.Input((3,)), kerasx.Input((2,))
    model = kerasx.Model([a, b], layers.Dense(2)(layers.Concatenate()([a, b])))
    rng = np.random.default_rng(1)
    xa, xb = rng.normal(size=(7, 3)).astype("float32"), rng.normal(size=(7, 2)).astype("float32")
    expected = support.to_numpy(model.predict([xa, xb], verbose=0))
    if BACKEND == "torch":
        torch = pytest.importorskip("torch")
        model.export(str(tmp_path / "m.pt2"), format="torch", verbose=False)
        program = torch.export.load(str(tmp_path / "m.pt2")).module()
        run = lambda n: program(torch.from_numpy(xa[:n]), torch.from_numpy(xb[:n])).detach().numpy()
    else:
        model.export(str(tmp_path / "sm"), verbose=False)
        reloaded = tf.saved_model.load(str(tmp_path / "sm"))
        run = lambda n: reloaded.serve([xa[:n], xb[:n]]).numpy()
    for n in (1, 7):
        support.assert_close(run(n), expected[:n], atol=1e-5)
