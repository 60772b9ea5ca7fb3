"""Embedding: lookup against NumPy indexing, training step, mask_zero masks (eager and symbolic), initial weights,
the Keras default initializer, index dtypes and errors."""

import numpy as np
import pytest

import support
from kerasx import KerasTensor, layers, models, ops
from kerasx.ops import _masking
from layer_support import run_layer_test


def _indices(shape, high=9, dtype="int32"):
    return np.random.default_rng(0).integers(0, high + 1, size=shape).astype(dtype)


@pytest.mark.parametrize(
    "shape, dtype",
    [
        pytest.param((3, 4), "int32", id="Embedding-2d-int32"),
        pytest.param((2, 3, 2), "int64", id="Embedding-3d-int64"),
        pytest.param((5,), "uint8", id="Embedding-1d-uint8"),
    ],
)
def test_Embedding_against_numpy(shape, dtype):
    run_layer_test(
        layers.Embedding,
        {"input_dim": 10, "output_dim": 3},
        input_data=_indices(shape, dtype=dtype),
        expected_output_shape=(*shape, 3),
        reference=lambda x, w: w[0][x],
    )


def test_Embedding_float_indices_are_cast():
    layer = layers.Embedding(6, 2)
    indices = np.array([[0.0, 5.0], [3.0, 1.0]], "float32")
    y = support.check_symbolic(layer, indices)
    support.assert_dtype(y, "float32")
    support.assert_close(y, layer.embeddings.numpy()[indices.astype(int)])


def test_Embedding_mask_zero():
    layer = layers.Embedding(5, 2, mask_zero=True)
    indices = np.array([[1, 0, 3], [0, 0, 2]], "int32")
    y = layer(indices)
    support.assert_close(_masking.get_mask(y), indices != 0)
    support.assert_close(layer.compute_mask(indices), indices != 0)
    symbolic = layer(KerasTensor((None, 3), "int32"))
    assert symbolic._keras_mask.shape == (None, 3) and symbolic._keras_mask.dtype == "bool"
    unmasked = layers.Embedding(5, 2)
    assert unmasked.compute_mask(indices) is None and _masking.get_mask(unmasked(indices)) is None


def test_Embedding_mask_reaches_a_downstream_layer_in_a_functional_model():
    inputs = layers.Input((4,), dtype="int32")
    embedding = layers.Embedding(7, 3, mask_zero=True)
    outputs = layers.GlobalAveragePooling1D()(embedding(inputs))
    model = models.Model(inputs, outputs)
    indices = np.array([[2, 3, 0, 0], [1, 1, 1, 6]], "int32")
    table = embedding.embeddings.numpy()
    mask = indices != 0
    expected = (table[indices] * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    support.assert_close(model(indices), expected, rtol=1e-5)


def test_Embedding_default_initializer_and_config():
    layer = layers.Embedding(50, 8, input_length=3)
    layer.build()
    values = layer.embeddings.numpy()
    assert values.shape == (50, 8) and np.all(np.abs(values) <= 0.05) and values.std() > 0.01
    config = layer.get_config()
    assert config["embeddings_initializer"]["class_name"] == "RandomUniform"
    assert config["embeddings_initializer"]["config"]["minval"] == -0.05
    assert "input_length" not in config and config["mask_zero"] is False


def test_Embedding_initial_weights():
    table = np.arange(12, dtype="float32").reshape(4, 3)
    layer = layers.Embedding(4, 3, weights=[table])
    assert layer.built
    support.assert_close(layer(np.array([3, 0], "int32")), table[[3, 0]])
    with pytest.raises(ValueError, match="has shape \\(4, 3\\), but `set_weights` received an array of shape"):
        layers.Embedding(4, 3, weights=[np.zeros((3, 3))])


@support.needs_gradients
def test_Embedding_gradient_accumulates_repeated_rows():
    layer = layers.Embedding(4, 2)
    layer.build()
    indices = np.array([[1, 1, 3]], "int32")

    def loss(table):
        (out, _) = layer.stateless_call([table], [], indices)
        return ops.sum(out)

    (grad,) = support.grad_of(loss, layer.embeddings.numpy())
    support.assert_close(grad, np.array([[0, 0], [2, 2], [0, 0], [1, 1]], "float32"))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        pytest.param({"input_dim": 0, "output_dim": 2}, "`input_dim` must be a positive int", id="Embedding-input_dim"),
        pytest.param({"input_dim": 3, "output_dim": 2.0}, "`output_dim` must be a positive int",
                     id="Embedding-output_dim"),
    ],
)
def test_Embedding_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.Embedding(**kwargs)
