"""`check_layer_against_keras`: a kerasx layer and Keras 3's layer of the same name, built from the same arguments,
compared on everything a user can observe, on the selected backend (Keras 3 runs in-process on the same engine).

    check_layer_against_keras("Conv2DTranspose", {"filters": 3, "kernel_size": 2}, x, tmp_path=tmp_path)

checks:
1. weights: the same number, shapes and order; Keras's weights are copied into kerasx's layer;
2. outputs: equal to Keras's (`rtol`/`atol`), with the same dtypes;
3. symbolic call: output shapes on KerasTensors (batch unknown and known) equal Keras 3's symbolic shapes and the
   eager shapes;
4. masks: `compute_mask(inputs, mask)` equal to Keras's (both None, or the same values);
5. configs both ways: the same keys and values as Keras's `get_config()`; Keras's `serialize` output deserializes in
   kerasx and kerasx's `saving.serialize_keras_object` output in Keras, each giving the same outputs with the same
   weights;
6. gradients (not on numpy): of `sum(output * P)` for a fixed random `P`, with respect to every trainable weight and
   a float input, equal to Keras's gradients, and each matches a central finite difference along a random direction;
7. files (with `tmp_path`): a functional model around the layer saved by Keras loads in kerasx, and the reverse, with
   equal outputs.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import kerasx
import support
from kerasx import ops

keras = pytest.importorskip("keras")

# Keys only Keras 3 writes in layer configs (quantization and LoRA), dropped by kerasx when it reads Keras configs.
KERAS_ONLY_KEYS = {"quantization_config", "lora_rank", "lora_alpha", "gptq_unpacked_column_size"}
# Keys whose values legitimately differ between two layers made from the same arguments: automatic names count per
# library. (The dtype policy is compared: both write it as Keras 3.15's nested object.)
UNCOMPARED_KEYS = {"name", "trainable"}


def _as_list(values) -> list:
    return list(values) if isinstance(values, (list, tuple)) else [values]


def _keras_numpy(values) -> list:
    return [np.asarray(keras.ops.convert_to_numpy(v)) for v in _as_list(values)]


def _kwargs(init_kwargs, library) -> dict:
    # A callable takes the library (kerasx or keras) so that arguments holding layers (wrappers) are made in each.
    return dict(init_kwargs(library) if callable(init_kwargs) else (init_kwargs or {}))


def _mask_kwargs(mask, convert) -> dict:
    return {} if mask is None else {"mask": convert(mask)}


def _normalized(value):
    if isinstance(value, (tuple, list)):
        return [_normalized(v) for v in value]
    if isinstance(value, dict):
        if "class_name" in value and "config" in value:
            # Nested objects (initializers, regularizers, layers): the class and its own config, not the module keys.
            return {"class_name": value["class_name"], "config": _normalized(value["config"])}
        return {k: _normalized(v) for k, v in value.items() if k not in UNCOMPARED_KEYS | KERAS_ONLY_KEYS}
    return value


def _normalized_keras_only(value):
    if isinstance(value, dict) and "class_name" in value:
        return {"class_name": value["class_name"], "config": _normalized_keras_only(value["config"])}
    if isinstance(value, dict):
        return {k: _normalized_keras_only(v) for k, v in value.items()}
    return [_normalized_keras_only(v) for v in value] if isinstance(value, (list, tuple)) else value


def compare_configs(ours, theirs) -> None:
    """kerasx's `get_config()` has Keras 3's keys (less the Keras-only ones) and the same values."""
    config, keras_config = ours.get_config(), theirs.get_config()
    # Layers kerasx gives LoRA and quantization write those keys too: compared below when both write them.
    assert set(config) - KERAS_ONLY_KEYS == set(keras_config) - KERAS_ONLY_KEYS, (
        f"config keys differ: kerasx only {sorted(set(config) - set(keras_config))}, "
        f"Keras only {sorted(set(keras_config) - set(config) - KERAS_ONLY_KEYS)}"
    )
    for key in sorted(set(config) - UNCOMPARED_KEYS):
        if key in KERAS_ONLY_KEYS:
            assert _normalized_keras_only(config[key]) == _normalized_keras_only(keras_config.get(key)), (
                f"config[{key!r}]: kerasx {config[key]!r}, Keras 3 {keras_config.get(key)!r}"
            )
            continue
        assert _normalized(config[key]) == _normalized(keras_config[key]), (
            f"config[{key!r}]: kerasx {config[key]!r}, Keras 3 {keras_config[key]!r}"
        )


def _check_outputs(actual, expected, rtol, atol, what) -> None:
    actual = _as_list(actual)
    assert len(actual) == len(expected), f"{what}: {len(actual)} outputs, Keras 3 gives {len(expected)}"
    for got, value in zip(actual, expected):
        support.assert_close(got, value, rtol=rtol, atol=atol)
        assert ops.dtype(got) == kerasx.backend.standardize_dtype(value.dtype.name), (
            f"{what}: dtype {ops.dtype(got)}, Keras 3 gives {value.dtype}"
        )


def _symbolic_shapes(layer, inputs, tensor_class, batch_unknown, call_kwargs) -> list:
    def symbolic(x):
        shape = (None,) + x.shape[1:] if batch_unknown else x.shape
        return tensor_class(shape, str(x.dtype))

    args = [symbolic(x) for x in inputs] if isinstance(inputs, list) else symbolic(inputs)
    return [tuple(o.shape) for o in _as_list(layer(args, **call_kwargs))]


def _check_symbolic(name, init_kwargs, inputs, call_kwargs, eager_shapes) -> None:
    for batch_unknown in (True, False):
        ours = _symbolic_shapes(
            getattr(kerasx.layers, name)(**_kwargs(init_kwargs, kerasx)), inputs, ops.KerasTensor, batch_unknown,
            call_kwargs,
        )
        theirs = _symbolic_shapes(
            getattr(keras.layers, name)(**_kwargs(init_kwargs, keras)), inputs, keras.KerasTensor, batch_unknown,
            call_kwargs,
        )
        assert ours == theirs, f"symbolic shapes {ours}, Keras 3 gives {theirs} (batch unknown: {batch_unknown})"
        expected = [(None,) + s[1:] if batch_unknown and s else s for s in eager_shapes]
        assert ours == expected, f"symbolic shapes {ours} differ from the eager shapes {eager_shapes}"


def _check_masks(ours, theirs, inputs, mask) -> None:
    keras_inputs = _convert(inputs, keras.ops.convert_to_tensor)
    expected = theirs.compute_mask(keras_inputs, None if mask is None else keras.ops.convert_to_tensor(mask))
    got = ours.compute_mask(_convert(inputs, ops.convert_to_tensor), None if mask is None else ops.convert_to_tensor(mask))
    if expected is None:
        assert got is None, f"compute_mask gives a mask where Keras 3 gives None: {got}"
        return
    assert got is not None, "compute_mask gives None where Keras 3 gives a mask"
    # A list of masks (one per output, e.g. an RNN with return_state) may hold None entries.
    assert len(_as_list(got)) == len(_as_list(expected)), f"compute_mask gives {got}, Keras 3 gives {expected}"
    for a, e in zip(_as_list(got), _as_list(expected)):
        assert (a is None) == (e is None), f"compute_mask gives {a} where Keras 3 gives {e}"
        if e is not None:
            np.testing.assert_array_equal(support.to_numpy(a), _keras_numpy(e)[0])


def _convert(inputs, convert):
    return [convert(x) for x in inputs] if isinstance(inputs, list) else convert(inputs)


def _check_deserialized_both_ways(ours, theirs, inputs, weights, expected, call_kwargs, mask, rtol, atol) -> None:
    keras_call_kwargs = {**call_kwargs, **_mask_kwargs(mask, keras.ops.convert_to_tensor)}
    call_kwargs = {**call_kwargs, **_mask_kwargs(mask, ops.convert_to_tensor)}
    from_keras = kerasx.layers.deserialize(keras.layers.serialize(theirs))
    assert type(from_keras).__name__ == type(ours).__name__ or isinstance(from_keras, type(ours))
    from_keras(inputs, **call_kwargs)
    from_keras.set_weights(weights)
    _check_outputs(from_keras(inputs, **call_kwargs), expected, rtol, atol, "kerasx layer from Keras's config")

    # kerasx's description in Keras's format (module keys on nested objects too), read by Keras's deserializer.
    from_kerasx = keras.saving.deserialize_keras_object(kerasx.saving.serialize_keras_object(ours))
    from_kerasx(inputs, **keras_call_kwargs)
    from_kerasx.set_weights(weights)
    got = _keras_numpy(from_kerasx(inputs, **keras_call_kwargs))
    for actual, value in zip(got, expected):
        np.testing.assert_allclose(actual, value, rtol=rtol, atol=atol, err_msg="Keras layer from kerasx's config")


def _accepted(layer, call_kwargs) -> dict:
    # `stateless_call` hands its keywords straight to `call` (in both libraries): `training` only where it is taken.
    parameters = inspect.signature(layer.call).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    return {k: v for k, v in call_kwargs.items() if k != "training" or takes_any or k in parameters}


def _projections(outputs, rng) -> list:
    return [rng.normal(size=support.to_numpy(o).shape).astype(support.to_numpy(o).dtype) for o in _as_list(outputs)]


def _check_gradients(ours, theirs, inputs, call_kwargs, expected, rtol, atol) -> None:
    rng = np.random.default_rng(1)
    projections = _projections(expected, rng)
    float_input = not isinstance(inputs, list) and np.issubdtype(inputs.dtype, np.floating)

    def objective(layer, library_ops):
        non_trainable = [library_ops.convert_to_tensor(v) for v in layer.non_trainable_variables]
        count = len(layer.trainable_variables)

        def value(params, x):
            x = params[count] if float_input else x
            outputs, _ = layer.stateless_call(params[:count], non_trainable, x, **_accepted(layer, call_kwargs))
            total = 0.0
            for out, projection in zip(_as_list(outputs), projections):
                total = library_ops.add(total, library_ops.sum(library_ops.multiply(out, projection)))
            return total

        return value

    def params_of(layer, library_ops):
        # Through NumPy: Keras 3's `convert_to_tensor` hands a TensorFlow-backed variable back as itself, which
        # `GradientTape.watch` refuses.
        params = [library_ops.convert_to_tensor(library_ops.convert_to_numpy(v)) for v in layer.trainable_variables]
        return params + [library_ops.convert_to_tensor(inputs)] if float_input else params

    if not params_of(ours, ops):
        return
    x_ours = _convert(inputs, ops.convert_to_tensor)
    x_keras = _convert(inputs, keras.ops.convert_to_tensor)
    value_fn = objective(ours, ops)
    params = params_of(ours, ops)
    _, grads = kerasx.backend.value_and_grad(value_fn)(params, x_ours)
    _, keras_grads = kerasx.backend.value_and_grad(objective(theirs, keras.ops))(params_of(theirs, keras.ops), x_keras)
    names = [v.path for v in ours.trainable_variables] + (["inputs"] if float_input else [])
    for name, got, value in zip(names, grads, keras_grads):
        np.testing.assert_allclose(
            support.to_numpy(got), support.to_numpy(value), rtol=1e-4, atol=1e-4, err_msg=f"gradient of {name}"
        )
    # A central finite difference along a random direction of all parameters at once. Piecewise-linear activations
    # (relu, hard_sigmoid) put kinks in the objective: where one lies within the step the difference is off by the
    # kink's jump, so a disagreement is retried along new directions with smaller steps; a wrong gradient disagrees
    # along every direction, a kink almost never twice.
    attempts = []
    for eps in (1e-3, 3e-4, 1e-4):
        directions = [rng.normal(size=tuple(p.shape)).astype("float32") for p in params]

        def shifted(sign, eps=eps, directions=directions):
            moved = [ops.add(p, ops.cast(sign * eps * d, ops.dtype(p))) for p, d in zip(params, directions)]
            return float(support.to_numpy(value_fn(moved, x_ours)))

        numeric = (shifted(1.0) - shifted(-1.0)) / (2 * eps)
        analytic = sum(float(np.sum(support.to_numpy(g) * d)) for g, d in zip(grads, directions))
        if abs(numeric - analytic) <= 2e-2 * max(1.0, abs(analytic)):
            return
        attempts.append(f"step {eps}: directional derivative {analytic}, finite difference {numeric}")
    raise AssertionError(
        "the gradient disagrees with finite differences along every direction tried: " + "; ".join(attempts)
    )


def _model(library, layer, inputs):
    model_input = library.Input(shape=inputs.shape[1:], dtype=str(inputs.dtype))
    return library.Model(model_input, layer(model_input))


def _check_files(name, init_kwargs, inputs, weights, expected, tmp_path, rtol, atol) -> None:
    keras_model = _model(keras, getattr(keras.layers, name)(**_kwargs(init_kwargs, keras)), inputs)
    keras_model.layers[-1].set_weights(weights)
    keras_model.save(tmp_path / "from_keras.keras")
    loaded = kerasx.saving.load_model(tmp_path / "from_keras.keras")
    _check_outputs(loaded(inputs), expected, rtol, atol, "kerasx model loaded from Keras's file")

    model = _model(kerasx, getattr(kerasx.layers, name)(**_kwargs(init_kwargs, kerasx)), inputs)
    model.layers[-1].set_weights(weights)
    model.save(tmp_path / "from_kerasx.keras")
    reloaded = keras.saving.load_model(tmp_path / "from_kerasx.keras")
    for actual, value in zip(_keras_numpy(reloaded(inputs)), expected):
        np.testing.assert_allclose(actual, value, rtol=rtol, atol=atol, err_msg="Keras model loaded from kerasx's file")


def check_layer_against_keras(
    name,
    init_kwargs,
    inputs,
    *,
    call_kwargs=None,
    mask=None,
    tmp_path=None,
    rtol=1e-5,
    atol=1e-5,
    gradients=True,
    training=False,
):
    """Runs the checks of this module's docstring and returns `(kerasx_layer, keras_layer)`.

    Args:
        name: the class name in both `kerasx.layers` and `keras.layers`.
        init_kwargs: constructor arguments (a dict), or `library -> dict` for arguments holding objects made by the
            library (e.g. the layer a wrapper wraps).
        inputs: a NumPy array, or a list of arrays passed as one list argument.
        call_kwargs: extra keyword arguments of every call.
        mask: a NumPy mask passed as `mask=` to both calls and to `compute_mask`.
        tmp_path: a folder; when given, `.keras` files are written and read both ways.
        rtol, atol: tolerances of the output comparisons.
        gradients: whether to compare gradients (skipped on numpy, and for layers without float weights or inputs).
        training: the `training` argument of every call.
    """
    call_kwargs = {**(call_kwargs or {}), "training": training}
    ours = getattr(kerasx.layers, name)(**_kwargs(init_kwargs, kerasx))
    theirs = getattr(keras.layers, name)(**_kwargs(init_kwargs, keras))
    # Keras 3 builds some layers at construction (no variables, nothing to learn from the input shape).
    assert ours.built == theirs.built, f"{name}: built={ours.built} after construction, Keras 3: {theirs.built}"
    # Keras 3's `__call__` hands `training` to a `call` that does not take it (a TypeError): only where it is taken.
    call_kwargs = _accepted(theirs, call_kwargs)

    expected = _keras_numpy(theirs(inputs, **call_kwargs, **_mask_kwargs(mask, keras.ops.convert_to_tensor)))
    ours(inputs, **call_kwargs, **_mask_kwargs(mask, ops.convert_to_tensor))
    assert [tuple(w.shape) for w in ours.weights] == [tuple(w.shape) for w in theirs.weights], (
        f"weight shapes {[w.shape for w in ours.weights]}, Keras 3 has {[w.shape for w in theirs.weights]}"
    )
    assert len(ours.trainable_weights) == len(theirs.trainable_weights), "trainable weight count differs from Keras 3"
    weights = _keras_numpy(theirs.get_weights()) if theirs.weights else []
    ours.set_weights(weights)
    outputs = ours(inputs, **call_kwargs, **_mask_kwargs(mask, ops.convert_to_tensor))
    _check_outputs(outputs, expected, rtol, atol, "call")

    # What `.keras` files store to build the layer again before its weights load.
    theirs_build = theirs.get_build_config()
    if theirs_build == {"input_shape": None} and not isinstance(inputs, list) and support.BACKEND != "numpy":
        # Keras 3's preprocessing layers leave NumPy inputs unconverted, and on an engine whose tensors they are not
        # Keras records no shape for them; kerasx records the shape it was built with.
        theirs_build = {"input_shape": np.shape(inputs)}
    assert _normalized(ours.get_build_config()) == _normalized(theirs_build), (
        f"{name}: get_build_config() {ours.get_build_config()}, Keras 3: {theirs.get_build_config()}"
    )
    _check_symbolic(name, init_kwargs, inputs, call_kwargs, [e.shape for e in expected])
    _check_masks(ours, theirs, inputs, mask)
    compare_configs(ours, theirs)
    _check_deserialized_both_ways(ours, theirs, inputs, weights, expected, call_kwargs, mask, rtol, atol)
    if gradients and support.TRAINS and mask is None:
        _check_gradients(ours, theirs, inputs, call_kwargs, expected, rtol, atol)
    if tmp_path is not None and not isinstance(inputs, list) and not training and mask is None:
        _check_files(name, init_kwargs, inputs, weights, expected, tmp_path, rtol, atol)
    return ours, theirs
