"""Every Keras 3 preprocessing layer on jax and torch with TensorFlow hidden: one subprocess per engine makes,
adapts and calls all of them (`preprocessing_layer_cases.py`), and its outputs are compared with this process's:
Keras 3's for the deterministic layers (exactly for integers, 1e-5 for floats), kerasx's with TensorFlow present for
the random ones (a seed gives the same batch), whose shapes and dtypes are Keras 3's.

No kerasx preprocessing layer needs TensorFlow. Keras 3.15.1 does for six of them on jax and torch: Discretization
(its `adapt`), Hashing, HashedCrossing, IntegerLookup, StringLookup and TextVectorization raise ImportError without it.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import keras
import kerasx
import preprocessing_layer_cases as cases
import support

pytestmark = pytest.mark.skipif(support.BACKEND not in ("jax", "torch"), reason="the engines that run without TensorFlow")

# Layers that cannot run without TensorFlow, with the text their error must hold (naming what to install): none.
NEEDS_TENSORFLOW: dict[str, str] = {}
# Deterministic layers whose Keras 3 output on this engine is not Keras 3's elsewhere (see test_preprocessing_color.py):
# compared, like the random layers, with kerasx's in this process.
KERAS_DIFFERS = {"torch": {"ContrastLimitedAdaptiveHistogramEqualization"}}.get(support.BACKEND, set())

WITHOUT_TENSORFLOW = support.HIDE_TENSORFLOW + """
sys.path.insert(0, {tests!r})
import numpy as np
import kerasx
import preprocessing_layer_cases as cases
outputs = cases.outputs(kerasx.layers, lambda x: np.asarray(kerasx.ops.convert_to_numpy(x)))
assert "tensorflow" not in sys.modules
np.savez({path!r}, **outputs)
"""


def _keras_preprocessing_layers() -> set:
    return {
        name for name, value in vars(keras.layers).items()
        if inspect.isclass(value) and value.__module__.startswith("keras.src.layers.preprocessing")
    }


def test_every_preprocessing_layer_runs_without_tensorflow(tmp_path):
    assert set(cases.CASES) == _keras_preprocessing_layers()
    path = tmp_path / "outputs.npz"
    code = WITHOUT_TENSORFLOW.format(tests=str(support.REPO_ROOT / "tests"), path=str(path))
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": support.BACKEND, "JAX_ENABLE_X64": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    with np.load(path) as archive:
        hidden = {key: archive[key] for key in archive.files}
    errors = {key.split(".")[0]: str(value) for key, value in hidden.items() if key.endswith(".error")}
    assert set(errors) == set(NEEDS_TENSORFLOW), errors
    for name, message in errors.items():
        assert NEEDS_TENSORFLOW[name] in message

    # The random layers: kerasx's batch for the seed, as this process (TensorFlow importable) computes it.
    own_oracle = (cases.RANDOM | KERAS_DIFFERS) - set(errors)
    ours = cases.outputs(kerasx.layers, support.to_numpy, sorted(own_oracle))
    for key, expected in ours.items():
        assert hidden[key].dtype == expected.dtype, key
        np.testing.assert_allclose(hidden[key], expected, rtol=1e-5, atol=1e-4, err_msg=key)
    # Their shapes and dtypes are Keras 3's (its draws are its own).
    for name in own_oracle:
        layer, inputs = cases.CASES[name](keras.layers)
        spec = layer(keras.KerasTensor(inputs.shape, str(inputs.dtype)))
        assert (hidden[f"{name}.0"].shape, str(hidden[f"{name}.0"].dtype)) == (tuple(spec.shape), spec.dtype), name

    # The deterministic layers: Keras 3's outputs.
    theirs = cases.outputs(keras.layers, keras.ops.convert_to_numpy, sorted(set(cases.CASES) - own_oracle))
    assert not [key for key in theirs if key.endswith(".error")]
    for key, expected in theirs.items():
        got = hidden[key]
        if expected.dtype.kind in "biu":
            np.testing.assert_array_equal(got, expected, err_msg=key)
        else:
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5 * max(1.0, float(np.abs(expected).max())),
                                       err_msg=key)
    assert set(hidden) == set(ours) | set(theirs) | {f"{name}.error" for name in errors}
