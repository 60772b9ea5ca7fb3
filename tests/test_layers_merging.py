"""Merging layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot) and their function forms
against NumPy: broadcasting, rank alignment, dtypes, masks, and the shape errors naming the layer."""

import numpy as np
import pytest

import support
from kerasx import KerasTensor, layers, ops
from kerasx.ops import _masking
from layer_support import run_layer_test


def _inputs(*shapes, dtype="float32"):
    return [support.random_array(shape, dtype, rng=np.random.default_rng(i)) for i, shape in enumerate(shapes)]


def _np_mean(*arrays):
    return sum(arrays) / len(arrays)


ELEMENTWISE = [
    pytest.param(layers.Add, lambda *a: sum(a), id="Add"),
    pytest.param(layers.Subtract, np.subtract, id="Subtract"),
    pytest.param(layers.Multiply, lambda *a: np.prod(np.broadcast_arrays(*a), axis=0), id="Multiply"),
    pytest.param(layers.Average, _np_mean, id="Average"),
    pytest.param(layers.Maximum, lambda *a: np.max(np.broadcast_arrays(*a), axis=0), id="Maximum"),
    pytest.param(layers.Minimum, lambda *a: np.min(np.broadcast_arrays(*a), axis=0), id="Minimum"),
]


@pytest.mark.parametrize("layer_cls, reference", ELEMENTWISE)
@pytest.mark.parametrize(
    "shapes, output_shape",
    [
        pytest.param([(3, 4), (3, 4)], (3, 4), id="same"),
        pytest.param([(3, 1, 4), (3, 5, 4)], (3, 5, 4), id="broadcast"),
        pytest.param([(3, 4), (3, 5, 4)], (3, 5, 4), id="rank-aligned-after-batch"),
    ],
)
def test_elementwise_merging_against_numpy(layer_cls, reference, shapes, output_shape):
    def aligned(x):
        return [a.reshape(a.shape[:1] + (1,) * (len(output_shape) - a.ndim) + a.shape[1:]) for a in x]

    run_layer_test(
        layer_cls,
        {},
        input_data=_inputs(*shapes),
        expected_output_shape=output_shape,
        reference=lambda x, w: reference(*aligned(x)),
    )


@pytest.mark.parametrize("layer_cls, reference", [p for p in ELEMENTWISE if p.id != "Subtract"])
def test_elementwise_merging_three_inputs(layer_cls, reference):
    x = _inputs((2, 3), (2, 3), (2, 1))
    support.assert_close(support.check_symbolic(layer_cls(), x), reference(*x), rtol=1e-5)


@pytest.mark.parametrize(
    "fn, layer_cls",
    [
        pytest.param(layers.add, layers.Add, id="Add-function"),
        pytest.param(layers.subtract, layers.Subtract, id="Subtract-function"),
        pytest.param(layers.multiply, layers.Multiply, id="Multiply-function"),
        pytest.param(layers.average, layers.Average, id="Average-function"),
        pytest.param(layers.maximum, layers.Maximum, id="Maximum-function"),
        pytest.param(layers.minimum, layers.Minimum, id="Minimum-function"),
        pytest.param(layers.concatenate, layers.Concatenate, id="Concatenate-function"),
    ],
)
def test_function_forms_equal_the_layers(fn, layer_cls):
    x = _inputs((2, 3), (2, 3))
    support.assert_close(fn(x), support.to_numpy(layer_cls()(x)))
    symbolic = fn([KerasTensor((None, 3)), KerasTensor((None, 3))], name=f"{layer_cls.__name__.lower()}_fn")
    assert symbolic.shape[0] is None and symbolic._history[0].operation.name.endswith("_fn")


@pytest.mark.parametrize(
    "layer_cls, dtype",
    [
        pytest.param(layers.Add, "int32", id="Add-int32"),
        pytest.param(layers.Maximum, "int32", id="Maximum-int32"),
        pytest.param(layers.Average, "float32", id="Average-int32"),
        pytest.param(layers.Concatenate, "int32", id="Concatenate-int32"),
    ],
)
def test_merging_int_inputs(layer_cls, dtype):
    x = _inputs((2, 3), (2, 3), dtype="int32")
    y = support.check_symbolic(layer_cls(), x)
    support.assert_dtype(y, dtype)


