"""GroupNormalization, UnitNormalization, RMSNormalization, SpectralNormalization, LayerNormalization and
BatchNormalization (renorm, synchronized) against Keras 3 through the shared oracle (outputs, symbolic shapes,
masks, configs and `.keras` files both ways, gradients), plus what it cannot see: training-mode state (batch
renormalization's statistics, spectral normalization's kernel and `vector_u` after several steps), errors, and the
torch fused kernels against the engine-free computation."""

from __future__ import annotations

import numpy as np
import pytest

import support
from kerasx import backend, layers, ops
from kerasx.backend import _unfused, active
from keras_layer_oracle import check_layer_against_keras

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
X2 = RNG.normal(size=(2, 6)).astype("float32")
X3 = (RNG.normal(size=(2, 4, 6)) * 2 + 1).astype("float32")
X4 = RNG.normal(size=(2, 3, 3, 4)).astype("float32")
X4_FIRST = RNG.normal(size=(2, 4, 3, 2)).astype("float32")
TOKENS = np.array([[1, 4, 2], [0, 3, 5]], "int32")
RANDOM_AFFINE = {"beta_initializer": "random_normal", "gamma_initializer": "random_normal"}

CASES = [
    ("GroupNormalization", {"groups": 2}, X3),
    ("GroupNormalization", {"groups": 3, "epsilon": 0.1, **RANDOM_AFFINE}, X3),
    ("GroupNormalization", {"groups": -1}, X4),
    ("GroupNormalization", {"groups": 1, "center": False}, X2),
    ("GroupNormalization", {"groups": 2, "axis": 1, **RANDOM_AFFINE}, X4_FIRST),
    ("GroupNormalization", {"groups": 4, "axis": 1, "scale": False}, X4_FIRST),
    ("GroupNormalization", {"groups": 2, "axis": 2}, X3.transpose(0, 2, 1).copy()),
    ("GroupNormalization", {"groups": 2, "gamma_regularizer": "l2", "beta_constraint": "non_neg"}, X4),
    ("UnitNormalization", {}, X3),
    ("UnitNormalization", {"axis": [1, 2]}, X3),
    ("UnitNormalization", {"axis": 1}, X4),
    ("RMSNormalization", {}, X3),
    ("RMSNormalization", {"axis": [1, 2], "epsilon": 1e-3}, X3),
    ("RMSNormalization", {"axis": [2, 3]}, X4),
    ("LayerNormalization", {**RANDOM_AFFINE}, X3),
    ("LayerNormalization", {"axis": [1, 2], **RANDOM_AFFINE}, X3),
    ("LayerNormalization", {"axis": [-2, -1], "center": False}, X4),
    ("BatchNormalization", {"renorm": True, "moving_mean_initializer": "random_normal"}, X3),
    ("BatchNormalization", {"renorm": True, "renorm_clipping": {"rmax": 2.0, "dmax": 1.0}, "axis": 1}, X4_FIRST),
    ("BatchNormalization", {"renorm": True, "renorm_momentum": 0.5, "center": False}, X2),
]


