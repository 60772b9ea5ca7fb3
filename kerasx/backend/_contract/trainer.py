"""Contract of `kerasx/backend/<engine>/trainer.py`: the two things a training loop needs from an engine."""

from __future__ import annotations

from typing import Any, Callable, Protocol


class TrainerContract(Protocol):
    def compute_gradients(self, loss_fn, variables) -> Any:
        """Run `loss_fn() -> (loss, aux)` and differentiate `loss` with respect to `variables` (kerasx Variables).

        Returns `(loss, aux, grads)`, grads a list aligned with `variables`. Variable assignments made inside
        `loss_fn` (e.g. BatchNormalization's moving statistics) take effect as if made outside. Works eagerly and
        inside a step compiled by `make_step`. Raises on the numpy backend.
        """

    def make_step(self, fn, state_variables, jit_compile=True, training=True, eager=False) -> Callable:
        """Compile `fn(data) -> outputs`, which reads and assigns `state_variables`, into a fast callable.

        JAX: `jax.jit` of a pure function of (state values, data) with the state donated, values written back
        after each call. TensorFlow: `tf.function`. torch: `fn` itself, or `torch.compile(fn)` when jit_compile.
        The callable takes `data` and returns `outputs` (a structure of native tensors, not yet synced to host).
        `training=False` marks an inference step (evaluate/predict): engines that record gradients eagerly
        (torch) switch that off. `eager=True` runs `fn` uncompiled (first build call, `run_eagerly`); on
        JAX and TensorFlow `jit_compile=False` still compiles (a traced graph without XLA fusion on TensorFlow).
        """
