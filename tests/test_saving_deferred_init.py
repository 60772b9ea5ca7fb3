"""`load_model` rebuilds a model with its variables pending (`kerasx.backend._deferred_init`): no initializer runs
until a variable is read, and none runs for a variable something assigned during the load, whichever path assigned
it. A Keras 3 file whose layer's own loading assigns variables the generic loader does not (LoRA factors zeroed
after the merged kernel is loaded, a quantized kernel and its scale) keeps what was loaded; a layer reading a
variable while the model is rebuilt sees its initial value; variables nothing assigned get their initializer's."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import initializers, ops
from kerasx.backend import _deferred_init

keras = pytest.importorskip("keras")

X2 = np.random.RandomState(0).randn(2, 4).astype("float32")
X3 = np.random.RandomState(1).randn(2, 5, 4).astype("float32")
IDS = np.random.RandomState(2).randint(0, 7, size=(2, 5)).astype("int32")

LORA_CASES = [
    ("Dense", {"units": 3, "lora_rank": 2}, X2, False),
    ("Dense", {"units": 3}, X2, True),
    ("EinsumDense", {"equation": "ab,bc->ac", "output_shape": 3, "lora_rank": 1}, X2, False),
    ("Embedding", {"input_dim": 7, "output_dim": 3, "lora_rank": 2}, IDS, False),
    ("Conv1D", {"filters": 3, "kernel_size": 2, "lora_rank": 2}, X3, False),
]


def _keras_lora_model(name, kwargs, inputs, quantized):
    """A Keras 3 model whose last layer has LoRA on and non-zero factors (the saved kernel is the merged one)."""
    model = keras.Sequential([keras.Input(inputs.shape[1:], dtype=str(inputs.dtype)),
                              getattr(keras.layers, name)(**kwargs)])
    if quantized:
        model.quantize("int8")
        model.layers[-1].enable_lora(2)
    rng = np.random.RandomState(7)
    model.set_weights([w + rng.randn(*w.shape).astype(w.dtype) * 0.5 if w.dtype.kind == "f" else w
                       for w in model.get_weights()])
    return model


@pytest.mark.parametrize("name, kwargs, inputs, quantized", LORA_CASES,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_keras3_file_keeps_what_a_layers_own_loading_assigned(name, kwargs, inputs, quantized, tmp_path):
    path = tmp_path / "lora.keras"
    _keras_lora_model(name, kwargs, inputs, quantized).save(path)
    theirs = keras.saving.load_model(path)
    ours = kerasx.saving.load_model(path)
    layer = ours.layers[-1]
    # The LoRA factors are zeroed by the layer's loading, not by the generic loader: run again at the end, their
    # initializer (he_uniform for A) would change the outputs.
    assert layer.lora_enabled
    np.testing.assert_array_equal(ops.convert_to_numpy(layer._lora_a), 0.0)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer._lora_b), 0.0)
    assert len(ours.get_weights()) == len(theirs.get_weights())
    for got, expected in zip(ours.get_weights(), theirs.get_weights()):
        support.assert_close(got, np.asarray(expected), rtol=1e-6, atol=1e-6)
    support.assert_close(ours(inputs), keras.ops.convert_to_numpy(theirs(inputs)), rtol=1e-5, atol=1e-5)


@kerasx.saving.register_keras_serializable(package="test_saving_deferred_init")
class ReadsWhileBuilding(kerasx.layers.Layer):
    """Computes a number from its weight as it builds: a read of a pending variable while the model is rebuilt."""

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")
        self.initial_total = float(ops.convert_to_numpy(ops.sum(self.scale)))

    def call(self, inputs):
        return ops.multiply(inputs, self.scale)


def test_a_variable_read_while_the_model_is_rebuilt_holds_its_initial_value(tmp_path):
    inputs = kerasx.layers.Input((3,))
    model = kerasx.models.Model(inputs, ReadsWhileBuilding()(inputs))
    model.layers[-1].scale.assign(np.array([2.0, 3.0, 4.0], "float32"))
    model.save(tmp_path / "reads.keras")
    loaded = kerasx.saving.load_model(tmp_path / "reads.keras")
    layer = loaded.layers[-1]
    assert layer.initial_total == 3.0  # the ones of its initializer, not the zeros of a placeholder
    np.testing.assert_array_equal(ops.convert_to_numpy(layer.scale), [2.0, 3.0, 4.0])
    support.assert_close(loaded(np.ones((1, 3), "float32")), [[2.0, 3.0, 4.0]])


def test_only_variables_nothing_assigned_run_their_initializer():
    def seeded():
        return initializers.GlorotUniform(seed=5)

    expected = ops.convert_to_numpy(kerasx.Variable(seeded(), shape=(4, 3)))
    with _deferred_init.deferred_initializers() as made:
        assigned = kerasx.Variable(seeded(), shape=(4, 3))
        read = kerasx.Variable(seeded(), shape=(4, 3))
        untouched = kerasx.Variable(seeded(), shape=(4, 3))
        in_stateless_scope = kerasx.Variable(seeded(), shape=(4, 3))
        assigned.assign(np.full((4, 3), 7.0, "float32"))
        seen = ops.convert_to_numpy(ops.add(read, 0.0))
        with kerasx.StatelessScope([]):
            in_stateless_scope.assign(np.zeros((4, 3), "float32"))  # recorded in the scope, not written
    assert [v.shape for v in made] == [(4, 3)] * 4
    _deferred_init.run_pending(made)
    np.testing.assert_array_equal(ops.convert_to_numpy(assigned), 7.0)
    support.assert_close(seen, expected, rtol=0, atol=0)
    for variable in (read, untouched, in_stateless_scope):
        support.assert_close(ops.convert_to_numpy(variable), expected, rtol=0, atol=0)


def test_a_pending_variable_is_refused_a_wrong_shape_and_stays_pending():
    with _deferred_init.deferred_initializers() as made:
        variable = kerasx.Variable(initializers.Ones(), shape=(2,))
        with pytest.raises(ValueError, match=r"Cannot assign a value of shape \(3,\)"):
            variable.assign(np.zeros(3, "float32"))
    _deferred_init.run_pending(made)
    np.testing.assert_array_equal(ops.convert_to_numpy(variable), [1.0, 1.0])