@pytest.mark.parametrize(("name", "kwargs", "inputs"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_normalization_layer_matches_keras(name, kwargs, inputs, tmp_path):
    check_layer_against_keras(name, kwargs, inputs, tmp_path=tmp_path, rtol=1e-4, atol=1e-5)


def test_layer_normalization_rms_scaling_matches_keras():
    """Keras 3's deprecated `rms_scaling=True` divides by the standard deviation without centring; so does kerasx,
    with the same warning."""
    with pytest.warns(UserWarning, match="rms_scaling"):
        check_layer_against_keras("LayerNormalization", {"rms_scaling": True, **RANDOM_AFFINE}, X3)


@pytest.mark.parametrize("name", ["GroupNormalization", "UnitNormalization", "RMSNormalization"])
def test_masks_pass_through_like_keras(name):
    """Keras 3's call of these layers takes no mask; an incoming mask passes through to the output unchanged."""
    import kerasx

    mask = np.array([[True, True, False, False], [True, False, False, False]])
    kwargs = {"groups": 2} if name == "GroupNormalization" else {}
    outputs = []
    for library in (kerasx, keras):
        inputs = library.Input((4, 6))
        masked = library.layers.Masking(0.0)(inputs)
        model = library.Model(inputs, getattr(library.layers, name)(**kwargs)(masked))
        outputs.append(model.layers[-1].compute_mask(None, library.ops.convert_to_tensor(mask)))
    np.testing.assert_array_equal(support.to_numpy(outputs[0]), keras.ops.convert_to_numpy(outputs[1]))


# SpectralNormalization ----------------------------------------------------------------------------------------------
def _dense(library):
    return {"layer": library.layers.Dense(3), "power_iterations": 2}


def _conv(library):
    return {"layer": library.layers.Conv2D(2, 2)}


@pytest.mark.parametrize(("make", "inputs"), [(_dense, X3), (_conv, X4)], ids=["Dense", "Conv2D"])
def test_spectral_normalization_inference_configs_and_files_match_keras(make, inputs, tmp_path):
    """Inference runs the wrapped layer as it is; Keras's config and `.keras` file load in kerasx and kerasx's file
    loads in Keras, with the same weights ([kernel, vector_u, bias], as Keras orders them) and outputs."""
    import kerasx

    def model_of(library):
        model_input = library.Input(inputs.shape[1:])
        return library.Model(model_input, library.layers.SpectralNormalization(**make(library))(model_input))

    theirs, ours = model_of(keras), model_of(kerasx)
    assert [w.name for w in ours.layers[-1].weights] == [w.name for w in theirs.layers[-1].weights]
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    expected = np.asarray(keras.ops.convert_to_numpy(theirs(inputs)))
    support.assert_close(ours(inputs), expected, rtol=1e-5, atol=1e-6)

    from_config = layers.deserialize(keras.layers.serialize(theirs.layers[-1]))
    assert isinstance(from_config, layers.SpectralNormalization) and from_config.power_iterations == (
        theirs.layers[-1].power_iterations
    )
    from_config(inputs)
    from_config.set_weights(theirs.layers[-1].get_weights())
    support.assert_close(from_config(inputs), expected, rtol=1e-5, atol=1e-6)

    theirs.save(tmp_path / "keras.keras")
    support.assert_close(kerasx.saving.load_model(tmp_path / "keras.keras")(inputs), expected, rtol=1e-5, atol=1e-6)
    ours.save(tmp_path / "kerasx.keras")
    loaded = keras.saving.load_model(tmp_path / "kerasx.keras")
    assert isinstance(loaded.layers[-1], keras.layers.SpectralNormalization)
    np.testing.assert_allclose(np.asarray(keras.ops.convert_to_numpy(loaded(inputs))), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("make", "inputs"),
    [(_dense, X3), (_conv, X4), (lambda library: {"layer": library.layers.Embedding(6, 3), "power_iterations": 3}, TOKENS)],
    ids=["Dense", "Conv2D", "Embedding"],
)
def test_spectral_normalization_training_steps_match_keras(make, inputs):
    """Training calls normalize the kernel and move `vector_u` as Keras 3's do, call after call."""
    import kerasx

    ours = layers.SpectralNormalization(**make(kerasx))
    theirs = keras.layers.SpectralNormalization(**make(keras))
    theirs(inputs)
    ours(inputs)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    for _ in range(3):
        expected = keras.ops.convert_to_numpy(theirs(inputs, training=True))
        support.assert_close(ours(inputs, training=True), expected, rtol=1e-5, atol=1e-5)
    for got, value in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(got, np.asarray(value), rtol=1e-5, atol=1e-6)
    # Call after call the power method converges: the kernel's largest singular value goes to 1.
    # (How fast depends on the gap between the two largest singular values of the random kernel.)
    for _ in range(30):
        ours(inputs, training=True)
    kernel = support.to_numpy(ours.kernel)
    assert abs(np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0] - 1.0) < 1e-2


def test_spectral_normalization_errors():
    with pytest.raises(ValueError, match=r"power_iterations.*Received: power_iterations=0"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match=r"'sn' \(SpectralNormalization\).*Dropout has neither"):
        layers.SpectralNormalization(layers.Dropout(0.5), name="sn")(X2)


# BatchNormalization -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs",
    [
        {"renorm": True},
        {"renorm": True, "renorm_clipping": {"rmin": 0.9, "rmax": 1.1, "dmax": 0.2}, "momentum": 0.5},
        {"renorm": True, "renorm_momentum": 0.6, "momentum": 0.7, "axis": 1, "scale": False},
        {"momentum": 0.6},
    ],
    ids=["renorm", "clipped", "channels_first", "plain"],
)
def test_batch_normalization_training_steps_match_keras(kwargs):
    """Outputs of several training calls and every statistic after them, as Keras 3's (batch renormalization
    included), then inference with the moving statistics."""
    ours, theirs = layers.BatchNormalization(**kwargs), keras.layers.BatchNormalization(**kwargs)
    rng = np.random.default_rng(3)
    batches = [(rng.normal(size=(4, 3, 5)) * (1 + step) + step).astype("float32") for step in range(4)]
    theirs(batches[0])
    ours(batches[0])
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    for x in batches:
        expected = keras.ops.convert_to_numpy(theirs(x, training=True))
        support.assert_close(ours(x, training=True), expected, rtol=1e-5, atol=1e-5)
    for weight, got, value in zip(ours.weights, ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(got, np.asarray(value), rtol=1e-5, atol=1e-6, err_msg=weight.name)
    support.assert_close(ours(batches[0]), keras.ops.convert_to_numpy(theirs(batches[0])), rtol=1e-5, atol=1e-5)


def test_batch_renormalization_gradients_match_keras():
    if not support.TRAINS:
        pytest.skip("the numpy backend is inference only")
    # Through stateless calls from the same statistics: gradients against Keras's and a finite difference.
    kwargs = {"renorm": True, "renorm_clipping": {"rmax": 1.5}, **RANDOM_AFFINE}
    ours, theirs = layers.BatchNormalization(**kwargs), keras.layers.BatchNormalization(**kwargs)
    theirs(X3)
    ours(X3)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    moving = [np.asarray(w) for w in theirs.get_weights()]
    theirs.set_weights([w * 0.5 + 0.3 for w in moving])  # renorm statistics away from the batch's: r, d != 1, 0
    ours.set_weights(theirs.get_weights())
    projection = np.random.default_rng(2).normal(size=X3.shape).astype("float32")

    def gradients(layer, library_ops):
        # r and d are constants to the gradient (as in Keras 3), so no finite difference: Keras's numbers are the
        # reference.
        non_trainable = [library_ops.convert_to_tensor(np.asarray(v)) for v in layer.non_trainable_variables]

        def loss(params):
            outputs, _ = layer.stateless_call(params[:-1], non_trainable, params[-1], training=True)
            return library_ops.sum(library_ops.multiply(outputs, projection))

        params = [library_ops.convert_to_tensor(np.asarray(v)) for v in layer.trainable_variables]
        params.append(library_ops.convert_to_tensor(X3))
        return [support.to_numpy(g) for g in backend.value_and_grad(loss)(params)[1]]

    for got, value in zip(gradients(ours, ops), gradients(theirs, keras.ops)):
        np.testing.assert_allclose(got, value, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "clipping",
    [{"rmax": 1.0, "rmin": 2.0}, {"dmax": -1.0}, {"rmaxx": 1.0}],
    ids=["rmin_above_rmax", "negative_dmax", "unknown_key"],
)
def test_batch_renormalization_bad_clipping_is_refused_like_keras(clipping):
    with pytest.raises(ValueError, match=r"renorm_clipping.*Received: renorm_clipping="):
        layers.BatchNormalization(renorm=True, renorm_clipping=clipping)
    with pytest.raises(ValueError):
        keras.layers.BatchNormalization(renorm=True, renorm_clipping=clipping)


def test_batch_normalization_synchronized_is_a_no_op_in_one_process():
    """Keras 3 accepts `synchronized=True` only on TensorFlow; one kerasx process has no replicas to synchronize,
    so it gives the unsynchronized numbers on every engine (and keeps the flag in its config)."""
    layer = layers.BatchNormalization(synchronized=True, momentum=0.5)
    plain = layers.BatchNormalization(momentum=0.5)
    support.assert_close(layer(X3, training=True), support.to_numpy(plain(X3, training=True)))
    assert layer.get_config()["synchronized"] is True
    if backend.backend() == "tensorflow":
        check_layer_against_keras("BatchNormalization", {"synchronized": True}, X3)


# Errors -------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "inputs", "match"),
    [
        (lambda: layers.GroupNormalization(groups=0), None, r"`groups`.*Received: groups=0"),
        (lambda: layers.GroupNormalization(groups=4, name="gn"), X3, r"'gn'.*6 channels into groups=4"),
        (lambda: layers.GroupNormalization(groups=8, name="gn"), X3, r"'gn'.*6 channels into groups=8"),
        (lambda: layers.GroupNormalization(groups=2, axis=3, name="gn"), X3, r"'gn'.*axis=3"),
        (lambda: layers.UnitNormalization(axis="last"), None, r"UnitNormalization.*Received: axis='last'"),
        (lambda: layers.RMSNormalization(axis=2.0), None, r"RMSNormalization.*Received: axis=2.0"),
        (lambda: layers.RMSNormalization(axis=4, name="rms"), X3, r"'rms'.*axis=4"),
    ],
)
def test_bad_arguments_are_refused(make, inputs, match):
    with pytest.raises(ValueError, match=match):
        layer = make()
        layer(inputs)


