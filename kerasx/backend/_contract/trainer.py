"""Contract of `kerasx/backend/<engine>/trainer.py`: the two things a training loop needs from an engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


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
        ...

    def fused_adam_update(
        self, variables, gradients, momentums, velocities, learning_rate, iterations, beta_1, beta_2, epsilon
    ) -> bool:
        """Adam's update of `variables` and their `momentums`/`velocities` (kerasx Variables) in a few fused passes
        over all of them, in place; returns True when done. The arithmetic is the generic update's, with
        t = iterations + 1 and c_i = 1 - beta_i ** t: m += (g - m) * (1 - beta_1); v += (g * g - v) * (1 - beta_2);
        x -= m * learning_rate * sqrt(c_2) / c_1 / (sqrt(v) + epsilon). `learning_rate` is a scalar tensor of the
        variables' dtype, `iterations` the optimizer's count of updates made before this one (a kerasx Variable).

        Only eager updates gain from it: on torch a per-variable update costs a dozen kernel launches and Python
        dispatches per variable (on CPU torch has a one-pass kernel); on JAX an eager `optimizer.apply` (a
        hand-written loop) would compile every op for every variable shape, where one jitted update compiles once.
        It returns False without doing anything where the whole step is compiled and fused anyway (inside a
        stateless scope, jax.jit, tf.function or torch.compile), on TensorFlow and on numpy, and the optimizer then
        runs its engine-free update.
        """
        ...

    def step_input(self, array, dtype) -> Any:
        """A NumPy batch leaf (`array`, to become `dtype`) as the training loop feeds it to a step: a native tensor
        of `dtype`, or on JAX the NumPy array itself (cast if needed), which `jax.jit` transfers cheaper."""

    def auto_jit_compile(self, convolutional=False) -> bool:
        """What `compile(jit_compile="auto")` means here for a model (`convolutional`: it has layers that XLA runs
        slowly on CPU): JAX True; TensorFlow True with an accelerator, else `not convolutional`; torch and numpy
        False."""
        ...

    def iterations_dtype(self) -> str:
        """The dtype of an optimizer's step counter (`optimizer.iterations`), as Keras 3 gives it on this engine:
        "int64" on TensorFlow, "int32" elsewhere (JAX computes in 32 bits unless x64 is on)."""
        ...

    def native_dataset(self, dataset) -> Any:
        """What Keras 3's dataset builders (`image_dataset_from_directory`, ...) return on this engine, made from
        `dataset`, a PyDataset of NumPy batches (strings as object arrays) with `class_names`/`file_paths`
        attributes, `varying_axes` (the batch axes whose size differs between batches) and `batch_size` (None when
        its items are single samples). TensorFlow: a `tf.data.Dataset` of the same items (element spec read from
        the first item, the batch axis of batches and the varying axes unknown, cardinality `len(dataset)`,
        reshuffled by the PyDataset after each pass) carrying the same attributes; the other engines: `dataset`
        itself, which needs no TensorFlow."""
