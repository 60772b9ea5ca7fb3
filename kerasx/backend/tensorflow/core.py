"""TensorFlow backend: core."""

from __future__ import annotations

import contextlib

import numpy as np
import tensorflow as tf

from kerasx.backend import _dtypes, _python_loops, _tree, _variable

NAME = "tensorflow"

UNKNOWN_DEVICE = (
    "TensorFlow cannot read the device name {name!r} ({reason}). Received: device_name={name!r}. Expected a name "
    "such as 'cpu:0' or 'gpu:1'."
)

_NATIVE = {name: tf.as_dtype(name) for name in _dtypes.ALLOWED_DTYPES}
_NAMES = {native: name for name, native in _NATIVE.items()}
# TensorFlow alone has string tensors (the text layers' inputs inside tf.function and tf.data).
_NATIVE[_dtypes.STRING] = tf.string
_NAMES[tf.string] = _dtypes.STRING


def native_dtype(dtype):
    return _NATIVE[_dtypes.standardize_dtype(dtype)]


class Variable(_variable.Variable):
    backend_name = NAME
    # tf.GradientTape takes a kerasx Variable as a gradient source (`tape.gradient(loss, model.trainable_weights)`,
    # as Keras's TensorFlow guides write it) through the resource handle of the tf.Variable that stores it.
    _should_act_as_resource_variable = True

    @property
    def handle(self):
        return self._value.handle

    def _zeros(self):
        # tf.Variable copies a converted NumPy array (2x the variable's bytes at peak); it adopts tf.zeros (1x).
        return tf.zeros(self._shape, dtype=native_dtype(self._dtype))

    def _convert(self, value, dtype):
        return convert_to_tensor(value, dtype)

    def _store(self, value):
        self._value = tf.Variable(value, trainable=self.trainable, name=self.name.replace("/", "_"))

    def _read(self):
        return self._value

    def _write(self, value):
        self._value.assign(value)

    def _creation_scope(self, initializer):
        # An initial value computed in a graph can only make a graph variable: it stays where it is.
        if tf.is_tensor(initializer) and tf.is_symbolic_tensor(initializer):
            return contextlib.nullcontext()
        return tf.init_scope()

    def _native_shape(self):
        return self._value.shape

    # Lets a Variable be passed to tf functions directly.
    def _as_tf_tensor(self, dtype=None, name=None, as_ref=False):
        value = tf.convert_to_tensor(self.value)
        return value if dtype is None else tf.cast(value, dtype)


tf.register_tensor_conversion_function(Variable, lambda v, dtype=None, name=None, as_ref=False: v._as_tf_tensor(dtype))


def apply_floatx(name) -> None:
    """Nothing to do: every float dtype is available without a setting."""


def is_tensor(x) -> bool:
    return tf.is_tensor(x)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if isinstance(x, _variable.Variable):
        x = x.value
    if dtype is None:
        dtype = _dtypes.infer_dtype(x)
    native = native_dtype(dtype)
    if tf.is_tensor(x):
        if isinstance(x, tf.Variable):
            x = x.read_value() if x.dtype == native else tf.cast(x, native)
            return x
        return x if x.dtype == native else tf.cast(x, native)
    if not isinstance(x, np.ndarray):
        x = np.asarray(x)
    if x.dtype != native.as_numpy_dtype:
        x = x.astype(native.as_numpy_dtype)
    return tf.convert_to_tensor(x, dtype=native)


def convert_to_numpy(x):
    # `.numpy()`, not `np.array(tensor)`: TF's `__array__` lacks NumPy 2's `copy` argument (a warning for bfloat16).
    return np.array(convert_to_tensor(x).numpy())


def cast(x, dtype):
    return tf.cast(convert_to_tensor(x), native_dtype(dtype))


def dtype_name(x) -> str:
    return _NAMES[x.dtype.base_dtype]


