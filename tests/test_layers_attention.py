"""EinsumDense and the attention layers against Keras 3 on the same engine: Keras's weights copied in, then
outputs, attention scores, masks, gradients (one SGD step of learning rate 1), configs, `.keras` files both ways,
symbolic shapes and argument errors."""

from __future__ import annotations

import numpy as np
import pytest

import keras
import kerasx
import support
from kerasx import layers
from kerasx.ops import _masking

RNG = np.random.default_rng(0)
TOLERANCE = 1e-5
QUERY = RNG.normal(size=(2, 4, 6)).astype("float32")
VALUE = RNG.normal(size=(2, 5, 6)).astype("float32")
KEY = RNG.normal(size=(2, 5, 3)).astype("float32")
ATTENTION_MASK = RNG.integers(0, 2, size=(2, 4, 5)).astype(bool)
# Every query sees at least one key: on a fully masked row Keras's torch backend adds -1e9 to every logit (whose
# gradient then flows to query and key) where the other engines select a constant (no gradient).
GRADIENT_MASK = ATTENTION_MASK | (np.arange(5) == 0)
TOKENS = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 8, 0]], "int32")
# Keys that only Keras 3 has in its configs: none left (kerasx writes quantization_config, lora_rank, lora_alpha
# and gptq_unpacked_column_size where Keras 3 does).
KERAS_ONLY_KEYS: set = set()


def _numpy(values):
    values = values if isinstance(values, (tuple, list)) else (values,)
    return [np.asarray(keras.ops.convert_to_numpy(v)) for v in values]


def _same_layer(name, *args, **kwargs):
    """`(kerasx layer, Keras layer)` made from the same arguments."""
    return getattr(layers, name)(*args, **kwargs), getattr(keras.layers, name)(*args, **kwargs)


def _compare_calls(ours, theirs, inputs, **call_kwargs):
    """Builds both layers on `inputs`, copies Keras's weights in and checks outputs; returns kerasx's outputs."""
    expected = _numpy(theirs(*inputs, **call_kwargs))
    if not ours.built:
        ours(*inputs, **call_kwargs)
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights]
    # kerasx's variable paths are `<owning layer>/<name>`; Keras 3 prefixes the outer layers too.
    # (the top layer's automatic name counts per library, so it is left out).
    inner = [w.path.split("/")[-2:] for w in theirs.weights]
    assert [w.path.split("/")[-2:] for w in ours.weights] == [
        [ours.name, name] if owner == theirs.name else [owner, name] for owner, name in inner
    ]
    ours.set_weights([np.asarray(keras.ops.convert_to_numpy(w)) for w in theirs.weights])
    got = ours(*inputs, **call_kwargs)
    got_list = got if isinstance(got, (tuple, list)) else (got,)
    assert len(got_list) == len(expected)
    for actual, value in zip(got_list, expected):
        support.assert_close(actual, value, rtol=TOLERANCE, atol=TOLERANCE)
    return got


def _compare_configs(ours, theirs):
    config, keras_config = ours.get_config(), theirs.get_config()
    assert set(config) == set(keras_config) - KERAS_ONLY_KEYS
    for key in ("name", "dtype", "trainable"):
        keras_config.pop(key), config.pop(key)
    for key, value in config.items():
        expected = keras_config[key]
        if isinstance(value, tuple) or isinstance(expected, tuple):
            value, expected = list(value) if value is not None else None, list(expected) if expected else expected
        assert value == expected or (isinstance(value, dict) and value["class_name"] == expected["class_name"]), key


# EinsumDense ----------------------------------------------------------------------------------------------------
EINSUM_CASES = [
    ("ab,bc->ac", 4, None, (2, 6)),
    ("abc,cd->abd", (None, 4), "d", (2, 3, 6)),
    ("abc,cde->abde", (None, 2, 3), "de", (2, 3, 6)),
    ("abc,cde->abde", (None, 2, 3), "e", (2, 3, 6)),
    ("...b,bc->...c", 4, "c", (2, 3, 5, 6)),
    ("ab...,bc->ac...", (4, 3), "c", (2, 6, 3)),
    ("abcd,cde->abe", (3, 4), "e", (2, 3, 2, 5)),
]


