"""The families' `get` / `serialize` / `deserialize` (one `kerasx.serialization.Family` each) against Keras 3.

Keras 3 runs in-process on the same backend. Compared: the class name and config that `serialize` gives for a
built-in object and for a registered custom one, what `get` gives for a name, a dict, a callable and None, what
`deserialize` makes of Keras's own serialized form, and the error for an unknown name.

kerasx's dicts hold `class_name` and `config` only (the `.keras` export adds Keras's `module` and `registered_name`);
a registered custom class is named by its registered name ("Tests>Scaled") where Keras writes its `registered_name`.
"""

import numpy as np
import pytest

import kerasx
import support
from kerasx import ops, serialization

keras = pytest.importorskip("keras")


def _module(library, family: str):
    return library.optimizers.schedules if family == "schedules" else getattr(library, family)


# family -> (a built-in object made the same way in both libraries, keys kerasx adds to Keras's config)
BUILTINS = {
    "regularizers": (lambda m: m.L1L2(l1=0.25, l2=0.5), ()),
    "constraints": (lambda m: m.MinMaxNorm(0.1, 0.9, rate=0.5, axis=1), ()),
    "initializers": (lambda m: m.RandomNormal(mean=1.0, stddev=0.5, seed=3), ()),
    "metrics": (lambda m: m.AUC(num_thresholds=50), ()),
    "losses": (lambda m: m.BinaryCrossentropy(from_logits=True, label_smoothing=0.25), ("dtype",)),
    "optimizers": (lambda m: m.Adam(learning_rate=0.25), ()),
    "schedules": (lambda m: m.ExponentialDecay(0.1, 10, 0.5), ()),
    "layers": (lambda m: m.Dropout(0.25, seed=2), ()),
}


# Families whose `serialize` writes Keras 3's four keys (`module`, `class_name`, `config`, `registered_name`), as
# the layer configs that hold them do in Keras 3.
KERAS_FORM = {"initializers", "regularizers", "constraints"}


def _same_config(ours: dict, theirs: dict, extra=()) -> None:
    """kerasx's config holds Keras's keys and values (a layer's dtype policy included, in Keras 3.15's form)."""
    for key, value in theirs.items():
        assert ours[key] == value, key
    assert set(ours) - set(theirs) <= set(extra)


@pytest.mark.parametrize("family", sorted(BUILTINS))
def test_serialize_builtin_matches_keras(family):
    make, extra = BUILTINS[family]
    # Auto-names count per process ("adam_2"): both libraries start counting afresh.
    kerasx.backend.clear_session(free_memory=False)
    keras.backend.clear_session(free_memory=False)
    ours = _module(kerasx, family).serialize(make(_module(kerasx, family)))
    theirs = _module(keras, family).serialize(make(_module(keras, family)))
    if family in KERAS_FORM:
        # Written as Keras 3 writes them, with the public module and no registered name.
        assert set(ours) == {"module", "class_name", "config", "registered_name"}
        assert (ours["module"], ours["registered_name"]) == (theirs["module"], theirs["registered_name"]) == (
            f"keras.{family}", None)
    else:
        assert set(ours) == {"class_name", "config"}
    assert ours["class_name"] == theirs["class_name"]
    _same_config(ours["config"], theirs["config"], extra)


@pytest.mark.parametrize("family", sorted(BUILTINS))
def test_deserialize_reads_keras_serialized_form(family):
    # Keras's dict (with `module` and `registered_name`) gives the same object kerasx's own dict gives.
    make, extra = BUILTINS[family]
    theirs = _module(keras, family).serialize(make(_module(keras, family)))
    restored = _module(kerasx, family).deserialize(theirs)
    original = make(_module(kerasx, family))
    assert type(restored) is type(original)
    expected = _module(kerasx, family).serialize(original)["config"]
    got = _module(kerasx, family).serialize(restored)["config"]
    for key in ("name",):  # numbered per instance in kerasx
        expected.pop(key, None), got.pop(key, None)
    assert got == expected


