"""A layer's graph view and its shape methods, as Keras 3 has them: `input`/`output` (and the shapes) are the first
call's, also for shared layers, so feature extraction over `model.layers` works; `build` and
`compute_output_shape` receive one shape per tensor argument of `call`. Each program runs with `keras` (the oracle)
and `kerasx` and the results are compared."""

import numpy as np
import pytest

import kerasx
import support
from kerasx.layers import _node_access, _shape_arguments

keras = pytest.importorskip("keras")

LIBRARIES = pytest.mark.parametrize("lib", [keras, kerasx], ids=["keras", "kerasx"])


def _seeded(model, seed=0):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype(w.dtype) for w in model.get_weights()])


def _shared_model(lib):
    x = lib.Input((3,), name="features")
    shared = lib.layers.Dense(3, name="shared")
    hidden = shared(x)
    again = shared(hidden)
    out = lib.layers.Dense(2, name="head")(again)
    model = lib.Model(x, out)
    _seeded(model)
    return model, x, shared, hidden, again


@LIBRARIES
def test_shared_layer_input_and_output_are_its_first_call(lib):
    _, x, shared, hidden, again = _shared_model(lib)
    assert shared.output is hidden and shared.input is x
    assert shared.output is not again


def test_feature_extraction_over_every_layer_matches_keras():
    data = np.random.default_rng(1).normal(size=(4, 3)).astype("float32")
    results = {}
    for lib in (keras, kerasx):
        model = _shared_model(lib)[0]
        extractor = lib.Model(model.inputs, [layer.output for layer in model.layers])
        results[lib.__name__] = [support.to_numpy(y) for y in extractor(data)]
    assert [y.shape for y in results["kerasx"]] == [y.shape for y in results["keras"]] == [(4, 3), (4, 3), (4, 2)]
    for actual, expected in zip(results["kerasx"], results["keras"]):
        support.assert_close(actual, expected, rtol=1e-5, atol=1e-6)
    # The shared layer's entry is its first call: the features through one Dense, not two.
    model = _shared_model(kerasx)[0]
    kernel, bias = (support.to_numpy(w) for w in model.get_layer("shared").weights)
    support.assert_close(results["kerasx"][1], data @ kernel + bias, rtol=1e-5, atol=1e-6)


def test_shape_properties_are_the_first_calls():
    layer = kerasx.layers.Dense(4)
    layer(kerasx.Input((3,)))
    layer(kerasx.Input((5, 3)))
    assert layer.input_shape == (None, 3) and layer.output_shape == (None, 4)
    assert layer.get_input_shape_at(1) == (None, 5, 3) and layer.get_output_shape_at(1) == (None, 5, 4)


def test_get_at_forms_reach_every_call_and_refuse_a_missing_one():
    _, x, shared, hidden, again = _shared_model(kerasx)
    assert shared.get_input_at(0) is x and shared.get_output_at(0) is hidden
    assert shared.get_input_at(1) is hidden and shared.get_output_at(1) is again
    with pytest.raises(ValueError, match=r'Asked to get output at node 2 of layer "shared", but the layer has only 2'):
        shared.get_output_at(2)


def _multi_input_facts(lib):
    a, b = lib.Input((3,)), lib.Input((5,))
    concatenate = lib.layers.Concatenate()
    concatenate([a, b])
    input_layer = lib.Model([a, b], concatenate.output).layers[0]
    return {
        "concatenate_input": [t.shape for t in concatenate.input],
        "input_layer_input": input_layer.input,
        "input_layer_output_is_tensor": input_layer.output is a,
    }


def test_multiple_inputs_and_input_layers_answer_as_in_keras():
    expected = _multi_input_facts(keras)
    assert _multi_input_facts(kerasx) == expected
    assert expected["input_layer_input"] == [] and expected["concatenate_input"] == [(None, 3), (None, 5)]


@LIBRARIES
def test_a_layer_never_called_has_no_input_or_output(lib):
    layer = lib.layers.Dense(2, name="fresh")
    for attribute in ("input", "output"):
        # (Keras on torch words it as torch's Module does; the type is what programs test with hasattr.)
        with pytest.raises(AttributeError):
            getattr(layer, attribute)
        assert not hasattr(layer, attribute)


def test_never_called_message_says_how_to_fix_it():
    with pytest.raises(AttributeError, match=r'layer "fresh" has never been called.*Call it on a `kerasx.Input'):
        kerasx.layers.Dense(2, name="fresh").output
    assert "Call it on" in _node_access.NEVER_CALLED


# Shape arguments of build / compute_output_shape ---------------------------------------------------------------


