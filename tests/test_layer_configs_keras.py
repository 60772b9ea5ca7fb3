"""Layer configs against Keras 3's `get_config()`, key for key (after a JSON round trip, as a file holds them): the
dtype policy, and the initializers, regularizers and constraints with Keras's `module` and `registered_name` keys,
for default and non-default arguments; then each built-in object's `serialize`, a user's registered class and
function, and `DTypePolicyMap` without a default policy."""

import json

import pytest

import kerasx

keras = pytest.importorskip("keras")


def _layers(m) -> dict:
    """name -> a function making the layer in the library `m` (kerasx or keras). L1 and OrthogonalRegularizer get
    factors exact in float32: Keras 3 keeps them as tensors, so its configs give 0.01 as 0.009999999776482582 on
    most backends but as 0.01 under jax with JAX_ENABLE_X64."""
    init, reg, con, L = m.initializers, m.regularizers, m.constraints, m.layers
    return {
        "dense": lambda: L.Dense(4, name="d"),
        "dense_all": lambda: L.Dense(
            4, activation="relu", kernel_initializer=init.HeNormal(seed=3), bias_initializer=init.Constant(0.5),
            kernel_regularizer=reg.L1L2(0.01, 0.02), bias_regularizer=reg.L1(0.5), activity_regularizer=reg.L2(0.1),
            kernel_constraint=con.MaxNorm(2.0), bias_constraint="non_neg", dtype="float64", name="d",
        ),
        "dense_mixed": lambda: L.Dense(4, use_bias=False, dtype="mixed_bfloat16", name="d"),
        "conv2d": lambda: L.Conv2D(3, 3, name="c"),
        "conv2d_all": lambda: L.Conv2D(
            3, (2, 3), strides=2, padding="same", kernel_initializer="orthogonal", bias_initializer="ones",
            kernel_regularizer="l2", kernel_constraint=con.UnitNorm(axis=[0, 1, 2]), dtype="bfloat16", name="c",
        ),
        "lstm": lambda: L.LSTM(5, name="l"),
        "lstm_all": lambda: L.LSTM(
            5, return_sequences=True, kernel_initializer=init.GlorotNormal(seed=1), recurrent_initializer="identity",
            recurrent_regularizer=reg.OrthogonalRegularizer(0.25), recurrent_constraint=con.MinMaxNorm(0.1, 0.9),
            dtype="mixed_float16", name="l",
        ),
        "batch_norm": lambda: L.BatchNormalization(name="b"),
        "batch_norm_all": lambda: L.BatchNormalization(
            axis=1, beta_initializer=init.RandomNormal(1.0, 0.1, seed=2), gamma_regularizer="l2",
            gamma_constraint="non_neg", moving_variance_initializer=init.VarianceScaling(2.0, "fan_out", "uniform"),
            dtype="float64", name="b",
        ),
        "embedding": lambda: L.Embedding(10, 4, name="e"),
        "embedding_all": lambda: L.Embedding(
            10, 4, embeddings_initializer=init.TruncatedNormal(stddev=0.2, seed=4), embeddings_regularizer=reg.L1(0.125),
            embeddings_constraint="unit_norm", mask_zero=True, dtype="float64", name="e",
        ),
        "multi_head_attention": lambda: L.MultiHeadAttention(2, 4, name="m"),
        "multi_head_attention_all": lambda: L.MultiHeadAttention(
            2, 4, value_dim=3, dropout=0.1, kernel_initializer=init.LecunUniform(seed=6), bias_initializer="zeros",
            kernel_regularizer="l2", bias_constraint="non_neg", dtype="mixed_bfloat16", name="m",
        ),
    }


def _json(config: dict) -> dict:
    return json.loads(json.dumps(config))


@pytest.mark.parametrize("case", sorted(_layers(kerasx)))
def test_layer_config_equals_keras(case):
    ours = _json(_layers(kerasx)[case]().get_config())
    theirs = _json(_layers(keras)[case]().get_config())
    assert ours == theirs
    # Each library reads the other's config back to the same config.
    layer_class = type(_layers(kerasx)[case]())
    keras_class = type(_layers(keras)[case]())
    assert _json(layer_class.from_config(theirs).get_config()) == theirs
    assert _json(keras_class.from_config(ours).get_config()) == ours


def test_sequential_config_equals_keras():
    configs = []
    for m in (kerasx, keras):
        empty = m.Sequential(name="s").get_config()
        model = m.Sequential([m.Input((3,), name="x"), m.layers.Dense(2, kernel_regularizer="l2", name="d")], name="s")
        config = _json(model.get_config())
        # The layers' own configs (kerasx lists a layer as {"class_name", "config"}, Keras adds its module keys).
        layers = [(entry["class_name"], entry["config"]) for entry in config.pop("layers")]
        configs.append((_json(empty), config, layers))
    assert configs[0] == configs[1]
    assert "build_input_shape" not in configs[0][0] and configs[0][1]["build_input_shape"] == [None, 3]
    assert configs[0][1]["dtype"]["config"] == {"name": "float32"}


# Factors exact in float32 (see `_layers`).
EXACT_FACTORS = {"L1": {"l1": 0.5}, "OrthogonalRegularizer": {"factor": 0.5}}