def test_serialize_builtin_functions_gives_their_names():
    assert kerasx.activations.serialize(kerasx.activations.relu) == keras.activations.serialize(keras.activations.relu)
    assert kerasx.activations.serialize(kerasx.activations.swish) == "silu"
    assert keras.activations.serialize(keras.activations.swish) == "silu"
    # Keras writes a loss function as {"class_name": "function", "config": name, ...}; kerasx as the bare name,
    # and reads Keras's form back.
    theirs = keras.losses.serialize(keras.losses.mean_squared_error)
    assert kerasx.losses.serialize(kerasx.losses.mean_squared_error) == theirs["config"] == "mean_squared_error"
    assert kerasx.losses.deserialize(theirs) is kerasx.losses.mean_squared_error
    assert kerasx.activations.get(keras.saving.serialize_keras_object(keras.activations.gelu)) is kerasx.activations.gelu


def _scaled_regularizer(library, package: str):
    @library.saving.register_keras_serializable(package=package)
    class Scaled(library.regularizers.Regularizer):
        def __init__(self, scale=1.0):
            self.scale = scale

        def __call__(self, x):
            return self.scale * library.ops.sum(x)

        def get_config(self):
            return {"scale": self.scale}

    return Scaled


def test_serialize_registered_custom_object_matches_keras():
    ours = kerasx.regularizers.serialize(_scaled_regularizer(kerasx, "SerializationTests")(2.0))
    theirs = keras.regularizers.serialize(_scaled_regularizer(keras, "SerializationTests")(2.0))
    assert theirs["registered_name"] == "SerializationTests>Scaled"
    assert theirs["module"] == __name__ and ours == theirs
    # Either form comes back as the registered class, and the object computes the same.
    for config in (ours, theirs):
        restored = kerasx.regularizers.deserialize(config)
        assert type(restored).__name__ == "Scaled" and restored.scale == 2.0
        support.assert_close(restored(np.ones((2, 2), "float32")), np.float32(8.0))


def test_registered_custom_function_serializes_to_its_registered_name():
    @kerasx.saving.register_keras_serializable(package="SerializationTests")
    def halved_relu(x):
        return ops.multiply(kerasx.activations.relu(x), 0.5)

    name = kerasx.activations.serialize(halved_relu)
    assert name == "SerializationTests>halved_relu"
    assert kerasx.activations.get(name) is halved_relu
    assert kerasx.activations.deserialize(name) is halved_relu


# family -> names whose `get` gives the same kind of object in both libraries
GET_NAMES = {
    "activations": ["relu", "swish", "linear", "softmax"],
    "losses": ["mse", "MSE", "mean_squared_error", "MeanSquaredError", "kld", "Huber", "categorical_crossentropy"],
    "metrics": ["accuracy", "mse", "AUC", "precision", "categorical_crossentropy", "f1_score"],
    "initializers": ["zeros", "Zeros", "glorot_uniform", "IdentityInitializer", "orthogonal", "he_normal"],
    "regularizers": ["l1", "l2", "L1L2", "l1l2", "orthogonal_regularizer"],
    "constraints": ["max_norm", "NonNeg", "unit_norm", "min_max_norm"],
    "optimizers": ["adam", "Adam", "SGD", "rmsprop", "adamw", "nadam"],
}


def _describe(obj) -> str:
    if obj is None:
        return "None"
    if isinstance(obj, type):
        return f"class {obj.__name__}"
    if callable(obj) and hasattr(obj, "__name__") and not hasattr(obj, "get_config"):
        return f"function {obj.__name__}"
    return f"instance {type(obj).__name__}"


@pytest.mark.parametrize("family", sorted(GET_NAMES))
def test_get_name_matches_keras(family):
    for name in GET_NAMES[family]:
        ours, theirs = _module(kerasx, family).get(name), _module(keras, family).get(name)
        assert _describe(ours) == _describe(theirs), name


