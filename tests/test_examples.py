"""The examples run on the session's backend and print what they promise (one subprocess each)."""

import importlib.util

import numpy as np
import pytest

import support

QUICKSTART = support.REPO_ROOT / "examples" / "quickstart.py"


def test_quickstart_runs(tmp_path):
    code = f"import runpy; runpy.run_path({str(QUICKSTART)!r}, run_name='__main__')"
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": support.BACKEND})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"on backend {support.BACKEND!r}" in lines[0]
    assert "[[2.5, -0.5], [4.5, 5.5]]  (float32)" in result.stdout
    assert "[300.0, -99.0]  (int16)" in result.stdout
    assert "shape (None, 2), dtype float32" in result.stdout
    assert "random.normal((3,), seed=42)" in lines[-1]


# The seed guides' models (examples/<name>.py): each example's `main(steps=...)` builds its model, prints the summary,
# checks the output shapes and trains for `steps` batches (predicts on the numpy backend). Imported by path and run
# in this process: one interpreter start for all of them.
SEED_EXAMPLES = [
    "functional_mlp",
    "model_as_layer",
    "time_distributed_model",
    "multi_input_multi_output",
    "shared_lstm_tweets",
    "inception_module",
    "residual_connection",
    "shared_vision_model",
    "visual_question_answering",
    "video_question_answering",
]
EXAMPLES_DIR = support.REPO_ROOT / "examples"


def _load_example(name: str):
    spec = importlib.util.spec_from_file_location(f"kerasx_examples.{name}", EXAMPLES_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", SEED_EXAMPLES)
def test_seed_example_runs(name, capsys, monkeypatch):
    # video_question_answering reuses the picture model of visual_question_answering, as the seed does.
    monkeypatch.syspath_prepend(str(EXAMPLES_DIR))
    model, history = _load_example(name).main(steps=2)
    printed = capsys.readouterr().out
    assert f'Model: "{model.name}"' in printed
    assert f"Total params: {model.count_params():,}" in printed
    if support.TRAINS:
        losses = history.history["loss"]
        assert len(losses) == 1 and np.isfinite(losses[0])
        assert "after 2 steps" in printed
    else:
        assert history is None


def test_seed_examples_listed():
    scripts = {path.stem for path in EXAMPLES_DIR.glob("*.py")}
    assert set(SEED_EXAMPLES) <= scripts