def _shape_log(lib):
    """Builds layers whose `build`/`compute_output_shape` record the shapes they receive."""
    layers, ops = lib.layers, lib.ops
    log = []

    class QueryValues(layers.Layer):
        def build(self, query_shape, values_shape):
            log.append(("build", query_shape, values_shape))

        def call(self, query, values):
            return ops.concatenate([query, values], axis=-1)

        def compute_output_shape(self, query_shape, values_shape):
            log.append(("two", query_shape, values_shape))
            return query_shape[:-1] + (query_shape[-1] + values_shape[-1],)

    class Single(layers.Layer):
        def call(self, inputs, other=None, n=2, training=None, mask=None):
            return inputs

        def compute_output_shape(self, input_shape):
            log.append(("one", input_shape))
            return input_shape

    class WithOptional(layers.Layer):
        def call(self, x, y=None):
            return x

        def compute_output_shape(self, x_shape, y_shape=None):
            log.append(("optional", x_shape, y_shape))
            return x_shape

    class NestedWithNone(layers.Layer):
        def call(self, x, pair):
            return x

        def compute_output_shape(self, x_shape, pair_shape):
            log.append(("nested", x_shape, pair_shape))
            return x_shape

    class OwnSpec(layers.Layer):
        def call(self, query, values):
            return query

        def compute_output_spec(self, query, values):
            log.append(("spec", type(query).__name__, query.shape, values.shape))
            return lib.KerasTensor(query.shape[:-1] + (7,))

    q, v = lib.Input((3,)), lib.Input((4,))
    shapes = [
        OwnSpec()(q, values=v).shape,
        QueryValues()(q, v).shape,
        QueryValues()(q, values=v).shape,
        QueryValues()(query=q, values=v).shape,
    ]
    Single()([q, v])
    Single()({"a": q, "b": v})
    Single()(q, other=v)
    Single()(q, n=3)
    WithOptional()(q)
    WithOptional()(q, v)
    NestedWithNone()(q, pair=[q, None])
    # Eager calls run `call`; they need no output shape.
    eager = QueryValues()(np.ones((2, 3), "float32"), np.ones((2, 4), "float32"))
    return log, shapes, tuple(eager.shape)


def test_shape_methods_receive_one_shape_per_call_argument_as_in_keras():
    expected = _shape_log(keras)
    actual = _shape_log(kerasx)
    assert actual == expected
    log, shapes, eager_shape = actual
    assert shapes == [(None, 7)] * 4 and eager_shape == (2, 7)
    assert ("spec", "KerasTensor", (None, 3), (None, 4)) in log
    assert ("two", (None, 3), (None, 4)) in log and ("one", [(None, 3), (None, 4)]) in log
    assert ("one", {"a": (None, 3), "b": (None, 4)}) in log and ("optional", (None, 3), None) in log


def _two_input_model(lib):
    class Scaled(lib.layers.Layer):
        def build(self, query_shape, values_shape):
            self.scale = self.add_weight(shape=(values_shape[-1],), initializer="ones", name="scale")

        def call(self, query, values):
            return lib.ops.concatenate([query, values * self.scale], axis=-1)

        def compute_output_shape(self, query_shape, values_shape):
            return query_shape[:-1] + (query_shape[-1] + values_shape[-1],)

    q, v = lib.Input((3,)), lib.Input((4,))
    model = lib.Model([q, v], lib.layers.Dense(2)(Scaled()(q, v)))
    _seeded(model)
    return model


def test_two_argument_layer_builds_and_computes_as_in_keras():
    rng = np.random.default_rng(2)
    data = [rng.normal(size=(5, 3)).astype("float32"), rng.normal(size=(5, 4)).astype("float32")]
    expected = support.to_numpy(_two_input_model(keras)(data))
    model = _two_input_model(kerasx)
    assert [tuple(w.shape) for w in model.weights] == [(4,), (7, 2), (2,)]
    support.assert_close(model(data), expected, rtol=1e-5, atol=1e-6)


def _bad_signature_errors(lib):
    class NoSuffix(lib.layers.Layer):
        def call(self, x, y):
            return x

        def compute_output_shape(self, a, b):
            return a

    class UnknownArgument(lib.layers.Layer):
        def call(self, x, y):
            return x

        def compute_output_shape(self, x_shape, z_shape):
            return x_shape

    class NonTensorArgument(lib.layers.Layer):
        def call(self, x, n):
            return x

        def compute_output_shape(self, x_shape, n_shape):
            return x_shape

    q = lib.Input((3,))
    errors = []
    for make in (lambda: NoSuffix()(q, q), lambda: UnknownArgument()(q, q), lambda: NonTensorArgument()(q, n=3)):
        with pytest.raises(Exception) as info:
            make()
        errors.append(info.value)
    return errors


def test_badly_named_shape_parameters_are_refused_as_in_keras():
    expected = _bad_signature_errors(keras)
    actual = _bad_signature_errors(kerasx)
    assert [type(e) for e in actual] == [type(e) for e in expected] == [ValueError, ValueError, TypeError]
    assert "parameter `a` (no `_shape` suffix)" in str(actual[0])
    assert "`call()` has no argument `z`" in str(actual[1])
    assert "n_shape" in str(actual[2])
    assert "_shape` suffix" in _shape_arguments.BAD_SHAPE_PARAMETER