@pytest.mark.parametrize("equation, output_shape, bias_axes, input_shape", EINSUM_CASES)
def test_EinsumDense_matches_keras(equation, output_shape, bias_axes, input_shape):
    ours, theirs = _same_layer("EinsumDense", equation, output_shape, bias_axes=bias_axes, activation="tanh")
    x = RNG.normal(size=input_shape).astype("float32")
    output = _compare_calls(ours, theirs, (x,))
    _compare_configs(ours, theirs)
    symbolic = (None,) + input_shape[1:]
    # Keras 3 lists several left-elided batch axes in reverse order here (its eager output has them in order).
    expected = (None,) + tuple(output.shape[1:]) if equation.startswith("...") else theirs.compute_output_shape(symbolic)
    assert ours.compute_output_shape(symbolic) == expected
    assert layers.EinsumDense(equation, output_shape)(kerasx.Input(input_shape[1:])).shape == expected


@pytest.mark.parametrize(
    "equation, output_shape, bias_axes, match",
    [
        ("ab->b", 3, None, "must read"),
        ("ab,bc->ad", 3, None, "output axis 'd'"),
        ("ab,bcx->ac", 3, None, "kernel axis 'x'"),
        ("ab,bc->ac", 3, "z", "bias axis 'z'"),
        ("abc,cd->abd", (5, 3), None, "share axis 'b'"),
    ],
)
def test_EinsumDense_errors_name_the_layer(equation, output_shape, bias_axes, match):
    layer = layers.EinsumDense(equation, output_shape, bias_axes=bias_axes, name="proj")
    with pytest.raises(ValueError, match=match) as error:
        layer(np.ones((2, 4, 6) if equation.startswith("abc") else (2, 6), "float32"))
    assert "'proj' (EinsumDense)" in str(error.value)


# MultiHeadAttention ---------------------------------------------------------------------------------------------
MHA_CASES = [
    ({}, {}),
    ({}, {"return_attention_scores": True}),
    ({}, {"use_causal_mask": True}),
    ({}, {"use_causal_mask": True, "return_attention_scores": True}),
    ({}, {"attention_mask": ATTENTION_MASK}),
    ({}, {"attention_mask": ATTENTION_MASK, "use_causal_mask": True, "return_attention_scores": True}),
    ({"value_dim": 3, "use_bias": False, "output_shape": (2, 5)}, {}),
    ({"use_gate": True, "output_shape": 7}, {"key": KEY}),
    ({"sliding_window": 2}, {"use_causal_mask": True}),
    ({"dropout": 0.3, "seed": 1}, {"attention_mask": ATTENTION_MASK}),
]


@pytest.mark.parametrize("arguments, call_kwargs", MHA_CASES, ids=lambda value: repr(sorted(value)))
def test_MultiHeadAttention_matches_keras(arguments, call_kwargs):
    ours, theirs = _same_layer("MultiHeadAttention", 2, 3, **arguments)
    _compare_calls(ours, theirs, (QUERY, VALUE), **call_kwargs)
    _compare_configs(ours, theirs)
    restored = layers.MultiHeadAttention.from_config(ours.get_config())
    assert restored.get_config() == ours.get_config()


def test_MultiHeadAttention_over_several_axes_matches_keras():
    x = RNG.normal(size=(2, 3, 4, 6)).astype("float32")
    ours, theirs = _same_layer("MultiHeadAttention", 2, 3, attention_axes=(1, 2))
    output, scores = _compare_calls(ours, theirs, (x, x), return_attention_scores=True)
    assert tuple(scores.shape) == (2, 2, 3, 4, 3, 4)


def _masked_model(library, attention):
    tokens = library.Input((5,), dtype="int32")
    embedded = library.layers.Embedding(10, 6, mask_zero=True)(tokens)
    output, scores = attention(embedded, embedded, return_attention_scores=True)
    return library.Model(tokens, [output, scores])


