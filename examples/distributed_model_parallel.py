"""Model-parallel Dense stack on JAX: kernels sharded across the mesh's "model" axis, batches across "batch".

    KERAS_BACKEND=jax python examples/distributed_model_parallel.py   # 4 simulated CPU devices: a 2 x 2 mesh

The first kernel is split by columns and the second by rows (each device multiplies its own block), the optimizer's
slots follow their variable's layout, and every other variable is replicated. On TensorFlow and torch (not yet)
ModelParallel raises an error that says what to use instead.
"""

import os

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=4")

import numpy as np  # noqa: E402

import kerasx  # noqa: E402
from kerasx import distribution  # noqa: E402


def main(epochs=2):
    devices = distribution.list_devices()
    if len(devices) < 4:
        print(f"backend {kerasx.backend.backend()!r} sees {len(devices)} device(s): this example needs 4 (JAX "
              "simulates them on the CPU).")
        return None
    mesh = distribution.DeviceMesh((2, 2), ("batch", "model"), devices[:4])
    layout_map = distribution.LayoutMap(mesh)
    layout_map["up/kernel"] = (None, "model")  # (32, 256) -> (32, 128) per device
    layout_map["up/bias"] = ("model",)
    layout_map["down/kernel"] = ("model", None)  # (256, 8) -> (128, 8) per device
    model_parallel = distribution.ModelParallel(layout_map=layout_map, batch_dim_name="batch")

    rng = np.random.default_rng(0)
    x = rng.normal(size=(512, 32)).astype("float32")
    y = (x[:, :8] * 2.0).astype("float32")
    with model_parallel.scope():
        model = kerasx.Sequential([
            kerasx.Input((32,)),
            kerasx.layers.Dense(256, activation="relu", name="up"),
            kerasx.layers.Dense(8, name="down"),
        ])
        model.compile("adam", "mse")
        try:
            history = model.fit(x, y, batch_size=64, epochs=epochs, verbose=0)
        except ValueError as error:
            print(f"backend {kerasx.backend.backend()!r}: {error}")
            return None
    print(f"backend 'jax', mesh {mesh.shape} {mesh.axis_names}")
    for variable in model.layers[0].kernel, model.layers[1].kernel:
        shards = sorted({tuple(s.data.shape) for s in variable.value.addressable_shards})
        print(f"{variable.path}: shape {variable.shape}, each device holds {shards}")
    print("loss per epoch: " + ", ".join(f"{loss:.4f}" for loss in history.history["loss"]))
    return history


if __name__ == "__main__":
    main()
