"""Model-parallel Dense stack on JAX and torch: kernels sharded across the mesh's "model" axis, batches across "batch".

    KERAS_BACKEND=jax python examples/distributed_model_parallel.py       # 4 simulated CPU devices: a 2 x 2 mesh
    KERAS_BACKEND=torch torchrun --nproc_per_node=2 examples/distributed_model_parallel.py   # 2 gloo processes: 1 x 2

The first kernel is split by columns and the second by rows (each device multiplies its own block), the optimizer's
slots follow their variable's layout, and every other variable is replicated. JAX places the shards with
`jax.sharding`; torch makes the variables DTensors (`torch.distributed.tensor`), one process per device. On
TensorFlow, ModelParallel raises an error that says what to use instead.

On several hosts, start the same script on each one: JAX with `distribution.initialize("host0:1234", num_processes,
process_id)` first in the script; torch with `torchrun --nnodes=N --node_rank=i --master_addr=host0
--nproc_per_node=D examples/distributed_model_parallel.py`.
"""

import os

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=4")

import numpy as np

import kerasx
from kerasx import distribution


def local_shapes(variable) -> list:
    """The shapes of the parts of `variable` this process holds (one per local device)."""
    value = variable.value
    if hasattr(value, "addressable_shards"):  # a JAX array
        return sorted({tuple(shard.data.shape) for shard in value.addressable_shards})
    if hasattr(value, "to_local"):  # a torch DTensor
        return [tuple(value.to_local().shape)]
    return [tuple(variable.shape)]


def main(epochs=2):
    if "WORLD_SIZE" in os.environ:  # launched by torchrun
        distribution.initialize()
    devices = distribution.list_devices()
    if len(devices) < 2:
        print(f"backend {kerasx.backend.backend()!r} sees {len(devices)} device(s): this example needs 2 or more "
              "(JAX simulates them on the CPU; torch: launch 2 processes with torchrun).")
        return None
    devices = devices[:4] if len(devices) >= 4 else devices[:2]
    mesh = distribution.DeviceMesh((len(devices) // 2, 2), ("batch", "model"), devices)
    layout_map = distribution.LayoutMap(mesh)
    layout_map[".*up/kernel"] = (None, "model")  # (32, 256) -> (32, 128) per device
    layout_map[".*up/bias"] = ("model",)
    layout_map[".*down/kernel"] = ("model", None)  # (256, 8) -> (128, 8) per device
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
    if distribution.process_id() == 0:
        print(f"backend {kerasx.backend.backend()!r}, mesh {mesh.shape} {mesh.axis_names}")
        for variable in model.layers[0].kernel, model.layers[1].kernel:
            print(f"{variable.path}: shape {variable.shape}, each device holds {local_shapes(variable)}")
        print("loss per epoch: " + ", ".join(f"{loss:.4f}" for loss in history.history["loss"]))
    return history


if __name__ == "__main__":
    main()
