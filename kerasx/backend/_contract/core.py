"""Contract of `kerasx/backend/<engine>/core.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Tensor = Any


class CoreContract(Protocol):
    def is_tensor(self, x) -> bool:
        """True for the engine's native tensor type (not NumPy arrays, except on the numpy backend)."""
        ...

    def convert_to_tensor(self, x, dtype=None, sparse=None, ragged=None) -> Tensor:
        """Native tensor of `x` (array-like, tensor or Variable); `dtype` is a kerasx dtype name or None.

        `sparse` and `ragged` are never True here: kerasx has dense tensors only (the public op refuses True)."""

    def convert_to_numpy(self, x) -> Any:
        """NumPy array copy of a native tensor."""

    def cast(self, x, dtype) -> Tensor:
        """`x` with dtype `dtype` (a kerasx dtype name)."""

    def dtype_name(self, x) -> str:
        """kerasx dtype name of a native tensor, e.g. "float32"."""
        ...

    def shape(self, x) -> tuple:
        """Static shape tuple of a native tensor (None where unknown while tracing)."""
        ...

    def is_traced(self, x) -> bool:
        """True when `x` is a value being traced/compiled (JAX tracer, TF graph tensor), not a concrete array."""
        ...

    def device(self, kind: str, index: int | None) -> Any:
        """Context manager: tensors and variables created inside it live on device `kind` ("cpu", "gpu", or an
        engine's own kind such as torch's "meta"), number `index` (None: the first, or the engine's choice).
        jax.default_device, a torch default-device scope, tf.device; the numpy backend has "cpu" only. Raises
        ValueError naming the devices present for a kind or index the engine does not have."""

    def cond(self, pred, true_fn, false_fn) -> Any:
        """`true_fn()` if pred else `false_fn()`, traceable."""

    def while_loop(self, cond, body, loop_vars, maximum_iterations=None) -> Any:
        """Run `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`; loop_vars is a tuple/list."""

    def fori_loop(self, lower, upper, body_fun, init_val) -> Any:
        """`val = body_fun(i, val)` for i in range(lower, upper)."""

    def scan(self, f, init, xs=None, length=None, reverse=False, unroll=1) -> Any:
        """`carry, y = f(carry, x)` over the leading axis of xs; returns (carry, stacked ys)."""

    def stop_gradient(self, variable) -> Tensor:
        """Identity whose gradient is zero."""

    def custom_gradient(self, f) -> Callable:
        """Decorator: `f(*args)` returns `(y, grad_fn)`, where `grad_fn(*upstream, **kwargs)` gives input gradients."""
        ...

    def vectorized_map(self, function, elements) -> Any:
        """`function` mapped over the leading axis of `elements` (a tensor or a nested structure)."""

    def slice(self, inputs, start_indices, shape) -> Tensor:
        """Static-size slice of `inputs` starting at `start_indices`."""

    def slice_update(self, inputs, start_indices, updates) -> Tensor:
        """`inputs` with the block at `start_indices` replaced by `updates`."""

    def scatter(self, indices, values, shape) -> Tensor:
        """Zeros of `shape` with `values` added at `indices` (duplicates accumulate)."""

    def scatter_update(self, inputs, indices, updates, reduction=None) -> Tensor:
        """`inputs` with entries at `indices` set to `updates` (`reduction` None; the last write wins among
        duplicates), or combined with them by "add", "mul", "max" or "min" (duplicates all take part)."""

    def apply_floatx(self, name) -> None:
        """Makes the engine able to compute in the default float dtype `name` (called when it is set).

        Only jax needs it: without its 64-bit mode it narrows float64 to float32 (with a warning per op).
        """

    def output_specs(self, fn, input_specs) -> list:
        """`(shape, dtype)` of each entry of the flat list `fn(*inputs)` returns (None for a non-tensor entry),
        with `inputs` placeholders of `input_specs` (`(shape, dtype)` pairs, None for an unknown dimension) that
        hold no data where the engine allows it: jax.eval_shape, a TensorFlow graph, torch meta tensors (tensors
        of ones when an op refuses them), NumPy ones. Unknown input dimensions give unknown output dimensions."""
        ...

    def layer_bases(self) -> tuple:
        """Engine classes that `kerasx.layers.Layer` also derives from, each initialized (without arguments) when a
        layer is created: on torch a `torch.nn.Module` subclass, so layers and models are torch Modules as in
        Keras (`model.parameters()` into a torch optimizer, `model.zero_grad()`); `()` elsewhere."""
        ...

    def remat(self, f) -> Callable:
        """`f` rematerialized: the same results, but the backward pass recomputes `f`'s intermediate values instead
        of keeping them from the forward pass (jax.checkpoint, torch.utils.checkpoint, tf.recompute_grad).

        `kerasx.remat` hands the engine a new pure function of positional tensors at each call, returning a tuple
        of tensors (state goes in and out as tensors), so an engine applies its primitive as it is. The numpy
        backend, which computes no gradients, returns `f` itself with a warning, as Keras 3's does."""
        ...

    def value_and_grad(self, fn, has_aux=False) -> Callable:
        """`fn(params, *args)` -> `g(params, *args)` returning `(value, grads)`, or `((value, aux), grads)`.

        `params` is a list of tensors; `grads` matches it. Raises on the numpy backend (inference only).
        """
        ...

    def host_call(self, function, inputs, dtype, shape) -> Tensor:
        """`function(array)` run on the host (NumPy in, NumPy out) on `inputs` (a NumPy array or a native tensor,
        strings included), as a native tensor of kerasx dtype `dtype`; `shape` is the static output shape (None for
        unknown dimensions).

        The text and lookup layers compute on the host, since no engine but TensorFlow has string tensors. Inputs
        being traced go through the engine's callback: `tf.numpy_function` inside `tf.function` and
        `tf.data.Dataset.map`, `jax.pure_callback` under `jax.jit` (numeric inputs and a fully known `shape` only).
        """
        ...
