"""Runs exported artifacts in their own runtimes, without kerasx: `python export_artifact_runner.py MANIFEST`.

MANIFEST is a JSON list of `{"format", "path", "data"}` (data: an `.npz` with the inputs `x` and the model's
predictions `expected`). For every artifact and batch sizes 1 and 7, the largest |artifact - expected| is printed as
one JSON object `{"<format>:<path>": {"1": error, "7": error}}` on the last line of stdout. The test process starts
this script once per module, so that each runtime (TensorFlow, onnxruntime, torch) loads the files afresh.
"""

import json
import sys

import numpy as np


def _saved_model(path):
    import tensorflow as tf

    reloaded = tf.saved_model.load(path)
    serving = reloaded.signatures["serving_default"]

    def run(x):
        by_attribute = reloaded.serve(tf.constant(x)).numpy()
        by_signature = next(iter(serving(tf.constant(x)).values())).numpy()
        # The attribute and the serving signature are the same function: both must give the model's numbers.
        return by_attribute if np.array_equal(by_attribute, by_signature) else np.full_like(by_attribute, np.inf)

    return run


def _onnx(path):
    import onnxruntime

    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return lambda x: session.run(None, {name: x})[0]


def _torch(path):
    import torch

    module = torch.export.load(path).module()
    return lambda x: module(torch.from_numpy(x)).detach().numpy()


LOADERS = {"tf_saved_model": _saved_model, "onnx": _onnx, "torch": _torch}


def main(manifest_path):
    with open(manifest_path) as file:
        manifest = json.load(file)
    results = {}
    for entry in manifest:
        data = np.load(entry["data"])
        run = LOADERS[entry["format"]](entry["path"])
        errors = {}
        for size in (1, 7):
            output = np.asarray(run(np.ascontiguousarray(data["x"][:size])))
            expected = data["expected"][:size]
            errors[str(size)] = float(np.abs(output - expected).max()) if output.shape == expected.shape else None
        results[f"{entry['format']}:{entry['path']}"] = errors
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1])