def shape(x) -> tuple:
    static = tuple(x.shape)
    if None not in static:
        return static
    # Inside tf.function the batch size is unknown until run time: such dimensions become scalar tensors, so
    # `ops.shape(x)[0]` stays usable in arithmetic (as in Keras 3).
    dynamic = tf.shape(x)
    return tuple(dynamic[i] if d is None else d for i, d in enumerate(static))


def is_traced(x) -> bool:
    return tf.is_symbolic_tensor(x) if tf.is_tensor(x) else not tf.executing_eagerly()


def device(kind, index):
    name = kind if index is None else f"{kind}:{index}"
    try:
        tf.DeviceSpec.from_string(name)
    except ValueError as error:
        raise ValueError(UNKNOWN_DEVICE.format(name=name, reason=error)) from error
    # Like tf.device itself (soft placement), a device the machine lacks ("gpu:0" on a CPU-only host) falls back to
    # one it has instead of failing, as in Keras 3.
    return tf.device(name)


def output_specs(fn, input_specs):
    # A scratch graph: placeholders keep unknown dimensions unknown, and nothing runs.
    with tf.__internal__.FuncGraph("kerasx_output_specs").as_default():
        inputs = [tf.compat.v1.placeholder(native_dtype(dtype), shape=shape) for shape, dtype in input_specs]
        outputs = fn(*inputs)
        return [(tuple(out.shape.as_list()), dtype_name(out)) if tf.is_tensor(out) else None for out in outputs]


def layer_bases():
    return ()


def value_and_grad(fn, has_aux=False):
    def wrapped(params, *args):
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            for p in params:
                tape.watch(p)
            output = fn(params, *args)
            value = output[0] if has_aux else output
        grads = tape.gradient(value, list(params), unconnected_gradients=tf.UnconnectedGradients.ZERO)
        # Gathers (take, indexing) give IndexedSlices gradients; callers get plain tensors like on other engines.
        grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in grads]
        return output, grads

    return wrapped


def cond(pred, true_fn, false_fn):
    return tf.cond(pred, true_fn, false_fn)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    state = _python_loops.as_state(loop_vars)
    final = tf.while_loop(
        cond,
        lambda *s: _python_loops.as_state(body(*s)),
        state,
        maximum_iterations=maximum_iterations,
    )
    return _python_loops.from_state(loop_vars, _python_loops.as_state(final))


def fori_loop(lower, upper, body_fun, init_val):
    _, value = tf.while_loop(lambda i, _: i < upper, lambda i, v: (i + 1, body_fun(i, v)), (lower, init_val))
    return value


def _scan_steps(xs, length):
    leaves = [] if xs is None else _tree.flatten(xs)
    if length is None and leaves and leaves[0].shape[0] is None:
        return tf.shape(leaves[0])[0]  # a tf.function traced for any sequence length
    return _python_loops.scan_length(xs, length)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    steps = _scan_steps(xs, length)
    if isinstance(steps, int) and steps == 0:
        return init, _python_loops.empty_outputs(f, init, xs, _zeros_like_shape)
    if isinstance(steps, int) and (unroll is True or (type(unroll) is int and unroll >= steps)):
        # Fully unrolled: straight-line ops, no while loop (tf2onnx cannot convert a loop that stacks outputs).
        return _python_loops.scan(f, init, xs, steps, reverse, tf.stack, _zeros_like_shape, unstack=tf.unstack)

    def position(i):
        return steps - 1 - i if reverse else i

    def step(i, carry):
        new_carry, y = f(carry, _python_loops.element(xs, position(i)))
        # tf.while_loop needs the carry in exactly the structure it started with (a list is not a tuple).
        return _tree.pack_sequence_as(init, _tree.flatten(new_carry)), y

    # The first step runs outside the loop: it tells the structure and dtypes of `y` for the TensorArrays.
    carry, first = step(0, init)
    if isinstance(steps, int) and steps == 1:
        # No loop left: XLA refuses the gradient of a while loop bounded at 0 trips (its TensorList has no room
        # for the one element, "Update dim size 1 greater than dynamic slice dimension: 0"), which a decoder
        # feeding an RNN one time step at a time met in every compiled step.
        if first is None:
            return carry, None
        return carry, _tree.pack_sequence_as(first, [tf.convert_to_tensor(leaf)[None] for leaf in _tree.flatten(first)])
    if first is None:
        _, carry = tf.while_loop(
            lambda i, c: i < steps, lambda i, c: (i + 1, step(i, c)[0]), (1, carry), maximum_iterations=steps - 1
        )
        return carry, None
    leaves = [tf.convert_to_tensor(leaf) for leaf in _tree.flatten(first)]
    arrays = [
        tf.TensorArray(leaf.dtype, size=steps, element_shape=leaf.shape).write(position(0), leaf) for leaf in leaves
    ]

    def body(i, carry, arrays):
        carry, y = step(i, carry)
        return i + 1, carry, [a.write(position(i), leaf) for a, leaf in zip(arrays, _tree.flatten(y))]

    # maximum_iterations: XLA (jit_compile) can only differentiate a while loop whose trip count is bounded.
    _, carry, arrays = tf.while_loop(
        lambda i, c, a: i < steps, body, (1, carry, arrays), maximum_iterations=steps - 1
    )
    return carry, _tree.pack_sequence_as(first, [a.stack() for a in arrays])


