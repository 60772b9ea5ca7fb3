"""JAX backend: core."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from kerasx.backend import _abstract_eval, _dtypes, _python_loops, _variable

NAME = "jax"

UNKNOWN_DEVICE = (
    "jax has no device {name!r} in this run. Received: device_name={name!r}. Devices present: {present}. Pass one "
    "of them (`kerasx.distribution.list_devices()` lists them too)."
)

_NATIVE = {name: jnp.dtype(name) for name in _dtypes.ALLOWED_DTYPES}
_NAMES = {native: name for name, native in _NATIVE.items()}


def native_dtype(dtype):
    return _NATIVE[_dtypes.standardize_dtype(dtype)]


class Variable(_variable.Variable):
    backend_name = NAME

    def _convert(self, value, dtype):
        return convert_to_tensor(value, dtype)

    def _store(self, value):
        self._value = value

    def _read(self):
        return self._value

    def _write(self, value):
        self._value = value

    def _creation_scope(self, initializer):
        return jax.ensure_compile_time_eval()

    # `jnp.asarray(v)` converts through this hook; jax functions (`jnp.sum(v)`, `jax.jit(f)(v)`) take the pytree
    # registration below instead, as jax no longer reads `__jax_array__` when it abstracts an argument.
    def __jax_array__(self):
        return self.value


# A Variable flattens to its current value and unflattens to a plain array: jitted jax functions receive the value.
jax.tree_util.register_pytree_node(Variable, lambda v: ((v.value,), None), lambda _, leaves: leaves[0])


# Whether kerasx turned jax's 64-bit mode on for floatx float64: a 32-bit floatx then turns it off again, while a
# mode the user chose (JAX_ENABLE_X64, jax.config) is left as it is.
_X64_STATE = {"set_by_floatx": False}


def apply_floatx(name) -> None:
    """float64 turns on jax's 64-bit mode; without it jax computes float64 requests in float32."""
    if name == "float64" and not jax.config.read("jax_enable_x64"):
        jax.config.update("jax_enable_x64", True)
        _X64_STATE["set_by_floatx"] = True
    elif name != "float64" and _X64_STATE["set_by_floatx"]:
        jax.config.update("jax_enable_x64", False)
        _X64_STATE["set_by_floatx"] = False


def is_tensor(x) -> bool:
    return isinstance(x, jax.Array)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if isinstance(x, _variable.Variable):
        x = x.value
    if dtype is None:
        dtype = _dtypes.infer_dtype(x)
    native = native_dtype(dtype)
    if isinstance(x, jax.Array):
        return x if x.dtype == native else x.astype(native)
    if not isinstance(x, np.ndarray):
        x = np.asarray(x)
    return jnp.asarray(x, dtype=native)


def convert_to_numpy(x):
    return np.array(convert_to_tensor(x))


def cast(x, dtype):
    return convert_to_tensor(x).astype(native_dtype(dtype))


def dtype_name(x) -> str:
    return _NAMES.get(x.dtype) or _dtypes.standardize_dtype(x.dtype)


def shape(x) -> tuple:
    return tuple(x.shape)


def is_traced(x) -> bool:
    return isinstance(x, jax.core.Tracer)  # pyright: ignore[reportAttributeAccessIssue] - jax imports jax.core


def device(kind, index):
    try:
        present = jax.devices(kind)
    except RuntimeError:  # jax's message for a platform it lacks; ours names what the run has
        present = []
    chosen = present[:1] if index is None else [d for d in present if d.id == index]
    if not chosen:
        name = kind if index is None else f"{kind}:{index}"
        raise ValueError(UNKNOWN_DEVICE.format(name=name, present=[f"{d.platform}:{d.id}" for d in jax.devices()]))
    return jax.default_device(chosen[0])


def output_specs(fn, input_specs):
    def evaluate(specs):
        outputs = jax.eval_shape(fn, *[jax.ShapeDtypeStruct(shape, native_dtype(dtype)) for shape, dtype in specs])
        return [None if out is None else (tuple(out.shape), dtype_name(out)) for out in outputs]

    return _abstract_eval.with_unknown_dims(evaluate, input_specs)


