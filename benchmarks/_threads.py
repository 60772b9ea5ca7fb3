"""Thread counts, set the same way for every contender: environment variables before the engine is imported (the
child process gets them from `run.py`), then the engine's own setters right after import."""

from __future__ import annotations

import importlib
import os


def thread_env(threads: int) -> dict:
    """Environment variables that cap the engines' thread pools at `threads` intra-op threads, 1 inter-op."""
    env = {
        "OMP_NUM_THREADS": str(threads),
        "MKL_NUM_THREADS": str(threads),
        "OPENBLAS_NUM_THREADS": str(threads),
        "TF_NUM_INTRAOP_THREADS": str(threads),
        "TF_NUM_INTEROP_THREADS": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    xla = os.environ.get("XLA_FLAGS", "")
    if threads == 1:
        # XLA:CPU's Eigen pool otherwise uses every core (JAX, and TF with jit_compile).
        xla = f"{xla} --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1".strip()
    env["XLA_FLAGS"] = xla
    return env


def configure_engine(engine: str, threads: int) -> None:
    """Imports `engine` and applies its thread setters (before any kerasx or Keras import)."""
    if engine == "torch":
        import torch

        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
    elif engine == "tensorflow":
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    elif engine == "jax":
        importlib.import_module("jax")  # threads come from XLA_FLAGS, read when jax starts its CPU client
    else:
        raise ValueError(f"Unknown engine. Received: engine={engine!r}; expected jax, torch or tensorflow.")


def describe(threads: int) -> str:
    return (f"{threads} intra-op thread(s), 1 inter-op thread, every contender: "
            f"OMP/MKL/OpenBLAS_NUM_THREADS={threads}, torch.set_num_threads({threads}), "
            f"tf.config.threading intra={threads}/inter=1"
            + (", XLA_FLAGS=--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1" if threads == 1 else ""))
