"""The generative and sequence examples of the seed (examples/<name>.py) run with `--quick` on the session's engine:
each trains with its hand-written loop (value_and_grad and the optimizer, one code for every engine) and with `fit`,
prints what a person judges it by, and its loss falls; with one seed the loss curves agree across engines."""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import kerasx as keras
import support

EXAMPLES_DIR = support.REPO_ROOT / "examples"
CURVES = support.REPO_ROOT / "tests" / "examples_seed_curves.json"
EXAMPLES = ["text_generation", "dcgan", "translation_attention", "image_captioning"]
# What each prints for a person to judge (besides the two training lines every one prints).
PRINTS = {
    "text_generation": ("validation loss", "unigram baseline", "sampled: 'Beautiful"),
    "dcgan": ("discriminator loss", "generator loss", "fit: d_loss"),
    "translation_attention": ("exact-sentence accuracy on 100 held-out pairs", "' -> '"),
    "image_captioning": ("exact captions of 24 held-out images", "  'a "),
}
# One intra-op thread per engine: on a loaded 2-core machine torch's two-thread GRU took 0.7 s a step (its
# per-time-step work synchronises threads that other processes preempt), one thread 40 ms.
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
}

needs_training = pytest.mark.skipif(not support.TRAINS, reason="the examples train; the numpy backend is inference only")


def _command(name, *arguments):
    return [sys.executable, str(EXAMPLES_DIR / f"{name}.py"), *arguments]


def _environment(backend, tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("KERAS_BACKEND", "PYTHONPATH")}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(ONE_THREAD, KERAS_BACKEND=backend, HOME=str(home), KERASX_HOME=str(home / ".kerasx"),
               PYTHONPATH=str(support.REPO_ROOT), MPLBACKEND="Agg")
    return env


# Each hand-written loop compiles its step once (`keras.backend.compile_step`); run op by op, jax compiled every op of
# the step on its first call (the translator's first step: 76 s on a 2-core machine at load average 11). What a quick
# run still spends on jax and tensorflow is imports and first-call compilations (the greedy decoding, `fit`'s step).
# The text generator runs in the normal suite; the three others carry the `applications` marker (the slow tests'
# sessions, `nox -s applications`).
SLOW = pytest.mark.applications


@needs_training
@pytest.mark.parametrize(
    "name", [name if name == "text_generation" else pytest.param(name, marks=SLOW) for name in EXAMPLES]
)
def test_example_quick_run(name, tmp_path):
    curve = tmp_path / "curve.json"
    arguments = ["--quick", "--curve", str(curve)]
    if name in ("dcgan", "translation_attention"):
        arguments += ["--output-dir", str(tmp_path)]
    result = subprocess.run(_command(name, *arguments), capture_output=True, text=True, timeout=300,
                            cwd=tmp_path, env=_environment(support.BACKEND, tmp_path))
    assert result.returncode == 0, result.stderr[-4000:]
    assert "hand-written loop:" in result.stdout and "fit:" in result.stdout, result.stdout
    for text in PRINTS[name]:
        assert text in result.stdout, result.stdout
    losses = np.array(json.loads(curve.read_text()))
    assert np.all(np.isfinite(losses))
    # The first four steps against the last four: a trained discriminator (first column for the GAN) and the other
    # examples' single loss all fall within the quick run.
    first, last = losses[:4], losses[-4:]
    if losses.ndim == 2:
        first, last = first[:, 0], last[:, 0]
    assert last.mean() < first.mean() - 0.05, losses
    # With the same seed every engine starts from the same weights and draws the same batches: the first 20 steps
    # give the losses recorded (on torch) in examples_seed_curves.json, to 1e-4.
    reference = json.loads(CURVES.read_text())[name]
    np.testing.assert_allclose(losses[:20], reference, rtol=0, atol=1e-4)
    if name == "text_generation":
        match = re.search(r"validation loss ([0-9.]+) nats/char \(unigram baseline ([0-9.]+)\)", result.stdout)
        assert match and float(match[1]) < float(match[2]), result.stdout
    expected = {"dcgan": "dcgan_digits.png", "translation_attention": "attention.png"}.get(name)
    if expected and _has_matplotlib():  # an optional extra: the examples print without it
        assert (tmp_path / expected).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _has_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


class _OwnOptimizer(keras.Model):
    """A custom train_step that updates with an optimizer of its own (as the DCGAN's GAN does with two)."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1, use_bias=False, kernel_initializer="ones")
        self.own_optimizer = keras.optimizers.SGD(0.1)

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data

        def loss_fn():
            return keras.ops.mean(keras.ops.square(self(x) - y)), None

        variables = self.dense.trainable_variables
        loss, _, grads = self.compute_gradients(loss_fn, variables)
        self.own_optimizer.apply(grads, variables)
        return {"loss": loss}


@needs_training
def test_compiled_custom_step_updates_with_its_own_optimizer():
    # On jax the compiled step's state once held only `model.optimizer`'s variables: the own optimizer's iteration
    # count was refused as an untracked assignment.
    model = _OwnOptimizer()
    model.compile(optimizer="sgd")
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    model.fit(x, y, batch_size=4, epochs=3, verbose=0)
    kernel = np.ones((2, 1))
    for _ in range(3):  # d/dw mean((x @ w)^2) = 2 * mean(x @ w) * x
        kernel -= 0.1 * 2 * kernel.sum()
    support.assert_close(model.dense.kernel, kernel.astype("float32"))
    assert int(keras.ops.convert_to_numpy(model.own_optimizer.iterations)) == 3


def _one_step_gru_weights(compiled):
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((1, 3)), keras.layers.GRU(4), keras.layers.Dense(1)])
    # "auto": XLA on TensorFlow and jax for this model; torch runs it eagerly either way.
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse", jit_compile="auto", run_eagerly=not compiled)
    rng = np.random.default_rng(3)
    model.fit(rng.random((8, 1, 3), dtype="float32"), rng.random((8, 1), dtype="float32"), batch_size=4, verbose=0)
    return [support.to_numpy(v) for v in model.trainable_variables]


@needs_training
def test_compiled_step_through_a_one_step_gru():
    # The translation and captioning decoders run their GRU one time step at a time. On TensorFlow the compiled
    # (XLA) step failed: its scan kept a while loop bounded at zero trips, whose gradient XLA refuses.
    for compiled, eager in zip(_one_step_gru_weights(True), _one_step_gru_weights(False)):
        np.testing.assert_allclose(compiled, eager, rtol=1e-5, atol=1e-6)


def test_examples_listed_in_readme():
    readme = (support.REPO_ROOT / "README.md").read_text()
    for name in EXAMPLES:
        assert f"examples/{name}.py" in readme