def test_elementwise_mask_is_the_and_of_the_input_masks():
    a, b = _inputs((2, 3, 4), (2, 3, 4))
    mask_a = np.array([[1, 1, 0], [1, 0, 0]], bool)
    mask_b = np.array([[1, 0, 0], [1, 1, 0]], bool)
    layer = layers.Add()
    support.assert_close(layer.compute_mask([a, b], [mask_a, mask_b]), mask_a & mask_b)
    support.assert_close(layer.compute_mask([a, b], [None, mask_b]), mask_b)
    assert layer.compute_mask([a, b], None) is None
    embedded = layers.Embedding(5, 4, mask_zero=True)(np.array([[1, 0, 2]]))
    summed = layers.Add()([embedded, embedded])
    support.assert_close(_masking.get_mask(summed), np.array([[True, False, True]]))


def test_merge_shape_errors_name_the_layer_and_shapes():
    with pytest.raises(ValueError, match=r"Layer 'add_bad' \(Add\) cannot merge inputs of shapes \(2, 3\) and \(2, 4\)"):
        layers.Add(name="add_bad")(_inputs((2, 3), (2, 4)))
    with pytest.raises(ValueError, match=r"along axis 1 the sizes 3 and 4"):
        layers.Multiply()([KerasTensor((None, 3)), KerasTensor((None, 4))])
    with pytest.raises(ValueError, match=r"Layer 'sub' \(Subtract\) must be called on exactly 2 tensors. Received 3"):
        layers.Subtract(name="sub")(_inputs((2, 3), (2, 3), (2, 3)))
    with pytest.raises(ValueError, match=r"\(Maximum\) must be called on a list of at least 2 tensors"):
        layers.Maximum()(_inputs((2, 3)))
    with pytest.raises(ValueError, match=r"\(Minimum\) must be called on a list of at least 2 tensors"):
        layers.Minimum()(support.random_array((2, 3)))
    with pytest.raises(ValueError, match=r"\(Average\) cannot merge tensors with different batch sizes"):
        layers.Average()(_inputs((2, 3), (3, 3)))


CONCAT_CASES = [
    pytest.param({}, [(2, 3), (2, 4)], (2, 7), -1, id="Concatenate-last"),
    pytest.param({"axis": 1}, [(2, 1, 3), (2, 4, 3), (2, 2, 3)], (2, 7, 3), 1, id="Concatenate-axis1"),
    pytest.param({"axis": -2}, [(2, 2, 3), (2, 1, 3)], (2, 3, 3), -2, id="Concatenate-negative"),
]


@pytest.mark.parametrize("init_kwargs, shapes, output_shape, axis", CONCAT_CASES)
def test_Concatenate_against_numpy(init_kwargs, shapes, output_shape, axis):
    run_layer_test(
        layers.Concatenate,
        init_kwargs,
        input_data=_inputs(*shapes),
        expected_output_shape=output_shape,
        reference=lambda x, w: np.concatenate(x, axis=axis),
    )


def test_Concatenate_shape_errors():
    with pytest.raises(ValueError, match=r"Layer 'cat' \(Concatenate\) needs inputs with matching shapes except along "
                       r"the concatenation axis -1, but axis 1 has sizes \[3, 4\]"):
        layers.Concatenate(name="cat")(_inputs((2, 3, 5), (2, 4, 5)))
    with pytest.raises(ValueError, match=r"\(Concatenate\) needs inputs of the same rank"):
        layers.Concatenate()([KerasTensor((None, 3)), KerasTensor((None, 3, 2))])
    with pytest.raises(ValueError, match=r"cannot concatenate along axis=3: the inputs have rank 2"):
        layers.Concatenate(axis=3)(_inputs((2, 3), (2, 3)))
    with pytest.raises(ValueError, match="`axis` must be an int"):
        layers.Concatenate(axis=(1, 2))
    assert layers.Concatenate(axis=1)([KerasTensor((None, None)), KerasTensor((None, 3))]).shape == (None, None)