def test_MultiHeadAttention_takes_masks_from_Embedding_as_keras_does():
    ours, theirs = _same_layer("MultiHeadAttention", 2, 3)
    model, keras_model = _masked_model(kerasx, ours), _masked_model(keras, theirs)
    model.set_weights([np.asarray(keras.ops.convert_to_numpy(w)) for w in keras_model.weights])
    for actual, expected in zip(model(TOKENS), _numpy(keras_model(TOKENS))):
        support.assert_close(actual, expected, rtol=TOLERANCE, atol=TOLERANCE)
    embedded = model.layers[1](TOKENS)
    output = ours(embedded, embedded)
    keras_embedded = keras_model.layers[1](TOKENS)
    keras_output = theirs(keras_embedded, keras_embedded)
    # The output carries the query's mask, as in Keras 3 (whose NumPy arrays cannot hold one to compare with).
    np.testing.assert_array_equal(support.to_numpy(_masking.get_mask(output)), TOKENS != 0)
    # Padded keys get no attention, on the fused path too (no scores asked).
    support.assert_close(output, _numpy(keras_output)[0], rtol=TOLERANCE, atol=TOLERANCE)


@support.needs_gradients
@pytest.mark.parametrize("call_kwargs", [{}, {"use_causal_mask": True}, {"attention_mask": GRADIENT_MASK}])
def test_MultiHeadAttention_gradients_match_keras(call_kwargs):
    """One SGD step of learning rate 1 moves each weight by minus its gradient, on both libraries."""
    def model(library, layer):
        query, value = library.Input((4, 6)), library.Input((5, 6))
        return library.Model([query, value], layer(query, value, **call_kwargs))

    ours, theirs = _same_layer("MultiHeadAttention", 2, 3)
    ours_model, keras_model = model(kerasx, ours), model(keras, theirs)
    ours_model.set_weights([np.asarray(keras.ops.convert_to_numpy(w)) for w in keras_model.weights])
    target = RNG.normal(size=(2, 4, 6)).astype("float32")
    ours_model.compile(optimizer=kerasx.optimizers.SGD(1.0), loss="mse")
    keras_model.compile(optimizer=keras.optimizers.SGD(1.0), loss="mse")
    ours_model.train_on_batch([QUERY, VALUE], target)
    keras_model.train_on_batch([QUERY, VALUE], target)
    for actual, expected in zip(ours_model.weights, keras_model.weights):
        support.assert_close(actual, _numpy(expected)[0], rtol=TOLERANCE, atol=TOLERANCE)


def _file_model(library):
    query, value = library.Input((4, 6)), library.Input((5, 6))
    attended = library.layers.MultiHeadAttention(2, 3, name="attention")(query, value, use_causal_mask=True)
    return library.Model([query, value], library.layers.Dense(2)(attended))


def test_MultiHeadAttention_keras_files_load_both_ways(tmp_path):
    keras_model = _file_model(keras)
    keras_model.save(tmp_path / "keras.keras")
    loaded = kerasx.saving.load_model(tmp_path / "keras.keras")
    expected = _numpy(keras_model.predict([QUERY, VALUE], verbose=0))[0]
    support.assert_close(loaded.predict([QUERY, VALUE], verbose=0), expected, rtol=TOLERANCE, atol=TOLERANCE)

    model = _file_model(kerasx)
    model.save(tmp_path / "kerasx.keras")
    reloaded = keras.saving.load_model(tmp_path / "kerasx.keras")
    expected = support.to_numpy(model.predict([QUERY, VALUE], verbose=0))
    support.assert_close(_numpy(reloaded.predict([QUERY, VALUE], verbose=0))[0], expected, rtol=TOLERANCE,
                         atol=TOLERANCE)


def test_MultiHeadAttention_symbolic_shapes_match_keras():
    for library in (kerasx, keras):
        query, value = library.Input((4, 6)), library.Input((5, 3))
        layer = library.layers.MultiHeadAttention(2, 3, output_shape=(2, 4))
        assert tuple(layer(query, value).shape) == (None, 4, 2, 4)
    output, scores = layers.MultiHeadAttention(2, 3)(kerasx.Input((4, 6)), kerasx.Input((5, 3)),
                                                     return_attention_scores=True)
    assert output.shape == (None, 4, 6) and scores.shape == (None, 2, 4, 5)


