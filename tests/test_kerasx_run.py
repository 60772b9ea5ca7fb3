"""`python -m kerasx run script.py [args]`: a Keras 3 program runs unchanged on kerasx, with `import keras` giving
kerasx's modules and `KERAS_BACKEND` picking the engine. The program below is checked to be a real Keras 3 program by
running it with Keras 3 too (`python script.py`), on the same engine; both runs must report the same facts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

import kerasx
from kerasx import _keras_alias

BACKEND = kerasx.config.backend()
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The shape of keras.io's MNIST convnet example, on random data.
CONVNET = '''
"""A small convnet on random 8x8 images, written against Keras 3's public API."""
import argparse
import json
import os
import sys

import numpy as np

import keras
import keras.ops
from keras import layers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.random((64, 8, 8, 1)).astype("float32")
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("int32")
    model = keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.Conv2D(4, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.1),
        layers.Dense(2, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    trains = keras.config.backend() != "numpy"  # the numpy backend of both libraries is inference-only
    history = model.fit(x, y, batch_size=16, epochs=args.epochs, verbose=0) if trains else None
    loss, accuracy = model.evaluate(x, y, verbose=0)
    row_sums = keras.ops.convert_to_numpy(keras.ops.sum(model(x[:4]), axis=-1))
    path = os.path.join(args.out, "convnet.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    print(json.dumps({
        "backend": keras.config.backend(),
        "argv": sys.argv[1:],
        "main": __name__ == "__main__",
        "epochs_run": len(history.history["loss"]) if trains else 0,
        "finite": bool(np.isfinite(loss) and 0.0 <= accuracy <= 1.0),
        "rows_sum_to_one": bool(np.allclose(row_sums, 1.0, atol=1e-5)),
        "restored_predicts_the_same": bool(np.allclose(
            restored.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)),
        "one_copy": sys.modules.get("keras.ops") is keras.ops and keras.ops is sys.modules[keras.ops.__name__],
        "params": model.count_params(),
    }))


if __name__ == "__main__":
    main()
'''


def _run(arguments, tmp_path, env=None):
    child_env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    child_env.update(
        KERAS_BACKEND=BACKEND,
        KERAS_HOME=str(tmp_path / "keras_home"),
        KERASX_HOME=str(tmp_path / "kerasx_home"),
        PYTHONPATH=os.pathsep.join(filter(None, [REPO_ROOT, os.environ.get("PYTHONPATH")])),
    )
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, *arguments], cwd=tmp_path, env=child_env, capture_output=True, text=True, timeout=600
    )


def _script(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_a_keras3_convnet_runs_unchanged_on_kerasx(tmp_path):
    script = _script(tmp_path, "convnet.py", CONVNET)
    arguments = [script, "--epochs", "2", "--out", str(tmp_path)]
    reports = []
    for runner in (["-m", "kerasx", "run"], []):
        result = _run([*runner, *arguments], tmp_path)
        assert result.returncode == 0, f"{runner or 'keras'}:\n{result.stderr[-4000:]}"
        reports.append(json.loads(result.stdout.strip().splitlines()[-1]))
    ours, theirs = reports
    assert ours == theirs
    assert ours["backend"] == BACKEND and ours["argv"] == arguments[1:]
    assert ours["main"] and ours["finite"] and ours["rows_sum_to_one"] and ours["restored_predicts_the_same"]
    assert ours["one_copy"] and ours["epochs_run"] == (0 if BACKEND == "numpy" else 2)


def test_keras_names_are_kerasx_modules_one_copy_each(tmp_path):
    script = _script(tmp_path, "names.py", """
        import sys
        import keras
        import keras.layers
        import keras.ops.numpy
        from keras import losses
        print(keras is sys.modules["kerasx"], keras.layers is sys.modules["kerasx.layers"],
              sys.modules["keras.ops.numpy"] is sys.modules["kerasx.ops.numpy"], losses is sys.modules["kerasx.losses"],
              keras.layers.__spec__.name, keras.layers.Dense.__module__.startswith("kerasx."))
    """)
    result = _run(["-m", "kerasx", "run", script], tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["True", "True", "True", "True", "kerasx.layers", "True"]


@pytest.mark.parametrize(("statement", "message"), [
    ("import keras.src.layers\nkeras.src.layers", r"`keras.src` is Keras 3's private implementation"),
    ("import keras.no_such_module", r"neither kerasx nor Keras 3 has it"),
])
def test_modules_kerasx_lacks_are_clear_errors(statement, message, tmp_path):
    script = _script(tmp_path, "missing.py", statement + "\n")
    result = _run(["-m", "kerasx", "run", script], tmp_path)
    assert result.returncode == 1
    # TensorFlow imports Keras 3 along with itself, private modules included: `import keras.src.layers` then binds
    # them, and the first use of `keras.src` is the error.
    private_loaded = BACKEND == "tensorflow" and "keras.src" in statement
    assert ("AttributeError" if private_loaded else "ModuleNotFoundError") in result.stderr
    assert re.search(message, result.stderr)


def test_a_keras_module_kerasx_lacks_is_named_as_such(monkeypatch):
    # kerasx serves every public module of Keras 3.15.1 now; a module a later Keras adds gets this message.
    monkeypatch.setattr(_keras_alias._missing, "keras_names", lambda parent: {"future_module"} if parent == "" else set())
    finder = _keras_alias.KerasAliasFinder()
    with pytest.raises(ModuleNotFoundError, match=r"'keras.future_module': Keras 3 has it, but kerasx does not"):
        finder.find_spec("keras.future_module")
    with pytest.raises(ModuleNotFoundError, match=r"'keras.other_module': neither kerasx nor Keras 3 has it"):
        finder.find_spec("keras.other_module")


def test_script_errors_and_exit_codes_are_the_scripts(tmp_path):
    failing = _script(tmp_path, "failing.py", """
        import keras
        def compute():
            raise ValueError("from the script")
        compute()
    """)
    result = _run(["-m", "kerasx", "run", failing], tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "ValueError: from the script"
    # As `python failing.py` shows it: no frame of the runner or of runpy.
    assert "runpy" not in result.stderr and "_keras_alias" not in result.stderr
    # TensorFlow's C++ logging may print lines before the traceback.
    assert lines[lines.index("Traceback (most recent call last):") + 1].startswith(f'  File "{failing}"')
    exiting = _script(tmp_path, "exiting.py", "import sys\nsys.exit(3)\n")
    assert _run(["-m", "kerasx", "run", exiting], tmp_path).returncode == 3


@pytest.mark.parametrize(("arguments", "status"), [([], 2), (["train.py"], 2), (["run"], 2), (["--help"], 0)])
def test_usage(arguments, status, tmp_path):
    # The usage text does not depend on the engine: the numpy backend spares importing one per case.
    result = _run(["-m", "kerasx", *arguments], tmp_path, env={"KERAS_BACKEND": "numpy"})
    assert result.returncode == status
    assert "usage: python -m kerasx run SCRIPT.py" in result.stdout + result.stderr


def test_the_finder_ignores_other_names_and_installs_once():
    finder = _keras_alias.KerasAliasFinder()
    assert finder.find_spec("kerasx.layers") is None and finder.find_spec("keras_hub") is None
    assert _keras_alias.kerasx_name("keras.ops.numpy") == "kerasx.ops.numpy"
