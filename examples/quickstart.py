"""kerasx quick start: one script, every engine.

    KERAS_BACKEND=jax python examples/quickstart.py
    KERAS_BACKEND=torch python examples/quickstart.py
    KERAS_BACKEND=tensorflow python examples/quickstart.py
    KERAS_BACKEND=numpy python examples/quickstart.py

Every line of output is the same on every engine, except the first (the backend's name).
"""

import numpy as np

import kerasx
import kerasx.random
from kerasx import ops


def show(label: str, x) -> None:
    values = np.round(ops.convert_to_numpy(x).astype("float64"), 6).tolist()
    print(f"{label:<38} {values}  ({ops.dtype(x)})")


def main() -> None:
    print(f"kerasx {kerasx.__version__} on backend {kerasx.backend.backend()!r}, floatx {kerasx.backend.floatx()}")

    x = ops.convert_to_tensor([[1.0, -2.0], [3.0, 4.0]])
    show("x", x)
    show("x + 1.5 (weak Python float)", ops.add(x, 1.5))
    show("relu(x)", ops.relu(x))
    show("inv(x)", ops.inv(x))

    # One promotion table (JAX's lattice) for every engine: int8 + uint8 is int16 everywhere, where TensorFlow on its
    # own refuses to add mixed dtypes.
    small = ops.cast(ops.convert_to_tensor([100, -100]), "int8")
    show("int8 + uint8", ops.add(small, ops.convert_to_tensor(np.array([200, 1], dtype="uint8"))))

    # Symbolic tensors: shapes and dtypes flow through ops without running the engine.
    batch = ops.KerasTensor((None, 2), "int32")
    symbolic = ops.relu(ops.add(batch, 0.5))
    print(f"{'symbolic relu((None, 2) int32 + 0.5)':<38} shape {symbolic.shape}, dtype {symbolic.dtype}")

    bias = kerasx.Variable(np.zeros((2,), dtype="float32"), name="bias")
    bias.assign(ops.add(bias, 0.25))
    show(f"Variable {bias.path!r} after assign", bias)

    # Counter-based Threefry bits, turned into floats the same way everywhere: the same seed gives bit-identical
    # numbers on every engine (printed in full, not rounded).
    draw = ops.convert_to_numpy(kerasx.random.normal((3,), seed=42))
    print(f"{'random.normal((3,), seed=42)':<38} {draw.tolist()}  ({draw.dtype})")


if __name__ == "__main__":
    main()
