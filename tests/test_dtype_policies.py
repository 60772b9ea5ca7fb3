"""`kerasx.dtype_policies`, the global policy and layers' `dtype=` policies, against Keras 3 (same backend,
in-process): dtypes and configs of every policy class, `get`/`serialize`/`deserialize`, `DTypePolicyMap` lookups,
layer configs read both ways, `.keras` files both ways, and `autocast`."""

import numpy as np
import pytest

import kerasx
import support
from kerasx.dtype_policies import _dtype_policy
from kerasx import dtype_policies, ops

keras = pytest.importorskip("keras")

FLOAT_NAMES = ("float32", "float16", "bfloat16", "float64", "mixed_float16", "mixed_bfloat16")
QUANTIZED_NAMES = (
    "int8_from_float32",
    "int8_from_mixed_bfloat16",
    "int4_from_float32",
    "float8_from_float32",
    "int4/128_from_float32",
    "gptq/4/128_from_mixed_bfloat16",
    "awq/4/-1_from_float32",
)


@pytest.fixture(autouse=True)
def _float32_global_policy():
    # Restored as it was (usually unset: new layers follow floatx), not pinned to "float32", which would keep later
    # tests' set_floatx("float64") from reaching new layers.
    saved = _dtype_policy.GLOBAL_POLICY[0]
    yield
    _dtype_policy.GLOBAL_POLICY[0] = saved
    keras.config.set_dtype_policy("float32")


def _same_policy(ours, theirs):
    assert type(ours).__name__ == type(theirs).__name__
    assert (ours.name, ours.compute_dtype, ours.variable_dtype, ours.quantization_mode) == (
        theirs.name,
        theirs.compute_dtype,
        theirs.variable_dtype,
        theirs.quantization_mode,
    )
    assert ours.get_config() == theirs.get_config()
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)


@pytest.mark.parametrize("name", FLOAT_NAMES + QUANTIZED_NAMES)
def test_policies_by_name_match_keras(name):
    ours, theirs = dtype_policies.get(name), keras.dtype_policies.get(name)
    _same_policy(ours, theirs)
    # Each library reads the other's serialized form.
    _same_policy(dtype_policies.deserialize(keras.dtype_policies.serialize(theirs)), theirs)
    _same_policy(ours, keras.dtype_policies.deserialize(dtype_policies.serialize(ours)))


def test_policy_classes_and_aliases():
    assert kerasx.DTypePolicy is dtype_policies.DTypePolicy is kerasx.mixed_precision.Policy
    assert kerasx.FloatDTypePolicy is dtype_policies.FloatDTypePolicy
    assert issubclass(dtype_policies.FloatDTypePolicy, dtype_policies.DTypePolicy)
    _same_policy(dtype_policies.FloatDTypePolicy("mixed_float16"), keras.dtype_policies.FloatDTypePolicy("mixed_float16"))
    ours = dtype_policies.QuantizedFloat8DTypePolicy("float8", "bfloat16", amax_history_length=16)
    _same_policy(ours, keras.dtype_policies.QuantizedFloat8DTypePolicy("float8", "bfloat16", amax_history_length=16))
    assert dtype_policies.DTypePolicy("mixed_float16") == dtype_policies.DTypePolicy("mixed_float16")
    assert dtype_policies.DTypePolicy("mixed_float16") != dtype_policies.DTypePolicy("float16")
    assert repr(dtype_policies.get("int8_from_float32")) == repr(keras.dtype_policies.get("int8_from_float32"))


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.DTypePolicy("mixed_float64"),
        lambda m: m.DTypePolicy("float8"),
        lambda m: m.get(3),
        lambda m: m.get("int3_from_float32"),
        lambda m: m.QuantizedDTypePolicy("int8", "mixed_float16"),
        lambda m: m.Int4DTypePolicy("int4"),
        lambda m: m.GPTQDTypePolicy("gptq/5/128"),
        lambda m: m.GPTQDTypePolicy("gptq/4"),
        lambda m: m.AWQDTypePolicy("awq/8/128"),
    ],
)
def test_invalid_policies_are_refused_as_keras_refuses_them(make):
    with pytest.raises(ValueError):
        make(keras.dtype_policies)
    with pytest.raises(ValueError):
        make(dtype_policies)