def test_MultiHeadAttention_errors():
    with pytest.raises(ValueError, match="num_heads=0"):
        layers.MultiHeadAttention(0, 3)
    with pytest.raises(ValueError, match="sliding_window=-1"):
        layers.MultiHeadAttention(2, 3, sliding_window=-1)
    with pytest.raises(ValueError, match="'mha' .*dropout=0.5"):
        layers.MultiHeadAttention(2, 3, dropout=0.5, flash_attention=True, name="mha")
    with pytest.raises(ValueError, match="'mha' .*key_shape"):
        layers.MultiHeadAttention(2, 3, name="mha")(QUERY, VALUE, key=QUERY)
    with pytest.raises(ValueError, match="cannot return them"):
        layers.MultiHeadAttention(2, 3, flash_attention=True)(QUERY, VALUE, return_attention_scores=True)


# Attention and AdditiveAttention ---------------------------------------------------------------------------------
LIST_CASES = [
    ("Attention", {}, {}),
    ("Attention", {"use_scale": True}, {"return_attention_scores": True}),
    ("Attention", {"score_mode": "concat"}, {"use_causal_mask": True, "return_attention_scores": True}),
    ("Attention", {"score_mode": "concat", "use_scale": True, "dropout": 0.2}, {}),
    ("AdditiveAttention", {}, {"return_attention_scores": True}),
    ("AdditiveAttention", {"use_scale": False}, {"use_causal_mask": True}),
]


@pytest.mark.parametrize("name, arguments, call_kwargs", LIST_CASES)
def test_list_attention_matches_keras(name, arguments, call_kwargs):
    query = RNG.normal(size=(2, 4, 6)).astype("float32")
    ours, theirs = _same_layer(name, **arguments)
    for inputs in ([query, VALUE], [query, VALUE, RNG.normal(size=(2, 5, 6)).astype("float32")]):
        _compare_calls(ours, theirs, (inputs,), **call_kwargs)
    query_mask, value_mask = TOKENS[:, :4] != 0, TOKENS != 0
    _compare_calls(ours, theirs, ([query, VALUE],), mask=[query_mask, value_mask], **call_kwargs)
    _compare_configs(ours, theirs)
    assert type(ours).from_config(ours.get_config()).get_config() == ours.get_config()


@pytest.mark.parametrize("name", ["Attention", "AdditiveAttention"])
def test_list_attention_masks_from_Embedding_match_keras(name):
    def model(library):
        tokens = library.Input((5,), dtype="int32")
        embedded = library.layers.Embedding(10, 6, mask_zero=True)(tokens)
        output, scores = getattr(library.layers, name)()([embedded, embedded], return_attention_scores=True)
        return library.Model(tokens, [output, scores])

    ours, theirs = model(kerasx), model(keras)
    ours.set_weights([np.asarray(keras.ops.convert_to_numpy(w)) for w in theirs.weights])
    for actual, expected in zip(ours(TOKENS), _numpy(theirs(TOKENS))):
        support.assert_close(actual, expected, rtol=TOLERANCE, atol=TOLERANCE)
    assert ours.outputs[0].shape == (None, 5, 6) and ours.outputs[1].shape == (None, 5, 5)


@support.needs_gradients
@pytest.mark.parametrize("name, arguments", [("Attention", {"use_scale": True, "score_mode": "concat"}),
                                             ("AdditiveAttention", {})])
def test_list_attention_gradients_match_keras(name, arguments):
    def model(library):
        query, value = library.Input((4, 6)), library.Input((5, 6))
        return library.Model([query, value], getattr(library.layers, name)(**arguments)([query, value]))

    ours, theirs = model(kerasx), model(keras)
    ours.set_weights([np.asarray(keras.ops.convert_to_numpy(w)) for w in theirs.weights])
    target = RNG.normal(size=(2, 4, 6)).astype("float32")
    ours.compile(optimizer=kerasx.optimizers.SGD(1.0), loss="mse")
    theirs.compile(optimizer=keras.optimizers.SGD(1.0), loss="mse")
    ours.train_on_batch([QUERY, VALUE], target)
    theirs.train_on_batch([QUERY, VALUE], target)
    for actual, expected in zip(ours.weights, theirs.weights):
        support.assert_close(actual, _numpy(expected)[0], rtol=TOLERANCE, atol=TOLERANCE)