def layer_bases():
    return ()


def value_and_grad(fn, has_aux=False):
    return jax.value_and_grad(fn, argnums=0, has_aux=has_aux)


def cond(pred, true_fn, false_fn):
    return lax.cond(pred, true_fn, false_fn)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    state = _python_loops.as_state(loop_vars)
    if maximum_iterations is None:
        final = lax.while_loop(lambda s: cond(*s), lambda s: _python_loops.as_state(body(*s)), state)
        return _python_loops.from_state(loop_vars, final)

    # The iteration count rides along as an extra loop variable.
    def counted_cond(s):
        return jnp.logical_and(cond(*s[:-1]), s[-1] < maximum_iterations)

    def counted_body(s):
        return _python_loops.as_state(body(*s[:-1])) + (s[-1] + 1,)

    final = lax.while_loop(counted_cond, counted_body, state + (jnp.asarray(0, jnp.int32),))
    return _python_loops.from_state(loop_vars, final[:-1])


def fori_loop(lower, upper, body_fun, init_val):
    return lax.fori_loop(lower, upper, body_fun, init_val)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    return lax.scan(f, init, xs, length=length, reverse=reverse, unroll=unroll)


def stop_gradient(variable):
    return lax.stop_gradient(variable)


def custom_gradient(f):
    # jax hands the rule one cotangent per output structure; kerasx's grad_fn takes one upstream per output and may
    # return a bare gradient for a single input.
    def with_rule(*args):
        output, grad_fn = f(*args)

        def rule(upstream):
            upstreams = tuple(upstream) if isinstance(output, (list, tuple)) else (upstream,)
            grads = grad_fn(*upstreams)
            return tuple(grads) if isinstance(grads, (list, tuple)) else (grads,)

        return output, rule

    return jax.custom_gradient(with_rule)


def vectorized_map(function, elements):
    return jax.vmap(function)(elements)


def slice(inputs, start_indices, shape):
    return lax.dynamic_slice(inputs, tuple(start_indices), tuple(shape))


def slice_update(inputs, start_indices, updates):
    return lax.dynamic_update_slice(inputs, updates, tuple(start_indices))


def _index_tuple(indices):
    return tuple(indices[..., k] for k in range(indices.shape[-1]))


def scatter(indices, values, shape):
    return jnp.zeros(shape, values.dtype).at[_index_tuple(indices)].add(values)


def scatter_update(inputs, indices, updates, reduction=None):
    at = inputs.at[_index_tuple(indices)]
    if reduction is None:
        return at.set(updates)
    return {"add": at.add, "mul": at.multiply, "max": at.max, "min": at.min}[reduction](updates)


def remat(f):
    return jax.checkpoint(f)


HOST_CALL_TRACED = (
    "A layer computing on the host (text or vocabulary lookup) was called on values traced by jax.jit, but its "
    "output {why}. Received: dtype={dtype}, shape={shape}. Call it outside the compiled function (on NumPy data, "
    "e.g. in the data pipeline), or run the model eagerly (`model.compile(..., run_eagerly=True)`)."
)


def host_call(function, inputs, dtype, shape):
    if isinstance(inputs, jax.core.Tracer):  # pyright: ignore[reportAttributeAccessIssue] - jax imports jax.core
        if dtype == _dtypes.STRING or any(d is None for d in shape):
            why = "is text" if dtype == _dtypes.STRING else "has a size known only at run time"
            raise ValueError(HOST_CALL_TRACED.format(why=why, dtype=dtype, shape=shape))
        native = native_dtype(dtype)

        def on_host(x):
            return np.asarray(function(np.asarray(x)), dtype=native)

        return jax.pure_callback(on_host, jax.ShapeDtypeStruct(tuple(shape), native), inputs)
    result = function(np.asarray(inputs))
    if dtype == _dtypes.STRING:
        return np.asarray(result)
    # Without 64-bit mode jax narrows int64 to int32 (silently here: the dtype is not requested from jax).
    return jnp.asarray(np.asarray(result, dtype=native_dtype(dtype)))