def test_Concatenate_masks():
    a, b = _inputs((2, 3, 4), (2, 3, 2))
    mask_a = np.array([[1, 1, 0], [1, 0, 0]], bool)
    layer = layers.Concatenate()
    support.assert_close(layer.compute_mask([a, b], [mask_a, None]), mask_a)
    time_layer = layers.Concatenate(axis=1)
    c = support.random_array((2, 2, 4))
    mask_c = np.array([[0, 1], [1, 1]], bool)
    support.assert_close(time_layer.compute_mask([a, c], [mask_a, mask_c]), np.concatenate([mask_a, mask_c], axis=1))
    symbolic = time_layer.compute_mask([KerasTensor((None, 3, 4)), KerasTensor((None, 2, 4))],
                                       [KerasTensor((None, 3), "bool"), None])
    assert symbolic.shape == (None, 5) and symbolic.dtype == "bool"


def _np_dot(a, b, axes, normalize=False):
    if normalize:
        a = a / np.maximum(np.linalg.norm(a, axis=axes[0], keepdims=True), 1e-7)
        b = b / np.maximum(np.linalg.norm(b, axis=axes[1], keepdims=True), 1e-7)
    out = np.stack([np.tensordot(a[i], b[i], axes=(axes[0] - 1, axes[1] - 1)) for i in range(a.shape[0])])
    return out[:, None] if out.ndim == 1 else out


DOT_CASES = [
    pytest.param({"axes": 1}, [(3, 4), (3, 4)], (3, 1), (1, 1), id="Dot-vectors"),
    pytest.param({"axes": -1, "normalize": True}, [(3, 4), (3, 4)], (3, 1), (1, 1), id="Dot-cosine"),
    pytest.param({"axes": (2, 1)}, [(3, 2, 4), (3, 4, 5)], (3, 2, 5), (2, 1), id="Dot-matmul"),
    pytest.param({"axes": (1, 2)}, [(2, 3, 4), (2, 5, 3)], (2, 4, 5), (1, 2), id="Dot-transposed"),
    pytest.param({"axes": 1}, [(2, 3), (2, 3, 4)], (2, 4), (1, 1), id="Dot-vector-matrix"),
]


@pytest.mark.parametrize("init_kwargs, shapes, output_shape, axes", DOT_CASES)
def test_Dot_against_numpy(init_kwargs, shapes, output_shape, axes):
    normalize = init_kwargs.get("normalize", False)
    run_layer_test(
        layers.Dot,
        init_kwargs,
        input_data=_inputs(*shapes),
        expected_output_shape=output_shape,
        reference=lambda x, w: _np_dot(x[0], x[1], axes, normalize),
        rtol=1e-5,
        atol=1e-5,
    )


def test_dot_function_and_errors():
    a, b = _inputs((2, 3), (2, 3))
    support.assert_close(layers.dot([a, b], axes=1), _np_dot(a, b, (1, 1)), rtol=1e-5)
    with pytest.raises(ValueError, match=r"Layer 'dot_bad' \(Dot\) contracts axis 1 of the first input \(size 3\) "
                       r"with axis 1 of the second \(size 4\)"):
        layers.Dot(1, name="dot_bad")(_inputs((2, 3), (2, 4)))
    with pytest.raises(ValueError, match=r"\(Dot\) cannot contract the batch axis"):
        layers.Dot(0)(_inputs((2, 3), (2, 3)))
    with pytest.raises(ValueError, match=r"axes=\(3, 3\) are out of range"):
        layers.Dot(3)(_inputs((2, 3), (2, 3)))
    with pytest.raises(ValueError, match=r"Dot: `axes` must be an int or a tuple of two ints"):
        layers.Dot((1, 2, 3))
    with pytest.raises(ValueError, match=r"\(Dot\) must be called on exactly 2 tensors"):
        layers.Dot(1)(_inputs((2, 3), (2, 3), (2, 3)))


@support.needs_gradients
def test_Dot_gradients_match_finite_differences():
    a, b = _inputs((2, 3, 2), (2, 3, 4))
    weights = np.random.default_rng(5).normal(size=(2, 2, 4))
    layer = layers.Dot(axes=1)
    grads = support.grad_of(lambda x, y: ops.sum(ops.multiply(layer([x, y]), weights.astype("float32"))), a, b)
    for index, grad in enumerate(grads):

        def numeric(value, index=index):
            args = [a.astype(np.float64), b.astype(np.float64)]
            args[index] = value
            return float(np.sum(_np_dot(args[0], args[1], (1, 1)) * weights))

        support.assert_close(grad, support.numeric_grad(numeric, [a, b][index]), rtol=1e-4, atol=1e-4)