def test_list_attention_errors():
    with pytest.raises(ValueError, match="score_mode='sum'"):
        layers.Attention(score_mode="sum")
    with pytest.raises(ValueError, match="'att' \\(Attention\\) must be called on a list"):
        layers.Attention(name="att")(QUERY)
    with pytest.raises(ValueError, match="'att' \\(AdditiveAttention\\) takes a list of 2 or 3 inputs"):
        layers.AdditiveAttention(name="att")([QUERY])


# GroupedQueryAttention --------------------------------------------------------------------------------------------
GQA_CASES = [
    ({}, {}),
    ({}, {"return_attention_scores": True}),
    ({}, {"use_causal_mask": True}),
    ({}, {"use_causal_mask": True, "return_attention_scores": True}),
    ({}, {"attention_mask": ATTENTION_MASK, "use_causal_mask": True}),
    ({"use_bias": False, "use_gate": True}, {"key": KEY, "attention_mask": ATTENTION_MASK}),
    ({"sliding_window": 2}, {"return_attention_scores": True}),
    ({"dropout": 0.3, "seed": 1}, {"attention_mask": ATTENTION_MASK}),
]


def _same_grouped(**arguments):
    """Keras 3 exports the class as `GroupQueryAttention` only; kerasx has both names."""
    assert layers.GroupQueryAttention is layers.GroupedQueryAttention
    return (layers.GroupedQueryAttention(3, 4, 2, **arguments),
            keras.layers.GroupQueryAttention(3, 4, 2, **arguments))


@pytest.mark.parametrize("arguments, call_kwargs", GQA_CASES, ids=lambda value: repr(sorted(value)))
def test_GroupedQueryAttention_matches_keras(arguments, call_kwargs):
    ours, theirs = _same_grouped(**arguments)
    _compare_calls(ours, theirs, (QUERY, VALUE), **call_kwargs)
    _compare_configs(ours, theirs)
    assert layers.GroupedQueryAttention.from_config(ours.get_config()).get_config() == ours.get_config()


def test_GroupedQueryAttention_masks_shapes_and_gradients_match_keras():
    def model(library, layer):
        tokens = library.Input((5,), dtype="int32")
        embedded = library.layers.Embedding(10, 6, mask_zero=True)(tokens)
        return library.Model(tokens, layer(embedded, embedded, return_attention_scores=True))

    ours, theirs = _same_grouped()
    ours_model, keras_model = model(kerasx, ours), model(keras, theirs)
    assert [tuple(o.shape) for o in ours_model.outputs] == [(None, 5, 6), (None, 4, 5, 5)]
    ours_model.set_weights([np.asarray(keras.ops.convert_to_numpy(w)) for w in keras_model.weights])
    for actual, expected in zip(ours_model(TOKENS), _numpy(keras_model(TOKENS))):
        support.assert_close(actual, expected, rtol=TOLERANCE, atol=TOLERANCE)
    if not support.TRAINS:
        return

    def step_model(library, layer):
        query, value = library.Input((4, 6)), library.Input((5, 6))
        return library.Model([query, value], layer(query, value, use_causal_mask=True))

    ours, theirs = _same_grouped()
    ours_model, keras_model = step_model(kerasx, ours), step_model(keras, theirs)
    ours_model.set_weights([np.asarray(keras.ops.convert_to_numpy(w)) for w in keras_model.weights])
    target = RNG.normal(size=(2, 4, 6)).astype("float32")
    ours_model.compile(optimizer=kerasx.optimizers.SGD(1.0), loss="mse")
    keras_model.compile(optimizer=keras.optimizers.SGD(1.0), loss="mse")
    ours_model.train_on_batch([QUERY, VALUE], target)
    keras_model.train_on_batch([QUERY, VALUE], target)
    for actual, expected in zip(ours_model.weights, keras_model.weights):
        support.assert_close(actual, _numpy(expected)[0], rtol=TOLERANCE, atol=TOLERANCE)


def test_GroupedQueryAttention_errors():
    with pytest.raises(ValueError, match="num_query_heads=4, num_key_value_heads=3"):
        layers.GroupedQueryAttention(2, 4, 3)
    with pytest.raises(ValueError, match="'gqa' \\(GroupedQueryAttention\\): the last axes"):
        layers.GroupedQueryAttention(2, 4, 2, name="gqa")(kerasx.Input((4, 6)), kerasx.Input((5, 3)))
