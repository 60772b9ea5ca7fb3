"""The saved-model workload of the bench: predict latency at each batch size, `port_check`'s per-output and
per-layer values on fixed inputs, and (with `train`) training steps on random data shaped like the model's inputs
and targets shaped for its loss."""

from __future__ import annotations

import statistics
import time

import numpy as np

import kerasx
from kerasx import port_check, saving, tree
from kerasx._bench._timing import Recorder

NO_INPUTS = (
    "The bench needs to know the inputs of model '{name}' (a functional or Sequential model with an Input) to make "
    "random data for it. Received: a model without `inputs`. Save a functional or Sequential model instead."
)


def _shape(tensor, batch_size: int) -> tuple:
    return tuple(batch_size if i == 0 else (4 if d is None else d) for i, d in enumerate(tensor.shape))


def random_batch(tensors, batch_size: int, rng) -> list:
    """Random arrays for `tensors` (Keras tensors) with `batch_size` samples: integers 0 or 1 for integer inputs
    (valid indices for any Embedding), standard normal values otherwise."""
    arrays = []
    for tensor in tensors:
        dtype = str(tensor.dtype)
        shape = _shape(tensor, batch_size)
        if "int" in dtype or dtype == "bool":
            arrays.append(rng.integers(0, 2, size=shape).astype(dtype))
        else:
            arrays.append(rng.standard_normal(shape).astype(dtype))
    return arrays


def _loss_name(loss) -> str:
    name = loss if isinstance(loss, str) else getattr(loss, "name", None) or getattr(loss, "__name__", "")
    return str(name).lower()


def random_targets(model, batch_size: int, rng) -> list:
    """Targets for each output that the output's loss accepts: class indices for sparse categorical losses,
    one-hot rows for categorical ones, 0/1 for binary ones, standard normal values otherwise."""
    losses = model.loss if isinstance(model.loss, (list, tuple)) else [model.loss] * len(model.outputs)
    targets = []
    for output, loss in zip(model.outputs, losses):
        shape = _shape(output, batch_size)
        name = _loss_name(loss)
        if "sparse" in name:
            targets.append(rng.integers(0, shape[-1], size=shape[:-1]).astype("int32"))
        elif "categorical" in name:
            targets.append(np.eye(shape[-1], dtype="float32")[rng.integers(0, shape[-1], size=shape[:-1])])
        elif "binary" in name or "hinge" in name:
            targets.append(rng.integers(0, 2, size=shape).astype("float32"))
        else:
            targets.append(rng.standard_normal(shape).astype("float32"))
    return targets


def _single(arrays: list):
    return arrays[0] if len(arrays) == 1 else arrays


def _latencies(model, batch_sizes, repeats: int, rng) -> tuple:
    seconds = {}
    for batch_size in batch_sizes:
        x = _single(random_batch(model.inputs, batch_size, rng))
        model.predict(x, batch_size=batch_size, verbose=0)  # traces and compiles for this shape
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            model.predict(x, batch_size=batch_size, verbose=0)
            times.append(time.perf_counter() - started)
        seconds[str(batch_size)] = statistics.median(times)
    throughput = {size: int(size) / value for size, value in seconds.items()}
    return {size: value * 1000 for size, value in seconds.items()}, throughput


def _port_check_values(model, path: str) -> None:
    """The model's outputs and every layer's on two fixed random samples, as `port_check` compares them."""
    x = _single(random_batch(model.inputs, 2, np.random.default_rng(0)))
    arrays = {f"output/{i}": np.asarray(leaf) for i, leaf in enumerate(tree.flatten(model.predict(x, verbose=0)))}
    probe, names = port_check._probe_outputs(model, kerasx)
    if probe is not None:
        values = tree.flatten(probe.predict(x, verbose=0))
        arrays.update({f"layer/{name}": np.asarray(value) for name, value in zip(names, values)})
    np.savez(path, **arrays)  # pyright: ignore[reportArgumentType] - names, not allow_pickle


def run(spec: dict, recorder: Recorder) -> dict:
    """Loads `spec["path"]` and measures it; the fit (with `spec["train"]`) is timed by `recorder`."""
    model = saving.load_model(spec["path"], compile=bool(spec["train"]))
    if not getattr(model, "inputs", None):
        raise ValueError(NO_INPUTS.format(name=model.name))
    rng = np.random.default_rng(0)
    predict_ms, predict_samples_per_s = _latencies(model, spec["batch_sizes"], spec["predict_repeats"], rng)
    _port_check_values(model, spec["out"] + ".npz")
    if spec["train"] and kerasx.backend.backend() != "numpy":
        if not getattr(model, "compiled", False):
            model.compile(optimizer="adam", loss="mse")
        batch_size = max(spec["batch_sizes"])
        count = batch_size * spec["train_steps"]
        x = _single(random_batch(model.inputs, count, rng))
        y = _single(random_targets(model, count, rng))
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)
    return {"predict_ms": predict_ms, "predict_samples_per_s": predict_samples_per_s}
