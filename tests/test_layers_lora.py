"""LoRA (`lora_rank`, `lora_alpha`, `enable_lora`) on Dense, EinsumDense, Embedding and Conv1D/2D/3D, against
Keras 3: outputs, weights and their order, trainable weights, configs, gradients and `.keras` files both ways."""

import numpy as np
import pytest

import kerasx
import support
from keras_layer_oracle import check_layer_against_keras
from kerasx import ops

keras = pytest.importorskip("keras")

X2 = np.random.RandomState(0).randn(2, 4).astype("float32")
X3 = np.random.RandomState(1).randn(2, 5, 4).astype("float32")
IDS = np.random.RandomState(2).randint(0, 7, size=(2, 5)).astype("int32")

CASES = [
    ("Dense", {"units": 3, "lora_rank": 2}, X2),
    ("Dense", {"units": 3, "lora_rank": 2, "lora_alpha": 8}, X3),
    ("EinsumDense", {"equation": "abc,cde->abde", "output_shape": (5, 2, 3), "bias_axes": "de", "lora_rank": 2,
                     "lora_alpha": 4}, X3),
    ("EinsumDense", {"equation": "ab,bc->ac", "output_shape": 3, "lora_rank": 1}, X2),
    ("Embedding", {"input_dim": 7, "output_dim": 3, "lora_rank": 2, "lora_alpha": 6}, IDS),
    ("Conv1D", {"filters": 3, "kernel_size": 2, "lora_rank": 2, "lora_alpha": 4}, X3),
    ("Conv2D", {"filters": 2, "kernel_size": 2, "lora_rank": 2, "data_format": "channels_last"},
     np.random.RandomState(3).randn(2, 4, 4, 3).astype("float32")),
    ("Conv2D", {"filters": 2, "kernel_size": 2, "lora_rank": 2, "data_format": "channels_first"},
     np.random.RandomState(4).randn(2, 3, 4, 4).astype("float32")),
    ("Conv3D", {"filters": 2, "kernel_size": 2, "lora_rank": 1, "lora_alpha": 3},
     np.random.RandomState(5).randn(1, 3, 3, 3, 2).astype("float32")),
]


@pytest.mark.parametrize("name, kwargs, inputs", CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_lora_layers_against_keras(name, kwargs, inputs, tmp_path):
    ours, theirs = check_layer_against_keras(name, kwargs, inputs, tmp_path=tmp_path, rtol=1e-5, atol=1e-5)
    assert ours.lora_enabled and ours.lora_rank == theirs.lora_rank and ours.lora_alpha == theirs.lora_alpha
    assert [w.path.split("/")[-1] for w in ours.weights] == [w.path.split("/")[-1] for w in theirs.weights]
    assert [w.path.split("/")[-1] for w in ours.trainable_weights] == [
        w.path.split("/")[-1] for w in theirs.trainable_weights
    ]
    config = ours.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (theirs.get_config()["lora_rank"],
                                                           theirs.get_config()["lora_alpha"])


def _pair(name, kwargs, inputs):
    """Both layers built with LoRA, sharing weights where `B` is not zero (so the update shows in outputs)."""
    ours, theirs = getattr(kerasx.layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    theirs(inputs)
    ours(inputs)
    rng = np.random.RandomState(7)
    weights = [w + rng.randn(*w.shape).astype(w.dtype) * 0.5 for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    return ours, theirs


@pytest.mark.parametrize("name, kwargs, inputs", CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_lora_update_outputs_and_merged_files_both_ways(name, kwargs, inputs, tmp_path):
    ours, theirs = _pair(name, kwargs, inputs)
    expected = np.asarray(keras.ops.convert_to_numpy(theirs(inputs)))
    support.assert_close(ours(inputs), expected, rtol=1e-5, atol=1e-5)

    keras_model = keras.Sequential([keras.Input(inputs.shape[1:], dtype=str(inputs.dtype)), theirs])
    keras_model.save(tmp_path / "keras.keras")
    loaded = kerasx.saving.load_model(tmp_path / "keras.keras")
    support.assert_close(loaded(inputs), expected, rtol=1e-5, atol=1e-5)
    # Keras 3 saves the weight with the update merged in, and zeros the factors when it loads.
    layer = loaded.layers[-1]
    assert layer.lora_enabled
    np.testing.assert_array_equal(ops.convert_to_numpy(layer._lora_b), 0.0)

    model = kerasx.Sequential([kerasx.Input(inputs.shape[1:], dtype=str(inputs.dtype)), ours])
    model.save(tmp_path / "kerasx.keras")
    reloaded = keras.saving.load_model(tmp_path / "kerasx.keras")
    support.assert_close(np.asarray(keras.ops.convert_to_numpy(reloaded(inputs))), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(reloaded.layers[-1].weights[-1]), 0.0)


def test_enable_lora_after_build_and_its_errors():
    layer = kerasx.layers.Dense(3)
    with pytest.raises(ValueError, match=r"Layer 'dense\w*' \(Dense\) cannot enable LoRA before it is built"):
        layer.enable_lora(2)
    layer.build((None, 4))
    before = ops.convert_to_numpy(layer(X2))
    layer.enable_lora(2, lora_alpha=4.0)
    support.assert_close(ops.convert_to_numpy(layer(X2)), before)  # B starts at zero
    assert [w.path.split("/")[-1] for w in layer.trainable_weights] == ["bias", "lora_kernel_a", "lora_kernel_b"]
    assert not layer.kernel.trainable and layer.lora_alpha == 4.0
    with pytest.raises(ValueError, match="LoRA is already enabled"):
        layer.enable_lora(2)
    constrained = kerasx.layers.Embedding(5, 2, embeddings_constraint="non_neg")
    constrained.build()
    with pytest.raises(ValueError, match=r"Received: embeddings_constraint=.*NonNeg"):
        constrained.enable_lora(2)


@pytest.mark.skipif(not support.TRAINS, reason="inference-only backend")
def test_lora_training_changes_only_the_factors():
    model = kerasx.Sequential([kerasx.Input((4,)), kerasx.layers.Dense(3, lora_rank=2)])
    layer = model.layers[-1]
    kernel = ops.convert_to_numpy(layer.kernel).copy()
    b = ops.convert_to_numpy(layer._lora_b).copy()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X2, np.ones((2, 3), "float32"), epochs=2, verbose=0)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer.kernel), kernel)
    assert not np.allclose(ops.convert_to_numpy(layer._lora_b), b)
