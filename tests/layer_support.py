"""`run_layer_test`: the checks every layer needs, in one call.

    run_layer_test(
        layers.Dense,
        {"units": 3},
        input_shape=(2, 4),
        expected_output_shape=(2, 3),
        reference=lambda x, w: x @ w[0] + w[1],
    )

checks, on the selected backend:
1. eager call: output shape (and dtype == the symbolic dtype);
2. symbolic call: on KerasTensors with the batch axis unknown and known, the output shapes/dtypes equal the eager
   ones (None where the batch is unknown);
3. config round trip: `layer_cls.from_config(layer.get_config())` has the same config and, with the weights copied,
   gives the same outputs;
4. NumPy reference (when given): `reference(inputs, weights)` equals the eager output, where `inputs` are the NumPy
   inputs and `weights` the NumPy values of `layer.weights`;
5. one training step (not on numpy, and only for layers with trainable weights and float outputs): gradients of
   `mean(output**2)` through `stateless_call` (with `training=True`), one SGD step, and the loss goes down.
"""

from __future__ import annotations

import numpy as np

import kerasx
from kerasx import ops
from kerasx.backend import _tree
import support


def _symbolic_like(data, batch_unknown: bool):
    def convert(x):
        shape = tuple(x.shape)
        if batch_unknown and shape:
            shape = (None,) + shape[1:]
        return ops.KerasTensor(shape, kerasx.backend.standardize_dtype(x.dtype))

    return _tree.map_structure(convert, data)


def _leaves(outputs) -> list:
    return _tree.flatten(outputs)


def _loss(outputs):
    floats = [o for o in _leaves(outputs) if kerasx.backend.is_float(ops.dtype(o))]
    total = ops.mean(ops.square(floats[0]))
    for o in floats[1:]:
        total = ops.add(total, ops.mean(ops.square(o)))
    return total


def run_layer_test(
    layer_cls,
    init_kwargs=None,
    input_shape=None,
    input_data=None,
    expected_output_shape=None,
    reference=None,
    call_kwargs=None,
    rtol=1e-5,
    atol=1e-6,
):
    """Runs the checks above and returns the (eagerly called) layer.

    Args:
        layer_cls: the layer class.
        init_kwargs: constructor arguments (plain values, so that the config round trip can be checked).
        input_shape: shape of a random float32 input (uniform in [-2, 2]); or give `input_data`.
        input_data: NumPy array, or a list/dict of arrays, passed as the first call argument.
        expected_output_shape: shape (or structure of shapes) the eager output must have.
        reference: `reference(inputs, weights) -> expected output(s)` in NumPy.
        call_kwargs: extra keyword arguments of every call (e.g. `{"mask": ...}`); `training` is set by the test.
        rtol, atol: tolerances of the reference comparison.
    """
    init_kwargs = dict(init_kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    if input_data is None:
        input_data = support.random_array(input_shape, "float32")

    # 1. Eager call.
    layer = layer_cls(**init_kwargs)
    outputs = layer(input_data, **call_kwargs)
    eager = _leaves(outputs)
    if expected_output_shape is not None:
        shapes = [tuple(ops.shape(o)) for o in eager]
        assert shapes == _leaves_shapes(expected_output_shape), f"output shapes {shapes} != {expected_output_shape}"

    # 2. Symbolic calls: fresh layer with unknown batch, the built layer with the known batch.
    for batch_unknown, target in ((True, layer_cls(**init_kwargs)), (False, layer)):
        symbolic = _leaves(target(_symbolic_like(input_data, batch_unknown), **call_kwargs))
        assert len(symbolic) == len(eager)
        for s, e in zip(symbolic, eager):
            expected_shape = tuple(ops.shape(e))
            if batch_unknown and expected_shape and s.shape and s.shape[0] is None:
                expected_shape = (None,) + expected_shape[1:]
            assert s.shape == expected_shape, f"symbolic shape {s.shape} != eager {expected_shape}"
            assert s.dtype == ops.dtype(e), f"symbolic dtype {s.dtype} != eager {ops.dtype(e)}"

    # 3. Config round trip.
    config = layer.get_config()
    clone = layer_cls.from_config(config)
    assert clone.get_config() == config
    clone(input_data, **call_kwargs)
    clone.set_weights(layer.get_weights())
    for c, e in zip(_leaves(clone(input_data, **call_kwargs)), eager):
        support.assert_close(c, support.to_numpy(e), rtol=1e-6, atol=1e-6)

    # 4. NumPy reference.
    if reference is not None:
        expected = reference(input_data, [w.numpy() for w in layer.weights])
        expected_leaves = _leaves(expected) if isinstance(expected, (list, tuple, dict)) else [expected]
        for e, ref in zip(eager, expected_leaves):
            support.assert_close(e, ref, rtol=rtol, atol=atol)

    # 5. One training step.
    float_outputs = any(kerasx.backend.is_float(ops.dtype(e)) for e in eager)
    if support.TRAINS and layer.trainable_variables and float_outputs:
        _check_training_step(layer, input_data, call_kwargs)
    return layer


def _leaves_shapes(shapes) -> list:
    if isinstance(shapes, tuple) and all(d is None or isinstance(d, int) for d in shapes):
        return [shapes]
    if isinstance(shapes, dict):
        return [s for key in sorted(shapes, key=str) for s in _leaves_shapes(shapes[key])]
    return [s for item in shapes for s in _leaves_shapes(item)]


def _check_training_step(layer, input_data, call_kwargs, learning_rate=1e-2):
    trainable = [ops.convert_to_tensor(v) for v in layer.trainable_variables]
    non_trainable = [ops.convert_to_tensor(v) for v in layer.non_trainable_variables]
    inputs = _tree.map_structure(ops.convert_to_tensor, input_data)

    def loss_fn(params, x):
        outputs, _ = layer.stateless_call(params, non_trainable, x, training=True, **call_kwargs)
        return _loss(outputs)

    loss, grads = kerasx.backend.value_and_grad(loss_fn)(trainable, inputs)
    assert any(np.any(support.to_numpy(g) != 0) for g in grads), "all gradients are zero"
    updated = [ops.subtract(p, ops.multiply(learning_rate, g)) for p, g in zip(trainable, grads)]
    new_loss = loss_fn(updated, inputs)
    assert float(support.to_numpy(new_loss)) < float(support.to_numpy(loss)), (
        f"one SGD step did not reduce the loss: {support.to_numpy(loss)} -> {support.to_numpy(new_loss)}"
    )