def _zeros_like_shape(shape, like):
    return tf.zeros(tuple(shape), dtype=like.dtype)


def stop_gradient(variable):
    return tf.stop_gradient(variable)


def custom_gradient(f):
    def with_gradient(*args):
        output, grad_fn = f(*args)

        def rule(*upstreams):
            grads = grad_fn(*upstreams)
            return list(grads) if isinstance(grads, (list, tuple)) else grads

        return output, rule

    return tf.custom_gradient(with_gradient)


def vectorized_map(function, elements):
    return tf.vectorized_map(function, elements)


def slice(inputs, start_indices, shape):
    return tf.slice(inputs, start_indices, shape)


def slice_update(inputs, start_indices, updates):
    # Pad the block out to the full shape, then select it where a padded mask is set: traceable and differentiable.
    start = tf.cast(tf.convert_to_tensor(start_indices), tf.int32)
    after = tf.shape(inputs) - start - tf.shape(updates)
    paddings = tf.stack([start, after], axis=1)
    mask = tf.pad(tf.ones_like(updates, dtype=tf.bool), paddings)
    return tf.where(mask, tf.pad(updates, paddings), inputs)


def scatter(indices, values, shape):
    return tf.scatter_nd(indices, values, shape)


_SCATTER = {"add": tf.tensor_scatter_nd_add, "max": tf.tensor_scatter_nd_max, "min": tf.tensor_scatter_nd_min}


def scatter_update(inputs, indices, updates, reduction=None):
    if reduction is None:
        return tf.tensor_scatter_nd_update(inputs, indices, updates)
    if reduction in _SCATTER:
        return _SCATTER[reduction](inputs, indices, updates)
    # No tensor_scatter_nd_mul: the product of each index's updates (one segment per distinct index) multiplies in.
    unique, positions = tf.raw_ops.UniqueV2(x=indices, axis=[0])
    products = tf.math.unsorted_segment_prod(updates, positions, tf.shape(unique)[0])
    return tf.tensor_scatter_nd_update(inputs, unique, tf.gather_nd(inputs, unique) * products)


def remat(f):
    return tf.recompute_grad(f)


def host_call(function, inputs, dtype, shape):
    native = tf.string if dtype == _dtypes.STRING else native_dtype(dtype)
    if tf.is_tensor(inputs) and tf.is_symbolic_tensor(inputs):
        # Inside tf.function or tf.data.Dataset.map: the NumPy work runs when the graph runs.
        def on_host(x):
            result = np.asarray(function(x))
            return result.astype(object) if dtype == _dtypes.STRING else result.astype(native.as_numpy_dtype)

        result = tf.numpy_function(on_host, [inputs], native, stateful=False)
        result.set_shape(shape)
        return result
    result = function(inputs.numpy() if tf.is_tensor(inputs) else np.asarray(inputs))
    return tf.constant(np.asarray(result), dtype=native)
