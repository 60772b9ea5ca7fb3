"""`import kerasx` imports only the selected engine, writes no file and sets no environment variable.

The engines themselves are not that quiet: TensorFlow 2.21 imports jax when it is installed, writes
`~/.keras/keras.json` and sets TF_* variables; jax sets TF_CPP_MIN_LOG_LEVEL. So each check compares a fresh
`import kerasx` against a fresh `import <engine>` alone, in identical empty HOME, KERASX_HOME and working
directories, and asserts kerasx adds nothing. Only the session's own backend is probed (two subprocesses).
"""

import json

import pytest

import support

ENGINE_OF_BACKEND = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow", "numpy": "numpy"}

PROBE = """
import json, os, sys
before = dict(os.environ)
import {module}
after = dict(os.environ)
changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
roots = [os.environ[name] for name in ("HOME", "KERASX_HOME")] + [os.getcwd()]
files = sorted(
    os.path.relpath(os.path.join(d, f), os.path.dirname(os.getcwd()))
    for root in roots for d, dirs, names in os.walk(root) for f in dirs + names
)
engines = sorted(m for m in {engines!r} if m in sys.modules)
print(json.dumps({{"engines": engines, "env": {{k: after.get(k) for k in changed}}, "files": files}}))
"""


def probe(module: str, tmp_path) -> dict:
    code = PROBE.format(module=module, engines=support.ENGINE_MODULES)
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": support.BACKEND})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def probes(tmp_path_factory) -> dict:
    engine = ENGINE_OF_BACKEND[support.BACKEND]
    return {
        "engine": probe(engine, tmp_path_factory.mktemp("engine_alone")),
        "kerasx": probe("kerasx", tmp_path_factory.mktemp("kerasx")),
    }


def test_import_adds_no_other_engine(probes):
    assert probes["kerasx"]["engines"] == probes["engine"]["engines"]
    if support.BACKEND in ("jax", "torch"):
        assert probes["kerasx"]["engines"] == [support.BACKEND]
    elif support.BACKEND == "numpy":
        assert probes["kerasx"]["engines"] == []
    else:
        assert "tensorflow" in probes["kerasx"]["engines"]
        assert "torch" not in probes["kerasx"]["engines"]


def test_import_writes_no_file(probes):
    assert probes["kerasx"]["files"] == probes["engine"]["files"]
    assert not any(path.startswith("kerasx_home") or path.startswith("cwd") for path in probes["kerasx"]["files"])


def test_import_sets_no_environment_variable(probes):
    assert probes["kerasx"]["env"] == probes["engine"]["env"]


GC_PROBE = """
import gc
{before}
import kerasx
print(gc.isenabled())
"""


@pytest.mark.parametrize("disabled_by_user", [False, True])
def test_import_leaves_garbage_collection_as_it_was(tmp_path, disabled_by_user):
    # kerasx pauses collection while its own modules load: afterwards it is on again, unless the user had it off.
    code = GC_PROBE.format(before="gc.disable()" if disabled_by_user else "")
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": support.BACKEND})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(not disabled_by_user)
