"""Keras 3's legacy namespaces: `keras.legacy.saving` / `keras.utils.legacy` (tf.keras 2 configs of one object)
and `keras.optimizers.legacy` (names only: building one raises an ImportError). Keras 3 is the oracle."""

import inspect

import numpy as np
import pytest

import kerasx

keras = pytest.importorskip("keras")


class Scale:
    """A plain object with a config holding a function and another object (serialized 'passively')."""

    def __init__(self, factor=1.0, fn=None, inner=None, sizes=(1, 2), none=None):
        self.factor, self.fn, self.inner, self.sizes = factor, fn, inner, list(sizes)

    def get_config(self):
        return {"factor": self.factor, "fn": self.fn, "inner": self.inner, "sizes": self.sizes, "none": None}


def doubled(x):
    return 2 * x


@pytest.mark.parametrize("module", ["legacy.saving", "utils.legacy"])
def test_signatures_match_keras(module):
    keras_module = keras.legacy.saving if module == "legacy.saving" else keras.utils.legacy
    kerasx_module = kerasx.legacy.saving if module == "legacy.saving" else kerasx.utils.legacy
    for name in ("serialize_keras_object", "deserialize_keras_object"):
        keras_params = inspect.signature(getattr(keras_module, name)).parameters
        kerasx_params = inspect.signature(getattr(kerasx_module, name)).parameters
        assert [(p.name, p.default) for p in keras_params.values()] == [
            (p.name, p.default) for p in kerasx_params.values()
        ]
    assert kerasx.utils.legacy.serialize_keras_object is kerasx.legacy.saving.serialize_keras_object


def test_plain_object_serializes_as_keras_does():
    expected = keras.legacy.saving.serialize_keras_object(Scale(3.0, fn=doubled, inner=Scale(5.0)))
    found = kerasx.legacy.saving.serialize_keras_object(Scale(3.0, fn=doubled, inner=Scale(5.0)))
    assert found == expected
    assert found["config"]["inner"]["__passive_serialization__"] is True
    assert found["config"]["fn"] == "doubled"


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.optimizers.Adam(learning_rate=0.5, name="opt"),
        lambda m: m.initializers.GlorotUniform(seed=1),
        lambda m: m.initializers.Constant(0.25),
        lambda m: m.regularizers.L2(0.1),
    ],
    ids=["adam", "glorot", "constant", "l2"],
)
def test_builtin_objects_serialize_as_keras_does(build):
    assert kerasx.legacy.saving.serialize_keras_object(build(kerasx)) == keras.legacy.saving.serialize_keras_object(
        build(keras)
    )


def test_layer_config_is_its_get_config_without_module_keys():
    layer = kerasx.layers.Dense(2, activation="relu", name="out")
    config = kerasx.legacy.saving.serialize_keras_object(layer)
    assert set(config) == {"class_name", "config"} == set(keras.legacy.saving.serialize_keras_object(
        keras.layers.Dense(2, name="out")
    ))
    assert config == {"class_name": "Dense", "config": layer.get_config()}


def test_functions_none_and_errors():
    serialize = kerasx.legacy.saving.serialize_keras_object
    assert serialize(kerasx.activations.relu) == keras.legacy.saving.serialize_keras_object(keras.activations.relu)
    assert serialize(None) is None
    with pytest.raises(ValueError, match="no `get_config\\(\\)` method"):
        serialize("relu")
    with pytest.raises(ValueError):
        keras.legacy.saving.serialize_keras_object("relu")


def test_round_trip_of_a_plain_object_with_custom_objects():
    config = kerasx.legacy.saving.serialize_keras_object(Scale(3.0, fn=doubled, inner=Scale(5.0)))
    custom = {"Scale": Scale, "doubled": doubled}
    for module in (kerasx.legacy.saving, keras.legacy.saving):
        restored = module.deserialize_keras_object(config, custom_objects=custom)
        assert isinstance(restored, Scale) and restored.factor == 3.0 and restored.fn is doubled
        assert isinstance(restored.inner, Scale) and restored.inner.factor == 5.0 and restored.sizes == [1, 2]