def test_policy_map_lookups_and_config_match_keras():
    def build(module):
        policies = module.DTypePolicyMap(default_policy="mixed_bfloat16")
        policies["dense"] = module.DTypePolicy("mixed_float16")
        policies["block_1/.*"] = module.get("int8_from_float32")
        return policies

    ours, theirs = build(dtype_policies), build(keras.dtype_policies)
    assert (ours.name, ours.compute_dtype, ours.variable_dtype) == (
        theirs.name,
        theirs.compute_dtype,
        theirs.variable_dtype,
    )
    for path in ("dense", "block_1/kernel", "xblock_1/kernel", "dense_2"):
        _same_policy(ours[path], theirs[path])
    assert ours.get_config() == theirs.get_config()
    assert dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    # In a layer config, the map is written whole (Keras 3.15's form).
    layer_configs = [library.layers.Dense(2, name="dense", dtype=build(module)).get_config()["dtype"]
                     for library, module in ((kerasx, dtype_policies), (keras, keras.dtype_policies))]
    assert layer_configs[0] == layer_configs[1]
    assert kerasx.layers.Dense.from_config(
        keras.layers.Dense(2, name="dense", dtype=build(keras.dtype_policies)).get_config()
    ).dtype_policy.name == "mixed_float16"
    loaded = dtype_policies.deserialize(keras.dtype_policies.serialize(theirs))
    assert isinstance(loaded, dtype_policies.DTypePolicyMap)
    assert list(loaded) == ["dense", "block_1/.*"] and loaded["block_1/x"].name == "int8_from_float32"
    with pytest.raises(ValueError, match="already exists"):
        ours["dense"] = "float32"
    assert len(ours) == 2


def test_global_policy_matches_keras():
    for module in (kerasx, keras):
        module.mixed_precision.set_global_policy("mixed_bfloat16")
    assert kerasx.config.dtype_policy().name == keras.config.dtype_policy().name == "mixed_bfloat16"
    ours, theirs = kerasx.layers.Dense(2), keras.layers.Dense(2)
    assert (ours.compute_dtype, ours.variable_dtype, ours.dtype) == (
        theirs.compute_dtype,
        theirs.variable_dtype,
        theirs.dtype,
    )
    # An Input keeps floatx, as Keras's does: the first layer casts.
    assert kerasx.layers.Input((3,)).dtype == "float32"
    assert kerasx.mixed_precision.global_policy() is kerasx.config.dtype_policy()
    with pytest.raises(ValueError, match="Invalid `policy`"):
        kerasx.mixed_precision.set_global_policy(None)


@pytest.mark.parametrize("name", ["float32", "float64", "bfloat16", "mixed_float16", "mixed_bfloat16"])
def test_layer_configs_hold_the_policy_object_and_read_both_ways(name):
    ours = kerasx.layers.Dense(3, dtype=name)
    theirs = keras.layers.Dense(3, dtype=name)
    # Keras 3.15 writes the serialized policy for a plain dtype too.
    expected = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": name}, "registered_name": None}
    assert ours.get_config()["dtype"] == theirs.get_config()["dtype"] == expected
    for module in (kerasx, keras):
        model = module.Sequential([module.Input((2,)), module.layers.Dense(3, dtype=name)])
        assert module.Sequential([]).get_config()["dtype"]["class_name"] == "DTypePolicy"
        assert model.get_config()["layers"][-1]["config"]["dtype"] == expected
    # A plain name, as older files hold, still loads in both.
    plain = {**ours.get_config(), "dtype": name}
    assert kerasx.layers.Dense.from_config(plain).dtype_policy.name == name
    assert keras.layers.Dense.from_config(plain).dtype_policy.name == name
    assert "autocast" not in ours.get_config() and "autocast" not in theirs.get_config()
    from_keras = kerasx.layers.Dense.from_config(theirs.get_config())
    from_kerasx = keras.layers.Dense.from_config(ours.get_config())
    assert from_keras.dtype_policy.name == from_kerasx.dtype_policy.name == name
    assert ours.dtype_policy is not None and ours.dtype == theirs.dtype