@pytest.mark.parametrize("family", sorted(GET_NAMES))
def test_get_none_matches_keras(family):
    ours, theirs = _module(kerasx, family).get(None), _module(keras, family).get(None)
    assert _describe(ours) == _describe(theirs)


def test_get_passes_callables_and_instances_through():
    def my_activation(x):
        return x

    assert kerasx.activations.get(my_activation) is my_activation
    loss = kerasx.losses.Huber()
    assert kerasx.losses.get(loss) is loss
    assert kerasx.losses.get(kerasx.losses.hinge) is kerasx.losses.hinge
    # A class is instantiated, as in Keras.
    assert type(kerasx.regularizers.get(kerasx.regularizers.L2)).__name__ == type(keras.regularizers.get(keras.regularizers.L2)).__name__
    # Optimizers are not called, so a function is no optimizer.
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        kerasx.optimizers.get(my_activation)
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        keras.optimizers.get(my_activation)


@pytest.mark.parametrize("family", sorted(GET_NAMES))
def test_get_dict_matches_keras(family):
    name = GET_NAMES[family][-1]
    theirs_object = _module(keras, family).get(name)
    config = _module(keras, family).serialize(theirs_object)
    ours, theirs = _module(kerasx, family).get(config), _module(keras, family).get(config)
    assert _describe(ours) == _describe(theirs)


KIND = {
    "activations": "activation function",
    "losses": "loss",
    "metrics": "metric",
    "initializers": "initializer",
    "regularizers": "regularizer",
    "constraints": "constraint",
    "optimizers": "optimizer",
}


@pytest.mark.parametrize("family", sorted(KIND))
def test_unknown_name_error_matches_keras(family):
    # Same error type and opening as Keras; kerasx then lists the names it knows.
    with pytest.raises(ValueError) as theirs:
        _module(keras, family).get("not_a_name")
    with pytest.raises(ValueError, match=f"Could not interpret {KIND[family]} identifier: 'not_a_name'") as ours:
        _module(kerasx, family).get("not_a_name")
    prefix = f"Could not interpret {KIND[family]} identifier: "
    assert str(theirs.value).startswith(prefix) and str(ours.value).startswith(prefix)
    assert "one of the names: " in str(ours.value)


def test_unknown_class_in_config_names_the_fix():
    with pytest.raises(ValueError, match=r"Could not deserialize loss 'Nope'.*custom_objects=\{'Nope': \.\.\.\}"):
        kerasx.losses.deserialize({"class_name": "Nope", "config": {}})
    with pytest.raises(ValueError, match="Could not deserialize regularizer from 3. Expected a dict with keys"):
        kerasx.regularizers.deserialize(3)


def test_metric_name_needing_arguments_says_which():
    with pytest.raises(ValueError, match=r"Metric 'mean_iou' cannot be created from its name alone.*num_classes"):
        kerasx.metrics.get("mean_iou")


def test_custom_objects_reach_nested_configs():
    # `custom_objects` given to deserialize is in scope for the objects nested in the config (a loss wrapper's fn).
    def doubled_error(y_true, y_pred):
        return ops.multiply(kerasx.losses.mean_squared_error(y_true, y_pred), 2.0)

    config = {"class_name": "LossFunctionWrapper", "config": {"fn": "doubled_error", "name": "doubled"}}
    loss = kerasx.losses.deserialize(config, custom_objects={"doubled_error": doubled_error})
    y_true, y_pred = np.zeros((2, 3), "float32"), np.ones((2, 3), "float32")
    support.assert_close(loss(y_true, y_pred), np.float32(2.0))
    with serialization.custom_object_scope({"doubled_error": doubled_error}):
        support.assert_close(kerasx.losses.get(config)(y_true, y_pred), np.float32(2.0))
