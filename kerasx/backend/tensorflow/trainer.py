"""TensorFlow backend: GradientTape over the variables' tf.Variables; steps compiled with `tf.function`."""

from __future__ import annotations

import tensorflow as tf


def compute_gradients(loss_fn, variables):
    variables = list(variables)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        sources = [v.value for v in variables]
        tape.watch(sources)
        loss, aux = loss_fn()
    grads = tape.gradient(loss, sources, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    return loss, aux, grads


def make_step(fn, state_variables, jit_compile=True, training=True, eager=False):
    if eager:
        return fn
    # Variables are tf.Variables captured by the function; assignments become graph ops.
    # autograph=False: kerasx steps use kerasx control-flow ops, never Python `if` on tensors, and autograph's
    # source rewriting cost ~10 s on the first call of an Adam step (1.3 s without).
    return tf.function(fn, jit_compile=bool(jit_compile), reduce_retracing=True, autograph=False)