def test_custom_object_scope_and_module_objects_find_names():
    config = kerasx.legacy.saving.serialize_keras_object(Scale(2.0))
    with kerasx.saving.custom_object_scope({"Scale": Scale}):
        assert kerasx.legacy.saving.deserialize_keras_object(config).factor == 2.0
    assert kerasx.legacy.saving.deserialize_keras_object(config, module_objects={"Scale": Scale}).factor == 2.0
    assert kerasx.legacy.saving.deserialize_keras_object("Scale", module_objects={"Scale": Scale}).factor == 1.0
    assert kerasx.legacy.saving.deserialize_keras_object("doubled", custom_objects={"doubled": doubled}) is doubled
    assert kerasx.legacy.saving.deserialize_keras_object(doubled) is doubled
    assert kerasx.legacy.saving.deserialize_keras_object(None) is None


def test_unknown_names_and_bad_configs_raise_value_error():
    deserialize = kerasx.legacy.saving.deserialize_keras_object
    with pytest.raises(ValueError, match="Unknown layer: 'Scale'"):
        deserialize({"class_name": "Scale", "config": {}}, printable_module_name="layer")
    with pytest.raises(ValueError, match="Unknown object: 'nothing_here'"):
        deserialize("nothing_here")
    with pytest.raises(ValueError, match="Improper config format"):
        deserialize({"config": {}})
    with pytest.raises(ValueError, match="Improper config format"):
        deserialize(3)
    # Keras 3 refuses the same configs with ValueError.
    with pytest.raises(ValueError):
        keras.legacy.saving.deserialize_keras_object({"class_name": "Scale", "config": {}})
    with pytest.raises(ValueError):
        keras.legacy.saving.deserialize_keras_object({"config": {}})


def test_keras_layer_config_loads_and_computes_the_same():
    keras_layer = keras.layers.Dense(3, activation="relu", kernel_regularizer=keras.regularizers.L2(0.1), name="d")
    config = keras.legacy.saving.serialize_keras_object(keras_layer)
    layer = kerasx.legacy.saving.deserialize_keras_object(config)
    assert isinstance(layer, kerasx.layers.Dense) and layer.units == 3 and layer.name == "d"
    assert layer.get_config() == kerasx.layers.Dense(
        3, activation="relu", kernel_regularizer=kerasx.regularizers.L2(0.1), name="d"
    ).get_config()
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    keras_layer.build((None, 5))
    layer.build((None, 5))
    layer.set_weights(keras_layer.get_weights())
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(layer(x)), keras.ops.convert_to_numpy(keras_layer(x)),
                               rtol=1e-5, atol=1e-6)


def test_kerasx_configs_round_trip():
    for obj in (kerasx.optimizers.SGD(learning_rate=0.5, momentum=0.9), kerasx.layers.Dense(2, name="d"),
                kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2, name="d")], name="s")):
        config = kerasx.legacy.saving.serialize_keras_object(obj)
        restored = kerasx.legacy.saving.deserialize_keras_object(config)
        assert type(restored) is type(obj)
        assert kerasx.legacy.saving.serialize_keras_object(restored) == config


LEGACY_OPTIMIZERS = ["Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop", "SGD"]


@pytest.mark.parametrize("name", LEGACY_OPTIMIZERS)
def test_legacy_optimizers_raise_import_error_as_in_keras(name):
    with pytest.raises(ImportError, match="tf_keras"):
        getattr(keras.optimizers.legacy, name)(learning_rate=0.1)
    with pytest.raises(ImportError, match=f"Use `kerasx.optimizers.{name}` instead"):
        getattr(kerasx.optimizers.legacy, name)(learning_rate=0.1)
    with pytest.raises(ImportError, match="not supported"):
        getattr(kerasx.optimizers.legacy, name)()
    assert not isinstance(kerasx.optimizers.Adam(), getattr(kerasx.optimizers.legacy, name))
    # What the message points to exists.
    assert issubclass(getattr(kerasx.optimizers, name), kerasx.optimizers.Optimizer)


def test_legacy_namespaces_list_keras_names():
    for keras_module, kerasx_module in (
        (keras.optimizers.legacy, kerasx.optimizers.legacy),
        (keras.legacy.saving, kerasx.legacy.saving),
        (keras.utils.legacy, kerasx.utils.legacy),
    ):
        keras_names = {name for name in dir(keras_module) if not name.startswith("_")}
        assert keras_names <= set(kerasx_module.__all__)
