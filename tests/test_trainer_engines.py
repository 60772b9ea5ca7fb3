"""Same seed, same data, same model: every engine trains to the same loss (20 steps, 1e-4 relative).

The active engine trains in this process; the other two run this file as a script (`python
tests/test_trainer_engines.py`, one subprocess per engine, in parallel) and print their results as JSON. Initial
weights, dropout masks and the shuffle order all come from kerasx's own seeded generators, so they are identical
on every engine; what remains are float32 rounding differences of the engines' kernels.
"""

import importlib.util
import json
import os
import subprocess
import sys

import numpy as np

import kerasx
from kerasx import layers, losses, optimizers, utils

ENGINES = ("jax", "torch", "tensorflow")
NUM_STEPS = 20


def train_twenty_steps() -> dict:
    """Seeded MLP with dropout, SGD with momentum, shuffled batches: 5 epochs of 4 steps."""
    utils.set_random_seed(7)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype("float32")
    labels = np.argmax(x[:, :3] + 0.5 * x[:, 3:6], axis=1).astype("int32")
    inputs = layers.Input((8,))
    hidden = layers.Dense(16, activation="relu")(inputs)
    hidden = layers.Dropout(0.25)(hidden)
    model = kerasx.Model(inputs, layers.Dense(3)(hidden))
    initial = [w.tolist() for w in model.get_weights()]
    model.compile(
        optimizer=optimizers.SGD(learning_rate=0.1, momentum=0.9),
        loss=losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    history = model.fit(x, labels, batch_size=16, epochs=NUM_STEPS // 4, shuffle=True, verbose=0)
    return {
        "engine": kerasx.backend.backend(),
        "initial_weights": initial,
        "history": history.history["loss"],
        "loss": float(model.evaluate(x, labels, batch_size=64, verbose=0)),
        "iterations": int(np.asarray(kerasx.ops.convert_to_numpy(model.optimizer.iterations))),
    }


def _spawn(engine):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, KERAS_BACKEND=engine)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, os.path.abspath(__file__)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_twenty_steps_agree_across_engines():
    installed = [e for e in ENGINES if importlib.util.find_spec(e) is not None]
    active = kerasx.backend.backend()
    processes = {engine: _spawn(engine) for engine in installed if engine != active}
    results = {}
    if active in ENGINES:
        results[active] = train_twenty_steps()
    for engine, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, f"{engine} run failed:\n{stderr[-3000:]}"
        results[engine] = json.loads(stdout.strip().splitlines()[-1])
    assert len(results) >= 2, "needs at least two installed engines"
    reference_engine = sorted(results)[0]
    reference = results[reference_engine]
    assert reference["iterations"] == NUM_STEPS
    assert reference["history"][-1] < reference["history"][0]
    for engine, result in results.items():
        assert result["engine"] == engine and result["iterations"] == NUM_STEPS
        for actual, expected in zip(result["initial_weights"], reference["initial_weights"]):
            np.testing.assert_array_equal(np.float32(actual), np.float32(expected), err_msg=engine)
        np.testing.assert_allclose(result["history"], reference["history"], rtol=1e-4, err_msg=engine)
        np.testing.assert_allclose(result["loss"], reference["loss"], rtol=1e-4, err_msg=engine)


if __name__ == "__main__":
    print(json.dumps(train_twenty_steps()))
