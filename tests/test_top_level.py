"""Keras 3's top-level names in kerasx (`Operation`, `Function`, `name_scope`, `StatelessScope`, `SymbolicScope`,
`version`, the base classes) behave as Keras 3's on the same calls."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
from kerasx.backend._symbolic_scope import in_symbolic_scope

keras = pytest.importorskip("keras")


def _values(x):
    return np.asarray(kerasx.ops.convert_to_numpy(x) if kerasx.backend.is_tensor(x) else keras.ops.convert_to_numpy(x))


@pytest.mark.parametrize(("name", "module"), [
    ("Loss", "losses"), ("Metric", "metrics"), ("Optimizer", "optimizers"), ("Initializer", "initializers"),
    ("Regularizer", "regularizers"), ("InputSpec", "layers"), ("Layer", "layers"), ("Model", "models"),
])
def test_base_classes_are_the_namespaces_own(name, module):
    assert getattr(kerasx, name) is getattr(getattr(kerasx, module), name)


def test_version_is_a_version_string():
    assert kerasx.version() == kerasx.__version__
    assert all(part.isdigit() for part in kerasx.version().split("."))


def _scale_class(lib):
    class Scale(lib.Operation):
        def __init__(self, factor=2.0, offsets=(1, 2), name=None):
            super().__init__(name=name)
            self.factor = factor

        def call(self, x):
            return lib.ops.multiply(x, self.factor)

    return Scale


def test_operation_subclass_behaves_as_keras():
    results = []
    for lib in (kerasx, keras):
        lib.backend.clear_session(free_memory=False)
        scale_class = _scale_class(lib)
        scale = scale_class(3.0)
        symbolic = scale(lib.KerasTensor((None, 4)))
        eager = _values(scale(np.ones((2, 4), "float32")))
        rebuilt = scale_class.from_config(scale.get_config())
        results.append((scale.name, scale_class().name, scale.get_config(), symbolic.shape, eager.tolist(),
                        rebuilt.factor, scale.output is symbolic))
    assert results[0] == results[1]
    assert results[0][:3] == ("scale", "scale_1", {"name": "scale", "factor": 3.0, "offsets": (1, 2)})


def test_operation_without_plain_arguments_asks_for_get_config():
    class Holder(kerasx.Operation):
        def __init__(self, array, name=None):
            super().__init__(name=name)

        def call(self, x):
            return x

    with pytest.raises(TypeError, match=r"Holder cannot describe itself with `get_config\(\)`.*Implement"):
        Holder(np.ones(2)).get_config()


def test_operation_without_call_says_so():
    with pytest.raises(TypeError, match=r"without a `call` method"):
        kerasx.Operation()(np.ones(2))


def test_operation_on_engine_ops_finds_shapes_with_placeholders():
    engine_sum = kerasx.backend.active.numpy.sum

    class EngineSum(kerasx.Operation):
        def call(self, x):
            if isinstance(x, kerasx.KerasTensor):
                raise TypeError("an engine op refuses KerasTensors")
            return engine_sum(x, axis=-1)

    assert EngineSum()(kerasx.KerasTensor((None, 3, 5))).shape == (None, 3)


def _function_outputs(lib):
    a, b = lib.KerasTensor((None, 2)), lib.KerasTensor((None, 2))
    total = lib.Function([a, b], {"sum": lib.ops.add(a, b) * 2.0, "max": lib.ops.max(a, axis=-1)}, name="f")
    values = total([np.ones((3, 2), "float32"), np.arange(6, dtype="float32").reshape(3, 2)])
    symbolic = total([lib.KerasTensor((5, 2)), lib.KerasTensor((5, 2))])
    return (total.name, len(total.operations), {k: _values(v).tolist() for k, v in values.items()},
            {k: v.shape for k, v in symbolic.items()})


def test_function_computes_as_keras():
    assert _function_outputs(kerasx) == _function_outputs(keras)


def test_function_refuses_empty_inputs_as_keras():
    output = kerasx.ops.add(kerasx.KerasTensor((2,)), 1.0)
    with pytest.raises(ValueError, match=r"`inputs` of a Function cannot be empty"):
        kerasx.Function([], output)
    with pytest.raises(ValueError):
        keras.Function([], keras.ops.add(keras.KerasTensor((2,)), 1.0))


def test_function_with_a_layer_matches_the_layer():
    x = kerasx.KerasTensor((None, 3))
    dense = kerasx.layers.Dense(2)
    function = kerasx.Function(x, dense(x))
    data = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(_values(function(data)), _values(dense(data)), rtol=1e-6)


def _scoped_paths(lib):
    class Caller:
        pass

    caller = Caller()
    with lib.name_scope("outer"):
        first = lib.Variable(np.ones(2), name="v")
        with lib.name_scope("inner"):
            second = lib.Variable(np.ones(2), name="w")
    with lib.name_scope("x", caller=caller), lib.name_scope("x", caller=caller):
        deduplicated = lib.Variable(np.ones(2), name="d")
    with lib.name_scope("leaf", override_parent="root/mid"):
        overridden = lib.Variable(np.ones(2), name="o")
    outside = lib.Variable(np.ones(2), name="plain")
    return [first.path, second.path, deduplicated.path, overridden.path, outside.path]


def test_name_scope_paths_match_keras():
    assert _scoped_paths(kerasx) == _scoped_paths(keras) == [
        "outer/v", "outer/inner/w", "x/d", "root/mid/leaf/o", "plain"]


def test_name_scope_refuses_a_slash_as_keras():
    with pytest.raises(ValueError):
        keras.name_scope("a/b")
    with pytest.raises(ValueError, match=r"without '/'.*Received: name='a/b'"):
        kerasx.name_scope("a/b")


def _stateless_run(lib):
    variable = lib.Variable(np.zeros(2, "float32"))
    with lib.StatelessScope(state_mapping=[(variable, np.ones(2, "float32"))]) as scope:
        variable.assign(variable.value * 3.0)
        inside = _values(variable.value).tolist()
        assigned = _values(scope.get_current_value(variable)).tolist()
    return inside, assigned, _values(variable.value).tolist()


def test_stateless_scope_matches_keras():
    assert _stateless_run(kerasx) == _stateless_run(keras) == ([3.0, 3.0], [3.0, 3.0], [0.0, 0.0])


def test_stateless_scope_takes_keras_keywords():
    scope = kerasx.StatelessScope(state_mapping=None, collect_losses=True, initialize_variables=False)
    assert scope.collect_losses and not scope.initialize_variables and scope.losses == []


def test_symbolic_scope_marks_its_inside():
    assert not in_symbolic_scope()
    with kerasx.SymbolicScope(), keras.SymbolicScope():
        assert in_symbolic_scope()
    assert not in_symbolic_scope()


def _collected_losses(lib):
    class Penalized(lib.layers.Layer):
        def call(self, x):
            self.add_loss(lib.ops.sum(x))
            return x

    layer = Penalized()
    with lib.StatelessScope(collect_losses=True) as scope:
        layer(np.ones(3, "float32"))
    with lib.StatelessScope() as quiet:
        layer(np.ones(3, "float32"))
    return [float(_values(loss)) for loss in scope.losses], quiet.losses


def test_stateless_scope_collects_losses_as_keras():
    assert _collected_losses(kerasx) == _collected_losses(keras) == ([3.0], [])


def test_layers_are_operations_as_in_keras():
    assert isinstance(kerasx.layers.Dense(1), kerasx.Operation) == isinstance(keras.layers.Dense(1), keras.Operation)
    assert issubclass(kerasx.layers.Dense, kerasx.Operation)


@pytest.mark.parametrize(("aggregation", "synchronization"), [("mean", "on_read"), (None, None), ("sum", "auto")])
def test_variable_aggregation_and_synchronization_as_keras(aggregation, synchronization):
    facts = []
    for lib in (kerasx, keras):
        variable = lib.Variable(np.ones(2), aggregation=aggregation, synchronization=synchronization)
        facts.append((variable.aggregation, variable.synchronization))
    assert facts[0] == facts[1]


@pytest.mark.parametrize("keywords", [{"aggregation": "avg"}, {"synchronization": "sometimes"}])
def test_variable_refuses_unknown_aggregation_as_keras(keywords):
    with pytest.raises(ValueError):
        keras.Variable(np.ones(2), **keywords)
    with pytest.raises(ValueError, match=r"Invalid value for argument `(aggregation|synchronization)`"):
        kerasx.Variable(np.ones(2), **keywords)


def test_function_output_shapes_equal_keras():
    results = []
    for lib in (kerasx, keras):
        a, b = lib.KerasTensor((None, 3)), lib.KerasTensor((None, 4), dtype="int32")
        listed = lib.Function([a, b], [lib.ops.concatenate([a, lib.ops.cast(b, "float32")], axis=-1), a * 2])
        named = lib.Function({"p": a, "q": b}, lib.ops.sum(b, axis=-1))
        results.append([listed.compute_output_shape([(5, 3), (5, 4)]), named.compute_output_shape({"p": (2, 3),
                                                                                                     "q": (2, 4)})])
    assert results[0] == results[1] == [[(5, 7), (5, 3)], (2,)]
