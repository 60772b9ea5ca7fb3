"""NumPy backend: inference only, so both entry points explain what to do instead."""

from __future__ import annotations

from kerasx.backend._unfused import fused_adam_update  # noqa: F401 - part of the trainer contract
from kerasx.backend.numpy import core
from kerasx.backend.numpy.core import NO_TRAINING


def compute_gradients(loss_fn, variables):
    raise RuntimeError(NO_TRAINING.format(what="compute_gradients (training)"))


def make_step(fn, state_variables, jit_compile=True, training=True, eager=False):
    # Inference steps (evaluate/predict) run as plain Python; training fails earlier in compute_gradients.
    return fn


def step_input(array, dtype):
    return core.convert_to_tensor(array, dtype)


def auto_jit_compile(convolutional=False):
    return False


def iterations_dtype():
    return "int32"


def native_dataset(dataset):
    return dataset
