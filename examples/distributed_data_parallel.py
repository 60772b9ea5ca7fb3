"""Data-parallel `fit` on the selected engine: three added lines turn a single-device `fit` into a distributed one.

    KERAS_BACKEND=jax python examples/distributed_data_parallel.py          # 4 simulated CPU devices (or the GPUs)
    KERAS_BACKEND=tensorflow python examples/distributed_data_parallel.py   # 2 logical CPU devices (or the GPUs)
    KERAS_BACKEND=torch torchrun --nproc_per_node=2 examples/distributed_data_parallel.py   # 2 gloo processes

Several hosts: torch `torchrun --nnodes=2 --node_rank=i --master_addr=host0 --nproc_per_node=D ...`; TensorFlow with
`TF_CONFIG` set on each worker (MultiWorkerMirroredStrategy); JAX with `distribution.initialize("host0:port",
num_processes, process_id)` added first in `main`.

Each batch of 64 is split across the devices (JAX: sharded along the mesh's "batch" axis; TensorFlow: one slice per
MirroredStrategy replica; torch: one slice per rank, gradients all-reduced). The weights after training equal
single-device training on the same global batches, and only process 0 writes the checkpoint.
"""

import os
import sys
import tempfile

BACKEND = os.environ.get("KERAS_BACKEND", "jax")
# Simulated devices must be configured before the engine starts: on a machine without accelerators, split the CPU.
if BACKEND == "jax":
    os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=4")
if BACKEND == "tensorflow":
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import numpy as np  # noqa: E402

import kerasx  # noqa: E402
from kerasx import distribution  # noqa: E402


def make_model():
    model = kerasx.Sequential([
        kerasx.Input((20,)),
        kerasx.layers.Dense(64, activation="relu", name="hidden"),
        kerasx.layers.Dense(10, name="logits"),
    ])
    model.compile("adam", kerasx.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return model


def main(epochs=2):
    if "WORLD_SIZE" in os.environ or "TF_CONFIG" in os.environ:  # launched by torchrun, or a TensorFlow cluster
        distribution.initialize()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1024, 20)).astype("float32")
    y = (x[:, :10].argmax(axis=1)).astype("int32")

    # The three added lines: pick the devices, make the distribution current, and build the model as usual.
    data_parallel = distribution.DataParallel()
    distribution.set_distribution(data_parallel)
    model = make_model()

    if distribution.process_id() == 0:
        print(f"backend {BACKEND!r}, {distribution.num_processes()} process(es), "
              f"devices {distribution.list_devices()}, mesh {data_parallel.device_mesh.shape}")
    if kerasx.backend.backend() not in ("jax", "tensorflow", "torch"):
        print("The numpy backend is inference only: predicting instead of training.")
        return model.predict(x[:8], verbose=0)
    checkpoint = os.path.join(tempfile.mkdtemp(), "model.weights.h5")
    history = model.fit(
        x, y, batch_size=64, epochs=epochs, verbose=0,
        callbacks=[kerasx.callbacks.ModelCheckpoint(checkpoint, save_weights_only=True)],
    )
    if distribution.process_id() == 0:
        for epoch, (loss, accuracy) in enumerate(zip(history.history["loss"], history.history["accuracy"])):
            print(f"epoch {epoch + 1}: loss {loss:.4f}, accuracy {accuracy:.4f}")
        print(f"checkpoint written by process 0: {os.path.exists(checkpoint)}")
    distribution.set_distribution(None)
    return history


if __name__ == "__main__":
    main(epochs=int(sys.argv[1]) if len(sys.argv) > 1 else 2)