@pytest.mark.parametrize(
    "family, names",
    [
        ("initializers", ["Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
                          "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal", "RandomUniform",
                          "STFT", "TruncatedNormal", "VarianceScaling", "Zeros"]),
        ("regularizers", ["L1", "L2", "L1L2", "OrthogonalRegularizer"]),
        ("constraints", ["MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"]),
    ],
)
def test_builtin_objects_serialize_as_keras(family, names):
    ours_module, keras_module = getattr(kerasx, family), getattr(keras, family)
    for name in names:
        kwargs = EXACT_FACTORS.get(name, {})
        ours, theirs = getattr(ours_module, name)(**kwargs), getattr(keras_module, name)(**kwargs)
        expected = keras.saving.serialize_keras_object(theirs)
        assert expected["module"] == f"keras.{family}" and expected["registered_name"] is None
        assert ours_module.serialize(ours) == keras_module.serialize(theirs) == expected, name
        assert kerasx.saving.serialize_keras_object(ours) == expected, name


def test_identity_gain_is_kept_where_keras_drops_it():
    # Keras 3.15 writes {} for any gain; kerasx writes a gain other than 1, which Keras reads back.
    config = kerasx.initializers.serialize(kerasx.initializers.Identity(gain=2.0))
    assert config["config"] == {"gain": 2.0}
    assert keras.initializers.deserialize(config).gain == 2.0
    assert kerasx.initializers.serialize(kerasx.initializers.Identity())["config"] == {}


def _registered(m):
    @m.saving.register_keras_serializable(package="LayerConfigTests")
    class HalfOnes(m.initializers.Initializer):
        def __init__(self, scale=0.5):
            self.scale = scale

        def __call__(self, shape, dtype=None):
            return m.ops.ones(shape, dtype=dtype) * self.scale

        def get_config(self):
            return {"scale": self.scale}

    @m.saving.register_keras_serializable(package="LayerConfigTests")
    def zero_bias(shape, dtype=None):
        return m.ops.zeros(shape, dtype=dtype)

    return HalfOnes, zero_bias


def test_registered_initializers_in_a_layer_config_equal_keras():
    configs = []
    for m in (kerasx, keras):
        half_ones, zero_bias = _registered(m)
        layer = m.layers.Dense(2, kernel_initializer=half_ones(0.25), bias_initializer=zero_bias, name="d")
        configs.append(_json(layer.get_config()))
    assert configs[0] == configs[1]
    assert configs[0]["kernel_initializer"] == {
        "module": __name__, "class_name": "HalfOnes", "config": {"scale": 0.25},
        "registered_name": "LayerConfigTests>HalfOnes",
    }
    assert configs[0]["bias_initializer"] == {
        "module": "builtins", "class_name": "function", "config": "LayerConfigTests>zero_bias",
        "registered_name": "function",
    }
    restored = kerasx.layers.Dense.from_config(configs[1])
    assert restored.kernel_initializer.scale == 0.25 and restored.bias_initializer.__name__ == "zero_bias"


def _policy_map(m):
    policies = m.dtype_policies.DTypePolicyMap()
    policies["dense"] = "mixed_float16"
    policies["block/.*"] = m.dtype_policies.QuantizedDTypePolicy("int8", "float32")
    return policies


def test_policy_map_without_default_writes_and_reads_as_keras():
    ours, theirs = _policy_map(kerasx), _policy_map(keras)
    config = _json(kerasx.dtype_policies.serialize(ours))
    assert config == _json(keras.dtype_policies.serialize(theirs))
    # The entries' float policies are left out of the config, but the map itself keeps them.
    assert config["config"]["policy_map"]["dense"]["config"] == {"name": None}
    assert config["config"]["policy_map"]["block/.*"]["config"] == {"mode": "int8", "source_name": None}
    assert ours["dense"].name == "mixed_float16" and ours["block/x"].name == "int8_from_float32"
    assert ours.default_policy.name == "float32"
    # Read back, the entries take the global policy of the time they are read (the quantized one keeps its mode).
    kerasx.mixed_precision.set_global_policy("mixed_bfloat16")
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        loaded = kerasx.dtype_policies.deserialize(config)
        expected = keras.dtype_policies.deserialize(config)
    finally:
        kerasx.mixed_precision.set_global_policy("float32")
        keras.mixed_precision.set_global_policy("float32")
    for path in ("dense", "block/x", "other"):
        assert (loaded[path].name, loaded[path].compute_dtype) == (expected[path].name, expected[path].compute_dtype)
    assert loaded["dense"].name == "mixed_bfloat16" and loaded["block/x"].name == "int8_from_mixed_bfloat16"
    assert loaded.default_policy.name == expected.default_policy.name == "mixed_bfloat16"
    assert loaded.name == expected.name == "map_mixed_bfloat16"


def test_policy_map_with_default_keeps_its_entries():
    ours = kerasx.dtype_policies.DTypePolicyMap("bfloat16", {"dense": "mixed_float16"})
    theirs = keras.dtype_policies.DTypePolicyMap("bfloat16", {"dense": keras.dtype_policies.get("mixed_float16")})
    config = _json(kerasx.dtype_policies.serialize(ours))
    assert config == _json(keras.dtype_policies.serialize(theirs))
    assert config["config"]["policy_map"]["dense"]["config"] == {"name": "mixed_float16"}


def test_quantized_policy_source_defaults_to_the_global_policy():
    kerasx.mixed_precision.set_global_policy("mixed_bfloat16")
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        ours, theirs = kerasx.dtype_policies.QuantizedDTypePolicy("int8"), keras.dtype_policies.QuantizedDTypePolicy("int8")
    finally:
        kerasx.mixed_precision.set_global_policy("float32")
        keras.mixed_precision.set_global_policy("float32")
    assert ours.name == theirs.name == "int8_from_mixed_bfloat16"
    assert ours.compute_dtype == theirs.compute_dtype == "bfloat16"
