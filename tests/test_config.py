"""`kerasx.config` against `keras.config`: every name exists with Keras 3's parameters, and the same calls give the
same results. Settings that only take effect at import, or that change the whole process (the backend, the config
file, environment variables, unsafe deserialization), are compared in fresh subprocesses, one per library."""

from __future__ import annotations

import inspect
import json
import textwrap

import numpy as np
import pytest

import kerasx
from kerasx.backend import _config
from kerasx.config import _set_backend
from support import run_python, start_python

keras = pytest.importorskip("keras")

BACKEND = kerasx.config.backend()
# Mixed precision is its own work item (see tests/surface_absences.py).
NOT_YET = ("dtype_policy", "set_dtype_policy")
KERAS_CONFIG_NAMES = sorted(name for name in dir(keras.config) if not name.startswith("_") and name not in NOT_YET)

GETTERS = (
    "backend", "epsilon", "floatx", "image_data_format", "is_flash_attention_enabled",
    "is_interactive_logging_enabled", "is_nnx_enabled", "is_traceback_filtering_enabled", "max_epochs",
    "max_steps_per_epoch",
)


@pytest.mark.parametrize("name", KERAS_CONFIG_NAMES)
def test_every_keras_config_name_has_keras_parameters(name):
    ours, theirs = getattr(kerasx.config, name), getattr(keras.config, name)
    assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters)
    assert ours.__doc__ and "Example:" in ours.__doc__


@pytest.mark.parametrize("name", GETTERS)
def test_getters_answer_as_keras(name):
    assert getattr(kerasx.config, name)() == getattr(keras.config, name)()


@pytest.fixture
def restore_settings():
    """Both libraries' settings as they were before the test."""
    ours = dict(vars(_config.SETTINGS))
    theirs = {name: getattr(keras.config, name)() for name in GETTERS if name != "backend"}
    yield
    vars(_config.SETTINGS).update(ours)
    keras.config.set_floatx(theirs["floatx"])
    keras.config.set_epsilon(theirs["epsilon"])
    keras.config.set_image_data_format(theirs["image_data_format"])
    keras.config.set_max_epochs(theirs["max_epochs"])
    keras.config.set_max_steps_per_epoch(theirs["max_steps_per_epoch"])
    for switch in ("flash_attention", "interactive_logging", "traceback_filtering"):
        state = "enable" if theirs[f"is_{switch}_enabled"] is not False else "disable"
        getattr(keras.config, f"{state}_{switch}")()


CALLS = (
    ("set_floatx", ("float16",)),
    ("set_floatx", ("bfloat16",)),
    ("set_epsilon", (1e-4,)),
    ("set_image_data_format", ("channels_first",)),
    ("set_image_data_format", ("Channels_First",)),
    ("set_max_epochs", (3,)),
    ("set_max_epochs", (0,)),
    ("set_max_steps_per_epoch", (2,)),
    ("disable_flash_attention", ()),
    ("enable_flash_attention", ()),
    ("disable_interactive_logging", ()),
    ("disable_traceback_filtering", ()),
)


@pytest.mark.parametrize(("setter", "args"), CALLS, ids=[f"{s}{a}" for s, a in CALLS])
def test_setters_change_the_getters_as_in_keras(setter, args, restore_settings):
    getattr(kerasx.config, setter)(*args)
    getattr(keras.config, setter)(*args)
    for name in GETTERS:
        assert getattr(kerasx.config, name)() == getattr(keras.config, name)(), name


@pytest.mark.parametrize(("setter", "value"), [("set_floatx", "int8"), ("set_image_data_format", "nhwc")])
def test_invalid_values_are_value_errors_as_in_keras(setter, value, restore_settings):
    with pytest.raises(ValueError):
        getattr(keras.config, setter)(value)
    with pytest.raises(ValueError, match=value):
        getattr(kerasx.config, setter)(value)


def test_backend_namespace_shares_the_config_functions(restore_settings):
    for name in ("backend", "floatx", "set_floatx", "epsilon", "set_epsilon", "image_data_format"):
        assert getattr(kerasx.backend, name) is getattr(kerasx.config, name)
    kerasx.backend.set_image_data_format(data_format="channels_first")
    assert kerasx.config.image_data_format() == "channels_first"


def test_set_floatx_through_config_reaches_the_engine(restore_settings):
    kerasx.config.set_floatx("float64")
    assert kerasx.ops.convert_to_tensor(1.5).dtype == kerasx.ops.convert_to_tensor(np.float64(1.5)).dtype
    assert kerasx.layers.Dense(2)(np.ones((1, 3))).dtype == kerasx.ops.convert_to_tensor(np.ones(1)).dtype


def test_limits_refuse_what_is_no_count(restore_settings):
    with pytest.raises(ValueError, match=r"Received: max_epochs=-1"):
        kerasx.config.set_max_epochs(-1)
    with pytest.raises(ValueError, match=r"Received: max_steps_per_epoch='2'"):
        kerasx.config.set_max_steps_per_epoch("2")


# Process-wide settings, compared in fresh processes. ---------------------------------------------------------------
def _run_both(code: str, tmp_path, env=None, config=None) -> tuple:
    """`code` with `lib` bound to kerasx, then to keras, each in a fresh process (both at once); their printed JSON
    lines."""
    processes = {}
    for library in ("kerasx", "keras"):
        keras_home = tmp_path / library / "keras_home"
        keras_home.mkdir(parents=True)
        if config is not None:
            (keras_home / "keras.json").write_text(json.dumps(config))
        child_env = {"KERAS_BACKEND": BACKEND, "KERAS_HOME": str(keras_home), **(env or {})}
        script = f"import {library} as lib\nimport json\n" + textwrap.dedent(code)
        processes[library] = start_python(script, tmp_path / library, env=child_env, config=config)
    results = []
    for library, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, f"{library}:\n{stderr[-3000:]}"
        results.append(json.loads(stdout.strip().splitlines()[-1]))
    return tuple(results)