# Fused kernels ------------------------------------------------------------------------------------------------------
FUSED_CASES = [
    ("layer_norm", lambda: layers.LayerNormalization(**RANDOM_AFFINE), X3),
    ("layer_norm", lambda: layers.LayerNormalization(axis=[1, 2], center=False), X3),
    ("group_norm", lambda: layers.GroupNormalization(2, axis=1, **RANDOM_AFFINE), X4_FIRST),
    ("group_norm", lambda: layers.GroupNormalization(-1, axis=1, scale=False), X4_FIRST),
    ("group_norm", lambda: layers.GroupNormalization(1, axis=1), X2),
]


@pytest.mark.parametrize(("kernel", "make", "inputs"), FUSED_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(FUSED_CASES)])
def test_fused_normalization_equals_the_engine_free_computation(kernel, make, inputs, monkeypatch):
    """Where the engine has a fused kernel (torch's F.layer_norm / F.group_norm), the layer's outputs and the
    gradients of a projection of them equal those of the layer's own ops."""
    if not support.TRAINS:
        pytest.skip("the numpy backend is inference only")
    layer = make()
    layer(inputs)
    projection = np.random.default_rng(1).normal(size=inputs.shape).astype("float32")
    params = [v.value for v in layer.trainable_variables] + [ops.convert_to_tensor(inputs)]

    def run():
        def loss(params):
            outputs, _ = layer.stateless_call(params[:-1], [], params[-1])
            return ops.sum(ops.multiply(outputs, projection)), outputs

        (_, outputs), grads = backend.value_and_grad(loss, has_aux=True)(params)
        return [support.to_numpy(outputs)] + [support.to_numpy(g) for g in grads]

    fast = run()
    with monkeypatch.context() as patch:
        patch.setattr(active.nn, kernel, getattr(_unfused, kernel))
        reference = run()
    for got, value in zip(fast, reference):
        np.testing.assert_allclose(got, value, rtol=1e-5, atol=1e-5)
    if backend.backend() == "torch":
        # The fast path is taken: the fused kernel answers for this call.
        x = ops.convert_to_tensor(inputs)
        args = {"layer_norm": (None, None, tuple(range(1, inputs.ndim)), 1e-3), "group_norm": (1, None, None, 1e-3)}
        assert getattr(active.nn, kernel)(x, *args[kernel]) is not None