@pytest.mark.parametrize("name", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_layer_computes_in_compute_dtype_with_float32_variables(name):
    compute = name.removeprefix("mixed_")
    x = support.random_array((2, 4))
    ours = kerasx.layers.Dense(3, dtype=name)
    theirs = keras.layers.Dense(3, dtype=name)
    y_ours, y_theirs = ours(x), theirs(x)
    ours.set_weights([keras.ops.convert_to_numpy(w) for w in theirs.weights])
    y_ours = ours(x)
    assert ops.dtype(y_ours) == compute == keras.ops.dtype(y_theirs)
    assert ours.kernel.dtype == theirs.kernel.dtype == "float32"
    support.assert_close(
        support.to_numpy(ops.cast(y_ours, "float32")),
        keras.ops.convert_to_numpy(keras.ops.cast(y_theirs, "float32")),
        rtol=1e-2,
        atol=1e-2,
    )
    symbolic = ours(kerasx.layers.Input((4,)))
    assert symbolic.dtype == compute


def test_autocast_false_keeps_inputs_and_variables_uncast():
    x = support.random_array((2, 4))
    ours = kerasx.layers.Dense(3, dtype="mixed_float16", autocast=False)
    theirs = keras.layers.Dense(3, dtype="mixed_float16", autocast=False)
    assert ops.dtype(ours(x)) == keras.ops.dtype(theirs(x)) == "float32"
    variable = kerasx.Variable(np.ones(2, "float32"), autocast=False)
    assert variable._autocast is False and keras.Variable(np.ones(2, "float32"), autocast=False)._autocast is False


def test_nested_float32_layer_keeps_its_variables_in_float32():
    class Outer(kerasx.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = kerasx.layers.Dense(2, dtype="float32")

        def call(self, x):
            return self.inner(ops.cast(x, "float32"))

    outer = Outer(dtype="mixed_float16")
    assert ops.dtype(outer(support.random_array((1, 3)))) == "float32"


def test_quantized_layers_refuse_modes_kerasx_does_not_run():
    with pytest.raises(ValueError, match="cannot run the quantized dtype policy"):
        kerasx.layers.Dense(3, dtype="gptq/4/128_from_float32")
    layer = kerasx.layers.Dense(3, dtype="int8_from_float32")
    assert layer.dtype_policy.name == "int8_from_float32"


@pytest.mark.parametrize("direction", ["kerasx_to_keras", "keras_to_kerasx"])
def test_keras_files_keep_policies_both_ways(tmp_path, direction):
    x = support.random_array((2, 4))
    writer, reader = (kerasx, keras) if direction == "kerasx_to_keras" else (keras, kerasx)
    inputs = writer.Input((4,))
    hidden = writer.layers.Dense(5, dtype="mixed_bfloat16", name="hidden")(inputs)
    outputs = writer.layers.Dense(2, activation="softmax", dtype="float32", name="head")(hidden)
    model = writer.Model(inputs, outputs)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = reader.saving.load_model(path)
    assert loaded.get_layer("hidden").dtype_policy.name == "mixed_bfloat16"
    assert loaded.get_layer("head").dtype_policy.name == "float32"
    for name in ("hidden", "head"):
        assert loaded.get_layer(name).get_config()["dtype"] == model.get_layer(name).get_config()["dtype"]
    expected = writer.ops.convert_to_numpy(model(x))
    got = reader.ops.convert_to_numpy(loaded(x))
    assert got.dtype == np.float32
    support.assert_close(got, expected, rtol=1e-2, atol=1e-2)


@pytest.mark.parametrize("name", ["MultiHeadAttention", "GroupQueryAttention"])
def test_attention_sublayers_follow_the_mixed_policy_as_keras(name):
    x = support.random_array((1, 3, 4))
    kwargs = {"num_heads": 2, "key_dim": 4} if name == "MultiHeadAttention" else {"head_dim": 4, "num_query_heads": 2,
                                                                                 "num_key_value_heads": 1}
    dtypes = []
    for module in (kerasx, keras):
        layer = getattr(module.layers, name)(dtype="mixed_bfloat16", **kwargs)
        dtypes.append(module.ops.dtype(layer(x, x)))
        assert all(w.dtype == "float32" for w in layer.weights)
    assert dtypes == ["bfloat16", "bfloat16"]