# One fresh process per library answers the three checks below (one per check would start an engine and Keras six
# times instead of twice per backend): it starts with a config file and the KERAS_MAX_* variables set, reads the
# settings, fits under the caps, then tries a Lambda model file before and after enabling unsafe deserialization.
SETTINGS_FILE = {"floatx": "float64", "epsilon": 1e-4, "image_data_format": "channels_first"}
CAPS = {"KERAS_MAX_EPOCHS": "2", "KERAS_MAX_STEPS_PER_EPOCH": "3"}
SETTINGS_CODE = """
    import warnings
    import numpy as np
    answers = {"settings": [lib.config.floatx(), lib.config.epsilon(), lib.config.image_data_format()]}
    if lib.config.backend() != "numpy":  # the numpy backend trains in neither library: fit has nothing to cap
        model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = model.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, epochs=4, verbose=0)
        limits = sorted({str(w.message) for w in caught if "Limiting" in str(w.message)})
        answers["caps"] = [lib.config.max_epochs(), lib.config.max_steps_per_epoch(), len(history.history["loss"]),
                           limits]
    outcomes = []
    try:
        lib.saving.load_model(LAMBDA_FILE)
        outcomes.append("loaded")
    except ValueError:
        outcomes.append("refused")
    lib.config.enable_unsafe_deserialization()
    model = lib.saving.load_model(LAMBDA_FILE)  # safe_mode=True by default: the switch overrides it
    outcomes.append(np.asarray(model.predict(np.arange(6.0).reshape(2, 3), verbose=0)).tolist())
    answers["unsafe"] = outcomes
    print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def process_answers(tmp_path_factory) -> dict:
    """{check: (kerasx's answer, Keras's answer)} from SETTINGS_CODE's two processes."""
    tmp_path = tmp_path_factory.mktemp("process_settings")
    inputs = keras.Input((3,))
    keras_model = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 2.0 + 1.0)(inputs))
    path = tmp_path / "lambda.keras"
    keras_model.save(path)
    code = f"LAMBDA_FILE = {str(path)!r}\n" + textwrap.dedent(SETTINGS_CODE)
    ours, theirs = _run_both(code, tmp_path, env=CAPS, config=SETTINGS_FILE)
    return {check: (ours.get(check), theirs.get(check)) for check in ("settings", "caps", "unsafe")}


def test_config_file_settings_read_as_keras_reads_its_own(process_answers):
    ours, theirs = process_answers["settings"]
    assert ours == theirs == ["float64", 1e-4, "channels_first"]


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend trains in neither library: fit has nothing to cap")
def test_environment_caps_fit_as_in_keras(process_answers):
    ours, theirs = process_answers["caps"]
    assert ours == theirs == [2, 3, 2, ["Limiting epochs to 2", "Limiting steps_per_epoch to 3"]]


def test_unsafe_deserialization_turns_safe_mode_off_as_in_keras(process_answers):
    ours, theirs = process_answers["unsafe"]
    assert ours == theirs == ["refused", [[1.0, 3.0, 5.0], [7.0, 9.0, 11.0]]]


# numpy, and one engine other than the current one (each run imports two engines in two processes).
SWITCH_TARGETS = ("numpy", "torch" if BACKEND == "jax" else "jax")


@pytest.mark.parametrize("target", SWITCH_TARGETS)
def test_set_backend_reimports_the_library_as_keras_does(target, tmp_path):
    pytest.importorskip(target)
    code = f"""
        import importlib, warnings
        before = lib
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.config.set_backend({target!r})
        lib = importlib.import_module(before.__name__)
        tensor_module = type(lib.ops.ones((2,))).__module__.split(".")[0]
        print(json.dumps([lib.config.backend(), lib is not before, tensor_module,
                          sorted({{w.category.__name__ for w in caught}})]))
    """
    ours, theirs = _run_both(code, tmp_path)
    assert ours == theirs
    assert ours[:2] == [target, True] and ours[3] == ["UserWarning"]


def test_set_backend_refuses_an_unknown_engine(tmp_path):
    with pytest.raises(ValueError, match=r"Received: backend='theano'"):
        kerasx.config.set_backend("theano")
    assert _set_backend.BAD_BACKEND.startswith("Unknown backend")
    # Keras's own set_backend sets KERAS_BACKEND and drops every module whose name starts with "keras" (kerasx's
    # too) before it fails: it runs in a process of its own so that this one keeps its environment and modules.
    code = """
        import keras
        try:
            keras.config.set_backend("theano")
        except ValueError as error:
            print("ValueError")
    """
    result = run_python(textwrap.dedent(code), tmp_path, env={"KERAS_BACKEND": BACKEND})
    assert result.stdout.split()[-1:] == ["ValueError"], result.stderr[-3000:]


def test_set_backend_also_removes_kerasx_modules_registered_under_keras_names(tmp_path):
    code = """
        import sys, warnings
        import kerasx
        sys.modules["keras"], sys.modules["keras.layers"] = kerasx, kerasx.layers  # as `python -m kerasx run` does
        warnings.simplefilter("ignore")
        kerasx.config.set_backend("numpy")
        print(sys.modules["kerasx"].config.backend(), "keras" in sys.modules, "keras.layers" in sys.modules)
    """
    result = run_python(textwrap.dedent(code), tmp_path, env={"KERAS_BACKEND": BACKEND})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["numpy", "False", "False"]
