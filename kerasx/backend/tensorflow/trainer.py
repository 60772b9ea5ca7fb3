"""TensorFlow backend: GradientTape over the variables' tf.Variables; steps compiled with `tf.function`."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from kerasx.backend import _distribution_state, _tree
from kerasx.backend._unfused import fused_adam_update  # noqa: F401 - part of the trainer contract
from kerasx.backend.tensorflow import core as tensorflow_core
from kerasx.backend.tensorflow import distribution as tf_distribution


def compute_gradients(loss_fn, variables):
    variables = list(variables)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        sources = [v.value for v in variables]
        tape.watch(sources)
        loss, aux = loss_fn()
    grads = tape.gradient(loss, sources, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    context = tf.distribute.get_replica_context()
    if context is not None and context.num_replicas_in_sync > 1:
        # Each replica saw its slice of the batch: the mean of their gradients is the global batch's gradient.
        grads = context.all_reduce(tf.distribute.ReduceOp.MEAN, grads)
    return loss, aux, grads


def make_step(fn, state_variables, jit_compile=True, training=True, eager=False):
    if eager:
        return fn
    distribution = _distribution_state.current()
    if distribution is not None and training and len(distribution.device_mesh.devices) > 1:
        distribution.distribute_variables(state_variables)  # refuses sharded layouts with a clear error
        strategy = tf_distribution.strategy_for(distribution.device_mesh.devices)
        return _replicated_step(fn, state_variables, strategy, distribution.distribute_data)
    strategy = _users_strategy(state_variables) if distribution is None else None
    if strategy is not None and training and strategy.num_replicas_in_sync > 1:
        return _replicated_step(fn, state_variables, strategy, None)
    if any(isinstance(v._value, tf.distribute.DistributedValues) for v in state_variables):
        # XLA cannot read a MirroredVariable's other-device copies (also after the distribution's scope ends).
        jit_compile = False
    # Variables are tf.Variables captured by the function; assignments become graph ops.
    # autograph=False: kerasx steps use kerasx control-flow ops, never Python `if` on tensors, and autograph's
    # source rewriting cost ~10 s on the first call of an Adam step (1.3 s without).
    return tf.function(fn, jit_compile=bool(jit_compile), reduce_retracing=True, autograph=False)


def _users_strategy(state_variables):
    """The tf.distribute strategy the user built the model under (`with strategy.scope(): model = ...`, as Keras's
    distributed training guide does), whether `fit` runs inside that scope or after it; None without one."""
    if tf.distribute.has_strategy():
        return tf.distribute.get_strategy()
    for variable in state_variables:
        if isinstance(variable._value, tf.distribute.DistributedValues):
            return variable._value._distribute_strategy
    return None


def _mirror(variables, strategy):
    """Recreates each state variable's tf.Variable under the strategy (a MirroredVariable) with an aggregation
    that lets replicas assign it. Float variables average across replicas on assignment, which for metrics
    (sum/count pairs) keeps every ratio exact; the others (step counters) take the first replica's value. A
    variable created in a user's strategy scope is already mirrored, but without aggregation."""
    for variable in variables:
        current = variable._value
        if (
            isinstance(current, tf.distribute.DistributedValues)
            and current.aggregation != tf.VariableAggregation.NONE
        ):
            continue
        aggregation = (
            tf.VariableAggregation.MEAN if current.dtype.is_floating else tf.VariableAggregation.ONLY_FIRST_REPLICA
        )
        with strategy.scope():
            variable._value = tf.Variable(
                current.read_value(), trainable=current.trainable, name=current.name.split(":")[0],
                aggregation=aggregation,
            )


def _replicated_step(fn, state_variables, strategy, distribute_data):
    """Training step over a `tf.distribute` strategy: each replica runs `fn` on its slice of the global batch;
    evaluate and predict stay on one replica (they read the mirrored values). `distribute_data`: the kerasx
    distribution's placement of a batch, or None for a user's own strategy."""
    state_variables = list(state_variables)
    _mirror(state_variables, strategy)
    replicas = strategy.num_replicas_in_sync

    @tf.function(autograph=False, reduce_retracing=True)
    def run(data):
        outputs = strategy.run(fn, args=(data,))
        return _tree.map_structure(lambda value: strategy.experimental_local_results(value)[0], outputs)

    def step(data):
        if distribute_data is not None:
            data = distribute_data(data)
        leaves = [leaf for leaf in _tree.flatten(data) if leaf is not None]
        size = int(leaves[0].shape[0]) if leaves and leaves[0].shape.rank else 0
        # A batch that does not divide goes whole to every replica: the same numbers, without the speed-up.
        chunk = size // replicas if size and size % replicas == 0 else None

        def replica_slice(context):
            if chunk is None:
                return data
            start = context.replica_id_in_sync_group * chunk
            return _tree.map_structure(lambda t: None if t is None else t[start:start + chunk], data)

        return run(strategy.experimental_distribute_values_from_function(replica_slice))

    return step


def step_input(array, dtype):
    return tensorflow_core.convert_to_tensor(array, dtype)


def auto_jit_compile(convolutional=False):
    # XLA fuses whole steps (2-7x faster recurrent loops here than graph mode), but on CPU it runs convolutions
    # about 3x slower than TensorFlow's own kernels: with only a CPU, models with convolutions run without it.
    if any(device.device_type != "CPU" for device in tf.config.list_physical_devices()):
        return True
    return not convolutional


def iterations_dtype():
    return "int64"


def _batch_spec(array, varying_axes, batched):
    array = np.asarray(array)
    unknown = set(varying_axes) | ({0} if batched else set())
    shape = tuple(None if axis in unknown else size for axis, size in enumerate(array.shape))
    dtype = tf.string if array.dtype.kind in "OSU" else tf.as_dtype(array.dtype)
    return tf.TensorSpec(shape, dtype)


def native_dataset(dataset):
    varying_axes = set(getattr(dataset, "varying_axes", ()))
    batched = getattr(dataset, "batch_size", 1) is not None
    signature = _tree.map_structure(lambda array: _batch_spec(array, varying_axes, batched), dataset[0])
    native = tf.data.Dataset.from_generator(lambda: iter(dataset), output_signature=signature)
    native = native.apply(tf.data.experimental.assert_cardinality(len(dataset))).prefetch(tf.data.AUTOTUNE)
    native.class_names = getattr(dataset, "class_names", None)  # pyright: ignore[reportAttributeAccessIssue] - Keras's dataset attributes
    native.file_paths = getattr(dataset, "file_paths", None)  # pyright: ignore[reportAttributeAccessIssue] - Keras's dataset attributes
    return native
