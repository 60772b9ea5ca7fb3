"""JAX backend: gradients through stateless scopes, steps compiled with `jax.jit` over donated state."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from kerasx.backend import _distribution_state, _dtypes, _stateless, _step_errors

_FUSABLE = (jnp.float32, jnp.float64)


def compute_gradients(loss_fn, variables):
    variables = list(variables)
    assigned_variables = []

    def loss_of(values):
        with _stateless.StatelessScope(zip(variables, values)) as scope:
            loss, aux = loss_fn()
        replaced = {id(v) for v in variables}
        # Assignments to other variables (moving statistics, seed counters) leave the scope as auxiliary outputs:
        # their values only, since a Variable in a jax output would come back as its value (Variables are pytrees).
        assigned = [(v, value) for v, value in scope.assignments() if id(v) not in replaced]
        assigned_variables[:] = [v for v, _ in assigned]
        return loss, (aux, [value for _, value in assigned])

    (loss, (aux, assigned)), grads = jax.value_and_grad(loss_of, has_aux=True)([v.value for v in variables])
    for variable, value in zip(assigned_variables, assigned):
        variable.assign(value)
    return loss, aux, grads


def make_step(fn, state_variables, jit_compile=True, training=True, eager=False):
    if eager:
        return fn
    state_variables = list(state_variables)
    state_ids = {id(v) for v in state_variables}
    distribution = _distribution_state.current()
    shardings = None
    if distribution is not None:
        distribution.distribute_variables(state_variables)
        # New state keeps each variable's sharding, whatever XLA's propagation would pick.
        shardings = [v._read().sharding for v in state_variables]

    def pure(state_values, data):
        with _stateless.StatelessScope(zip(state_variables, state_values)) as scope:
            outputs = fn(data)
        for variable, _ in scope.assignments():
            if id(variable) not in state_ids:
                raise ValueError(_step_errors.UNTRACKED_ASSIGNMENT.format(path=variable.path, backend="jax"))
        new_values = [scope.get_current_value(v) for v in state_variables]
        if shardings is not None:
            new_values = [jax.lax.with_sharding_constraint(x, s) for x, s in zip(new_values, shardings)]
        return outputs, new_values

    compiled = jax.jit(pure, donate_argnums=0)

    def step(data):
        if any(isinstance(leaf, np.ndarray) and leaf.dtype.kind in "USO" for leaf in jax.tree_util.tree_leaves(data)):
            # Text (for a model's text layers, which compute on the host) cannot enter jax.jit: this step runs
            # eagerly, on the variables themselves.
            return fn(data)
        if distribution is not None:
            data = distribution.distribute_data(data)
        outputs, new_values = compiled([v._read() for v in state_variables], data)
        for variable, value in zip(state_variables, new_values):
            variable._write(value)
        return outputs

    return step


def fused_adam_update(variables, gradients, momentums, velocities, learning_rate, iterations, beta_1, beta_2, epsilon):
    # Only for an eager `optimizer.apply` (a hand-written training loop): op by op, jax compiles each op for each
    # variable shape on the first step, ~10 ops per variable at 0.1-0.2 s each on a loaded 2-core machine (11 s for
    # the text generator's 5 variables); one jitted update compiles once (0.5 s). Inside a compiled step (a stateless
    # scope, or a user's own jax.jit) XLA fuses the engine-free update already.
    if _stateless.current() is not None:
        return False
    params = [v.value for v in variables]
    dtype = params[0].dtype if params else None
    if dtype not in _FUSABLE or any(p.dtype != dtype or g.dtype != dtype for p, g in zip(params, gradients)):
        return False
    if any(isinstance(x, jax.core.Tracer) for x in params + list(gradients)):  # pyright: ignore[reportAttributeAccessIssue] - jax imports jax.core
        return False
    new_params, new_ms, new_vs = _adam(
        params, list(gradients), [m.value for m in momentums], [v.value for v in velocities], learning_rate,
        iterations.value, beta_1, beta_2, epsilon,
    )
    for targets, new_values in ((variables, new_params), (momentums, new_ms), (velocities, new_vs)):
        for variable, value in zip(targets, new_values):
            variable.assign(value)
    return True


@functools.partial(jax.jit, static_argnames=("beta_1", "beta_2", "epsilon"))
def _adam(params, grads, ms, vs, learning_rate, iterations, beta_1, beta_2, epsilon):
    # The engine-free update's arithmetic, in its order (optimizers/_adam.py), so both give the same rounding.
    dtype = params[0].dtype
    step = (iterations + 1).astype(dtype)

    def one_minus_power(beta):
        return jnp.asarray(1.0, dtype) if beta == 0 else -jnp.expm1(step * jnp.asarray(math.log(beta), dtype))

    alpha = learning_rate * jnp.sqrt(one_minus_power(beta_2)) / one_minus_power(beta_1)
    decay_1, decay_2, eps = (jnp.asarray(x, dtype) for x in (1 - beta_1, 1 - beta_2, epsilon))
    new_ms = [m + (g - m) * decay_1 for g, m in zip(grads, ms)]
    new_vs = [v + (jnp.square(g) - v) * decay_2 for g, v in zip(grads, vs)]
    new_params = [p - m * alpha / (jnp.sqrt(v) + eps) for p, m, v in zip(params, new_ms, new_vs)]
    return new_params, new_ms, new_vs


def step_input(array, dtype):
    # NumPy goes into the jitted step as it is: jit's own C++ transfer costs ~250 us less per MLP batch than
    # converting to a jax.Array first.
    target = _dtypes.numpy_dtype(dtype)
    return array if array.dtype == target else array.astype(target)


def auto_jit_compile(convolutional=False):
    return True


def iterations_dtype():
    return "int32"


def native_dataset(dataset):
    return dataset
