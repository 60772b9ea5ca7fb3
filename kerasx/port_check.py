"""`python -m kerasx.port_check MODEL.keras [--inputs FILE.npz] [--tolerance 1e-5]`: does a model predict the same
on every engine?

Loads the model under each installed backend (one subprocess each, `KERAS_BACKEND=...`), runs the same inputs (the
arrays of FILE.npz, by input name or in order; random ones if none), and prints the largest absolute difference of
each output and each layer's output against the first backend (numpy, the reference, when installed). Exits 1 when
an output differs by more than the tolerance, 2 when a backend cannot load or run the model.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import subprocess
import sys
import tempfile

import numpy as np

ENGINES = ("numpy", "jax", "torch", "tensorflow")


def installed_backends() -> list:
    return [name for name in ENGINES if name == "numpy" or importlib.util.find_spec(name) is not None]


# Worker: runs in one backend ---------------------------------------------------------------------------------------
def _random_input(tensor, rng):
    shape = tuple(2 if i == 0 and d is None else (4 if d is None else d) for i, d in enumerate(tensor.shape))
    dtype = str(tensor.dtype)
    if "int" in dtype:
        return rng.integers(0, 2, size=shape).astype(dtype)
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    return rng.standard_normal(shape).astype(dtype)


def _model_inputs(model) -> list:
    inputs = getattr(model, "inputs", None)
    if not inputs:
        raise ValueError(
            f"port_check needs to know the inputs of model '{model.name}' (a functional or Sequential model with an "
            "Input); pass them with --inputs FILE.npz."
        )
    return list(inputs)


def _read_inputs(path, model) -> list:
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    names = [t.name for t in getattr(model, "inputs", None) or []]
    if names and all(name in arrays for name in names):
        return [arrays[name] for name in names]
    return list(arrays.values())


def _probe_outputs(model, kerasx):
    """A model returning every layer's output besides the model's, when the graph allows it."""
    layers = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        try:
            output = layer.output
        except (AttributeError, ValueError, RuntimeError):
            continue
        layers.append((layer.name, output))
    if not layers:
        return None, []
    try:
        probe = kerasx.Model(model.inputs, [output for _, output in layers])
    except (ValueError, TypeError, AttributeError):
        return None, []
    return probe, [name for name, _ in layers]


def run_worker(model_path, inputs_path, out_path, make_inputs) -> None:
    kerasx = importlib.import_module("kerasx")
    saving = importlib.import_module("kerasx.saving")
    model = saving.load_model(model_path, compile=False)
    if make_inputs:
        rng = np.random.default_rng(0)
        arrays = [_random_input(t, rng) for t in _model_inputs(model)]
        np.savez(inputs_path, *arrays)
    else:
        arrays = _read_inputs(inputs_path, model)
    x = arrays[0] if len(arrays) == 1 else arrays
    results = {}
    outputs = model.predict(x, verbose=0)
    for i, output in enumerate(outputs if isinstance(outputs, (list, tuple)) else [outputs]):
        results[f"output/{i}"] = np.asarray(output)
    probe, names = _probe_outputs(model, kerasx)
    if probe is not None:
        values = probe.predict(x, verbose=0)
        values = values if isinstance(values, (list, tuple)) else [values]
        for name, value in zip(names, values):
            results[f"layer/{name}"] = np.asarray(value)
    np.savez(out_path, **results)


# Driver -----------------------------------------------------------------------------------------------------------
def _run_backend(backend, model, inputs, out, make_inputs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "kerasx.port_check", model, "--worker", out, "--inputs", inputs]
    if make_inputs:
        command.append("--make-inputs")
    env = dict(os.environ, KERAS_BACKEND=backend)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def _max_diff(a, b) -> float:
    if a.shape != b.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))


def compare(model, inputs=None, tolerance=1e-5, backends=None, print_fn=print) -> int:
    """Runs the check; returns the exit status (0 same predictions, 1 above tolerance, 2 a backend failed)."""
    backends = list(backends or installed_backends())
    results = {}
    with tempfile.TemporaryDirectory(prefix="kerasx_port_check_") as directory:
        make_inputs = inputs is None
        inputs = inputs or os.path.join(directory, "inputs.npz")
        for backend in backends:
            out = os.path.join(directory, f"{backend}.npz")
            completed = _run_backend(backend, model, inputs, out, make_inputs)
            make_inputs = False
            if completed.returncode != 0:
                print_fn(f"{backend}: FAILED to load or run the model\n{completed.stderr.strip()[-2000:]}")
                return 2
            with np.load(out) as data:
                results[backend] = {key: data[key] for key in data.files}
    reference_name = backends[0]
    reference = results[reference_name]
    status = 0
    print_fn(f"port_check {model}: max |difference| against {reference_name} (tolerance {tolerance:g})")
    for backend in backends[1:]:
        for key in sorted(reference):
            if key in results[backend]:
                diff = _max_diff(results[backend][key], reference[key])
            else:
                diff = float("inf")
            above = key.startswith("output/") and diff > tolerance
            status = 1 if above else status
            flag = "  ABOVE TOLERANCE" if above else ""
            print_fn(f"  {backend:<11} {key:<40} {diff:.3g}{flag}")
    print_fn("OK: predictions agree on " + ", ".join(backends) if status == 0 else "FAILED: outputs differ")
    return status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kerasx.port_check", description=__doc__.split("\n\n")[0])  # pyright: ignore[reportOptionalMemberAccess] - the module has a docstring
    parser.add_argument("model", help="path of a .keras file")
    parser.add_argument("--inputs", help=".npz file with one array per model input (random inputs if omitted)")
    parser.add_argument("--tolerance", type=float, default=1e-5, help="largest allowed max abs difference")
    parser.add_argument("--backends", help="comma-separated backends (default: every installed one)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--make-inputs", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        run_worker(args.model, args.inputs, args.worker, args.make_inputs)
        return 0
    backends = args.backends.split(",") if args.backends else None
    return compare(args.model, args.inputs, args.tolerance, backends)


if __name__ == "__main__":
    sys.exit(main())
